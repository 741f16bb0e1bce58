// The API's schemas (zod), built from the one definition of each field: limits and allowed values come from the
// features' domain modules (PERSON_LIMITS, PERSON_KINDS …), names from the export's column keys. The same schemas
// check every request and generate the OpenAPI document (openapi.domain.ts). What a value means beyond its shape
// (an e-mail address, a web address, a name required) is then checked by the feature's own reader
// (validatePerson, validateEngagement), so the API accepts exactly what the forms and imports accept.
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { AVAILABILITY, PERSON_KINDS, PERSON_LIMITS } from '../people/people.domain.js';
import { SKILL_LEVEL_NAMES, SKILL_LEVELS } from '../skills/levels.domain.js';
import { ENGAGEMENT_LIMITS, HANDOVER, RATINGS } from '../engagements/engagements.domain.js';
import { ORG_KINDS, ORG_LIMITS } from '../organisations/organisations.domain.js';
import { PROJECT_KINDS, PROJECT_LIMITS, PROJECT_STATUSES } from '../projects/projects.domain.js';
import { SKILL_LIMITS } from '../skills/skills.domain.js';
import { MAX_REPEATED_VALUES } from '../http/forms.js';
import { PROBLEM_KINDS } from './problems.domain.js';
import { SHORTLIST_STATES } from '../shortlists/shortlists.domain.js';
import type { FieldProblem } from './problems.domain.js';

extendZodWithOpenApi(z);

const text = (max: number) => z.string().max(max).nullable();
const day = () => z.iso.date().nullable().openapi({ description: 'YYYY-MM-DD' });
const id = () => z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const stamp = () => z.string().openapi({ description: 'ISO 8601 timestamp (UTC)' });

// ---- people ----

/** A person's own fields as the API writes them (names: the export's column keys). */
const personWritable = {
  first_name: text(PERSON_LIMITS.first_name),
  last_name: text(PERSON_LIMITS.last_name),
  email: text(PERSON_LIMITS.email),
  phone: text(PERSON_LIMITS.phone),
  city: text(PERSON_LIMITS.city),
  postcode: text(PERSON_LIMITS.postcode),
  country: text(PERSON_LIMITS.country),
  languages: text(PERSON_LIMITS.languages),
  kind: z.enum(PERSON_KINDS),
  availability: z.enum(AVAILABILITY),
  organisation: text(PERSON_LIMITS.organisation),
  job_title: text(PERSON_LIMITS.job_title),
  portfolio_url: text(PERSON_LIMITS.portfolio_url),
  notes: text(PERSON_LIMITS.notes),
  do_not_contact: z.boolean(),
  last_confirmed_at: day(),
};

const level = () => z.union(SKILL_LEVELS.map((l) => z.literal(l)) as unknown as [z.ZodLiteral<1>, z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>])
  .openapi({ description: SKILL_LEVEL_NAMES });

export const SkillChoiceSchema = z.strictObject({
  id: id().optional().openapi({ description: 'the skill id (or give `name`)' }),
  name: z.string().min(1).max(PERSON_LIMITS.skill).optional().openapi({ description: 'a skill name or alias, English or German' }),
  level: level().optional().openapi({ description: 'default 1' }),
}).openapi('SkillChoice');

const personLists = {
  skills: z.array(SkillChoiceSchema).max(MAX_REPEATED_VALUES),
  tags: z.array(z.string().min(1).max(PERSON_LIMITS.tag)).max(MAX_REPEATED_VALUES),
};

export const PersonCreateSchema = z.strictObject(
  Object.fromEntries(Object.entries({ ...personWritable, ...personLists }).map(([k, s]) => [k, s.optional()])) as {
    [K in keyof typeof personWritable | keyof typeof personLists]: z.ZodOptional<((typeof personWritable) & (typeof personLists))[K]>
  },
).openapi('PersonCreate', { description: 'A new person: first_name or last_name is required; kind defaults to volunteer, availability to available.' });
/** An update names only the fields it changes (the others keep their value). */
export const PersonUpdateSchema = PersonCreateSchema.openapi('PersonUpdate', { description: 'The fields to change; the others keep their value.' });
export type PersonWrite = z.infer<typeof PersonCreateSchema>;

export const PersonSkillSchema = z.object({ id: id(), name: z.string(), name_de: z.string().nullable(), level: level() }).openapi('PersonSkill');

export const PersonSchema = z.object({
  id: id(),
  ...personWritable,
  first_name: z.string(),
  last_name: z.string(),
  skills: z.array(PersonSkillSchema),
  tags: z.array(z.string()),
  created_at: stamp(),
  updated_at: stamp(),
}).openapi('Person');
export type ApiPerson = z.infer<typeof PersonSchema>;

/** The field names of a person in the API, for the test that they are the export's column keys. */
export const PERSON_API_FIELDS = Object.keys(PersonSchema.shape);

// ---- skills, tags, organisations, projects, engagements ----

export const SkillSchema = z.object({
  id: id(), name: z.string().max(SKILL_LIMITS.name), name_de: z.string().nullable(),
  category: z.string().nullable(), category_de: z.string().nullable(),
  aliases: z.array(z.string()), people: z.number().int(), projects: z.number().int(),
}).openapi('Skill');

export const TagSchema = z.object({ id: id(), name: z.string(), people: z.number().int() }).openapi('Tag');

export const OrganisationSchema = z.object({
  id: id(), name: z.string().max(ORG_LIMITS.name), kind: z.enum(ORG_KINDS), city: z.string().nullable(), website: z.string().nullable(),
  contact_name: z.string().nullable(), contact_email: z.string().nullable(), notes: z.string().nullable(),
  projects: z.number().int(), helpers: z.number().int(), created_at: stamp(), updated_at: stamp(),
}).openapi('Organisation');

export const NeededSkillSchema = z.object({ id: id(), name: z.string(), name_de: z.string().nullable(), min_level: level() }).openapi('NeededSkill');

export const EngagementSchema = z.object({
  id: id(), person_id: id(), project_id: id(), organisation_id: id(),
  role: z.string().nullable(), start_date: day(), end_date: day(), hours: z.number().nullable(), paid: z.boolean(), rate: z.number().nullable(),
  outcome: z.string().nullable(), feedback: z.string().nullable(), rating: z.number().int().nullable(), handover: z.enum(HANDOVER).nullable(),
  created_at: stamp(), updated_at: stamp(),
}).openapi('Engagement');

export const ShortlistEntrySchema = z.object({
  person_id: id(), state: z.enum(SHORTLIST_STATES), reason: z.string().nullable(), asked_at: z.string().nullable(),
  engagement_id: id().nullable(), updated_at: stamp(),
}).openapi('ShortlistEntry');

export const ProjectSchema = z.object({
  id: id(), title: z.string().max(PROJECT_LIMITS.title), organisation_id: id(), organisation: z.string(),
  kind: z.enum(PROJECT_KINDS), status: z.enum(PROJECT_STATUSES), start_date: day(), end_date: day(), description: z.string().nullable(),
  needed_skills: z.array(NeededSkillSchema), team: z.array(EngagementSchema).openapi({ description: 'the engagements: who helps or helped' }),
  shortlist: z.array(ShortlistEntrySchema).openapi({ description: 'people considered for the project and where each stands (do-not-contact people left out)' }),
  created_at: stamp(), updated_at: stamp(),
}).openapi('Project');

export const ProjectListItemSchema = z.object({
  id: id(), title: z.string(), organisation_id: id(), organisation: z.string(), kind: z.enum(PROJECT_KINDS), status: z.enum(PROJECT_STATUSES),
  start_date: day(), end_date: day(), team: z.number().int(),
}).openapi('ProjectListItem');

export const EngagementCreateSchema = z.strictObject({
  person_id: id(),
  role: text(ENGAGEMENT_LIMITS.role).optional(),
  start_date: day().optional(),
  end_date: day().optional(),
  hours: z.number().min(0).nullable().optional(),
  paid: z.boolean().optional().openapi({ description: 'default false (voluntary)' }),
  rate: z.number().min(0).nullable().optional(),
  outcome: text(ENGAGEMENT_LIMITS.outcome).optional(),
  feedback: text(ENGAGEMENT_LIMITS.feedback).optional(),
  rating: z.union(RATINGS.map((r) => z.literal(r)) as [z.ZodLiteral<1>, ...z.ZodLiteral<number>[]]).nullable().optional(),
  handover: z.enum(HANDOVER).nullable().optional(),
}).openapi('EngagementCreate');
export type EngagementWrite = z.infer<typeof EngagementCreateSchema>;

export const SuggestionSchema = z.object({
  person_id: id(), name: z.string(), score: z.number(), covered: z.number().int(), needed: z.number().int(), availability: z.string(),
  skills: z.array(z.object({ id: id(), name: z.string(), level: z.number().int().nullable(), min_level: z.number().int(), meets_level: z.boolean() })),
  missing: z.array(z.string()),
}).openapi('Suggestion');

// ---- lists and problems ----

export const listOf = <T extends z.ZodTypeAny>(item: T, name: string) => z.object({
  data: z.array(item),
  next: z.string().nullable().openapi({ description: 'the cursor of the next page (repeat the request with `cursor=`), or null on the last page' }),
}).openapi(name);

export const ProblemSchema = z.object({
  type: z.string().openapi({ description: 'a link to this problem kind in the reference (/api/docs#problem-…)' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({
    field: z.string().openapi({ description: 'the field, as a path: `email`, `skills[0].level`' }),
    reason: z.string().openapi({ description: "why, in the token user's language" }),
    code: z.string().openapi({ description: 'the reason as a stable code' }),
  })).optional(),
}).openapi('Problem', { description: `RFC 9457 problem details; type is one of ${PROBLEM_KINDS.map((k) => `/api/docs#problem-${k}`).join(', ')}` });

/** zod's findings as field problems: a path (`skills[0].level`) and a message key with its values. */
export function zodProblems(error: z.ZodError, input: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const at = pathText(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ field: at ? `${at}.${key}` : key, key: 'api.field.unknown' });
        break;
      case 'invalid_type':
        out.push({ field: at, key: valueAt(input, issue.path) === undefined ? 'validation.required' : 'api.field.type', vars: { expected: String(issue.expected) } });
        break;
      case 'too_big':
        out.push({ field: at, key: issue.origin === 'string' ? 'validation.tooLong' : issue.origin === 'array' ? 'api.field.tooMany' : 'validation.range', vars: { max: Number(issue.maximum) } });
        break;
      case 'too_small':
        out.push({ field: at, key: issue.origin === 'string' ? 'validation.required' : 'validation.range', vars: { min: Number(issue.minimum) } });
        break;
      case 'invalid_format':
        out.push({ field: at, key: issue.format === 'date' ? 'validation.date' : 'validation.choice' });
        break;
      default:
        out.push({ field: at, key: 'validation.choice' });
    }
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}
