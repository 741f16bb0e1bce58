// The OpenAPI 3.1 document of /api/v1, generated from the schemas that check the requests (schemas.domain.ts) and
// the allowed values of the /people search (search.domain.ts). Served at /api/v1/openapi.json and rendered at /api/docs.
import { z } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ACTIVE_YEARS, FILTER_AVAILABILITY, FILTER_KINDS, FILTER_LEVELS, PROJECT_KINDS, SEARCH_LIMITS, SORTS } from '../search/search.domain.js';
import { PROJECT_STATUSES } from '../projects/projects.domain.js';
import { ORG_LIMITS } from '../organisations/organisations.domain.js';
import { LISTS } from '../exports/columns.domain.js';
import { API_BASE, LIST_LIMITS } from './api.domain.js';
import {
  EngagementCreateSchema, EngagementSchema, OrganisationSchema, PersonCreateSchema, PersonSchema, PersonUpdateSchema, ProblemSchema,
  ProjectListItemSchema, ProjectSchema, SkillSchema, SuggestionSchema, TagSchema, listOf,
} from './schemas.domain.js';

const idParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,15}$/).openapi({ description: 'the record id' }) });
const paging = {
  limit: z.string().optional().openapi({ description: `rows per page, 1 to ${LIST_LIMITS.max} (default ${LIST_LIMITS.default})` }),
  cursor: z.string().optional().openapi({ description: 'the `next` of the previous page; the other parameters must stay the same' }),
};
const dnc = z.enum(['1']).optional().openapi({ description: 'include people marked do-not-contact (left out otherwise)' });

/** The /people search parameters (the same as the page's; `page` is replaced by `cursor`). */
const peopleQuery = z.object({
  q: z.string().max(SEARCH_LIMITS.q).optional().openapi({ description: 'words: name, e-mail, city, organisation, notes, tags, skills' }),
  skill: z.array(z.string().max(SEARCH_LIMITS.skill)).optional().openapi({ description: 'skill name, alias or id; repeat for several' }),
  match: z.enum(['all', 'any']).optional().openapi({ description: 'several skills: all (default) or any' }),
  level: z.enum(FILTER_LEVELS.map(String) as [string, ...string[]]).optional().openapi({ description: 'at least this level in the chosen skills' }),
  city: z.string().max(SEARCH_LIMITS.city).optional(),
  kind: z.enum(FILTER_KINDS).optional(),
  language: z.string().max(SEARCH_LIMITS.language).optional(),
  availability: z.enum(FILTER_AVAILABILITY).optional(),
  tag: z.string().max(SEARCH_LIMITS.tag).optional(),
  org: z.string().optional().openapi({ description: 'organisation id: people who helped it' }),
  project_kind: z.enum(PROJECT_KINDS).optional(),
  active: z.enum(ACTIVE_YEARS.map(String) as [string, ...string[]]).optional().openapi({ description: 'engaged within this many years' }),
  dnc,
  sort: z.enum(SORTS).optional(),
  ...paging,
});

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), {
  description: PROBLEM_TEXT[s] ?? 'problem', content: { 'application/problem+json': { schema: ProblemSchema } },
}]));
const PROBLEM_TEXT: Record<number, string> = {
  400: 'malformed JSON, or a cursor of another search', 401: 'no token, or a wrong, revoked or expired one; or a token in the URL',
  403: "the token's role or scope does not allow this", 404: 'no such record', 412: 'the record changed since this ETag', 413: 'body over 1 MB',
  415: 'the body is not JSON', 422: 'invalid fields: each named with the reason', 428: 'If-Match is missing', 429: 'over the rate limit',
};
const rateHeaders = z.object({
  'RateLimit-Limit': z.string().openapi({ description: 'requests allowed per minute for this token' }),
  'RateLimit-Remaining': z.string(),
  'RateLimit-Reset': z.string().openapi({ description: 'seconds until the window starts again' }),
});
const json = (schema: z.ZodTypeAny, description: string, headers?: z.ZodObject) => ({
  description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } },
});
const etag = rateHeaders.extend({ ETag: z.string().openapi({ description: 'the version, for If-Match' }) });
const COMMON = [401, 403, 429];

function build(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http', scheme: 'bearer', description: 'a token from /account/tokens (`skn_…`), in the Authorization header only',
  });
  const add = (route: RouteConfig) => registry.registerPath({ ...route, security: [{ [bearer.name]: [] }] });

  add({ method: 'get', path: '/people', tags: ['people'], summary: 'Search people (the /people filters), paged by cursor', request: { query: peopleQuery },
    responses: { 200: json(listOf(PersonSchema, 'PersonList'), 'a page of people', rateHeaders), ...problems(400, 422, ...COMMON) } });
  add({ method: 'post', path: '/people', tags: ['people'], summary: 'Create a person',
    request: { body: { required: true, content: { 'application/json': { schema: PersonCreateSchema } } } },
    responses: { 201: json(PersonSchema, 'the new person', etag), ...problems(400, 413, 415, 422, ...COMMON) } });
  add({ method: 'get', path: '/people/{id}', tags: ['people'], summary: 'One person', request: { params: idParam, query: z.object({ dnc }) },
    responses: { 200: json(PersonSchema, 'the person', etag), ...problems(404, ...COMMON) } });
  add({ method: 'patch', path: '/people/{id}', tags: ['people'], summary: 'Change some of a person’s fields (If-Match required)',
    request: {
      params: idParam, query: z.object({ dnc }), headers: z.object({ 'If-Match': z.string().openapi({ description: 'the ETag of the version this change is based on' }) }),
      body: { required: true, content: { 'application/json': { schema: PersonUpdateSchema } } },
    },
    responses: { 200: json(PersonSchema, 'the saved person', etag), ...problems(400, 404, 412, 413, 415, 422, 428, ...COMMON) } });
  add({ method: 'delete', path: '/people/{id}', tags: ['people'], summary: 'Delete a person (If-Match optional)', request: { params: idParam },
    responses: { 204: { description: 'deleted' }, ...problems(404, 412, ...COMMON) } });
  add({ method: 'post', path: '/people/{id}/erase', tags: ['people'], summary: 'Erase a person on request (as on the web: a hashed e-mail stays so imports skip them)',
    request: { params: idParam }, responses: { 204: { description: 'erased' }, ...problems(404, ...COMMON) } });

  add({ method: 'get', path: '/skills', tags: ['skills'], summary: 'Every skill with its aliases and category',
    responses: { 200: json(listOf(SkillSchema, 'SkillList'), 'all skills (one page)', rateHeaders), ...problems(...COMMON) } });
  add({ method: 'get', path: '/skills/{id}', tags: ['skills'], summary: 'One skill', request: { params: idParam },
    responses: { 200: json(SkillSchema, 'the skill'), ...problems(404, ...COMMON) } });
  add({ method: 'get', path: '/tags', tags: ['tags'], summary: 'Every tag with how many people carry it',
    responses: { 200: json(listOf(TagSchema, 'TagList'), 'all tags (one page)', rateHeaders), ...problems(...COMMON) } });
  add({ method: 'get', path: '/organisations', tags: ['organisations'], summary: 'Organisations by name (the /organisations search)',
    request: { query: z.object({ q: z.string().max(ORG_LIMITS.q).optional(), cursor: paging.cursor }) },
    responses: { 200: json(listOf(OrganisationSchema, 'OrganisationList'), 'a page of organisations', rateHeaders), ...problems(400, ...COMMON) } });
  add({ method: 'get', path: '/organisations/{id}', tags: ['organisations'], summary: 'One organisation', request: { params: idParam },
    responses: { 200: json(OrganisationSchema, 'the organisation'), ...problems(404, ...COMMON) } });
  add({ method: 'get', path: '/projects', tags: ['projects'], summary: 'Projects (the /projects filters), newest first',
    request: { query: z.object({ status: z.enum(PROJECT_STATUSES).optional(), kind: z.enum(PROJECT_KINDS).optional(), org: z.string().optional(), cursor: paging.cursor }) },
    responses: { 200: json(listOf(ProjectListItemSchema, 'ProjectList'), 'a page of projects', rateHeaders), ...problems(400, ...COMMON) } });
  add({ method: 'get', path: '/projects/{id}', tags: ['projects'], summary: 'One project with its needed skills and team', request: { params: idParam },
    responses: { 200: json(ProjectSchema, 'the project'), ...problems(404, ...COMMON) } });
  add({ method: 'get', path: '/projects/{id}/suggestions', tags: ['projects'], summary: 'People ranked for the project, with reasons (never do-not-contact people)',
    request: { params: idParam }, responses: { 200: json(listOf(SuggestionSchema, 'SuggestionList'), 'the ranking (one page)'), ...problems(404, ...COMMON) } });
  add({ method: 'post', path: '/projects/{id}/engagements', tags: ['engagements'], summary: 'Record an engagement (staff: only for their organisation’s projects)',
    request: { params: idParam, body: { required: true, content: { 'application/json': { schema: EngagementCreateSchema } } } },
    responses: { 201: json(EngagementSchema, 'the new engagement'), ...problems(400, 404, 413, 415, 422, ...COMMON) } });
  add({ method: 'get', path: '/engagements/{id}', tags: ['engagements'], summary: 'One engagement', request: { params: idParam },
    responses: { 200: json(EngagementSchema, 'the engagement'), ...problems(404, ...COMMON) } });
  add({ method: 'get', path: '/exports/{list}', tags: ['exports'], summary: 'A list as CSV (RFC 4180), with the list page’s filters; audited like a web export',
    request: { params: z.object({ list: z.enum(LISTS) }) },
    responses: { 200: { description: 'the CSV file', content: { 'text/csv': { schema: z.string() } } }, ...problems(404, ...COMMON) } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Skillnet API', version: '1',
      description: 'People, skills, organisations, projects and engagements of a Skillnet network. Errors are RFC 9457 problem details. See /api/docs.',
    },
    servers: [{ url: API_BASE }],
  });
}

let cached: ReturnType<typeof build> | null = null;

/** The document (built once). */
export function openApiDocument(): ReturnType<typeof build> {
  cached ??= build();
  return cached;
}

type Json = Record<string, unknown>;

/** A schema's type in a few words: `string (≤ 120) | null`, `array of SkillChoice`, `volunteer | freelancer | both`. */
export function typeText(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  if (schema.const !== undefined) return String(schema.const);
  const alts = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alts) return alts.map(typeText).join(' | ');
  const types = ([] as unknown[]).concat(schema.type ?? []).map(String);
  const base = types.filter((t) => t !== 'null').map((t) => {
    if (t === 'array') return `array of ${typeText(schema.items as Json)}`;
    const limits = [schema.maxLength !== undefined ? `≤ ${schema.maxLength}` : '', schema.format ? String(schema.format) : ''].filter(Boolean).join(', ');
    return limits ? `${t} (${limits})` : t;
  }).join(' | ');
  return types.includes('null') ? `${base} | null` : base;
}

export interface DocsOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  params: { name: string; in: string; required: boolean; type: string; description: string }[];
  body: string | null;
  responses: { status: string; description: string; type: string }[];
}

/** The document as the reference page shows it: operations, then schemas with their fields. */
export function docsModel() {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };
  const operations: DocsOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = ((op.parameters ?? []) as Json[]).map((p) => ({
        name: String(p.name), in: String(p.in), required: Boolean(p.required), type: typeText(p.schema as Json), description: String((p.description ?? (p.schema as Json)?.description) ?? ''),
      }));
      const bodySchema = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json']?.schema as Json | undefined;
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => {
        const content = (r.content ?? {}) as Record<string, Json>;
        const first = Object.values(content)[0];
        return { status, description: String(r.description ?? ''), type: first ? typeText(first.schema as Json) : '' };
      });
      operations.push({ id: `op-${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`, method: method.toUpperCase(), path: `${API_BASE}${path}`,
        summary: String(op.summary ?? ''), params, body: bodySchema ? typeText(bodySchema) : null, responses });
    }
  }
  const schemas = Object.entries(doc.components.schemas).map(([name, s]) => {
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = new Set((s.required ?? []) as string[]);
    return {
      name, description: String(s.description ?? ''),
      fields: Object.entries(props).map(([field, p]) => ({ name: field, type: typeText(p), required: required.has(field), description: String(p.description ?? '') })),
    };
  });
  return { operations, schemas };
}
