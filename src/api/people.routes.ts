// /api/v1/people: the /people search (same filters, same do-not-contact rule) paged by cursor, one person with an
// ETag, create, update with If-Match, delete, erase. Writes go through the same use cases as the web forms.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { found, parseId } from '../http/errors.js';
import { filtersToParams, parsePeopleFilters } from '../search/search.domain.js';
import { findPeople, resolveSkills } from '../search/search.queries.js';
import { validatePerson, type PersonInput } from '../people/people.domain.js';
import { createPerson, deletePerson, findPerson, updatePerson, VersionConflict, type PersonRow } from '../people/people.queries.js';
import { checkEmail } from '../people/people.routes.js';
import { erasePeople } from '../privacy/retention.queries.js';
import { unknownSkillIds } from '../projects/projects.queries.js';
import { API_BASE, decodeCursor, encodeCursor, etagOf, ifMatchHolds, LIST_LIMITS, searchKey } from './api.domain.js';
import { allow, apiActor } from './bearer.service.js';
import { invalid, problem, type FieldProblem } from './problems.domain.js';
import { PersonCreateSchema, PersonUpdateSchema, zodProblems, type ApiPerson, type PersonWrite } from './schemas.domain.js';
import { apiPeople, apiPerson } from './people.queries.js';

type Query = Record<string, unknown>;

/** `limit`: 1 to 500, default 50; anything else is a 422 naming the parameter. */
export function listLimit(query: Query): number {
  const raw = query.limit;
  if (raw === undefined) return LIST_LIMITS.default;
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= LIST_LIMITS.max)) throw invalid([{ field: 'limit', key: 'validation.range', vars: { min: 1, max: LIST_LIMITS.max } }]);
  return n;
}

/** Page and size of a list request: from its cursor (which must belong to this very search), else the first page. */
export function listPage(query: Query, search: string): { page: number; limit: number } {
  const limit = listLimit(query);
  if (query.cursor === undefined) return { page: 1, limit };
  const c = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : null;
  if (!c || c.search !== searchKey(search)) throw problem('bad-request', 'api.cursor.invalid');
  return { page: c.page, limit: c.limit };
}

export function nextCursor(page: number, pages: number, limit: number, search: string): string | null {
  return page < pages ? encodeCursor({ page: page + 1, limit, search: searchKey(search) }) : null;
}

/** A do-not-contact person is only shown when the request asks for them (`dnc=1`), as on /people. */
const asksForDnc = (req: Request) => (req.query as Query).dnc === '1';

async function visiblePerson(db: Knex, req: Request): Promise<PersonRow> {
  const person = found(await findPerson(db, parseId(req.params.id)));
  if (person.do_not_contact && !asksForDnc(req)) throw problem('not-found', 'api.people.dncHidden');
  return person;
}

/**
 * The request's fields over the person's current ones, read by the person form's own validation (validatePerson)
 * and e-mail check; skills named by id or name (resolved like the search does). Throws a 422 listing every field.
 */
async function personInput(db: Knex, write: PersonWrite, current: ApiPerson | null): Promise<PersonInput> {
  const merged = { ...(current ?? {}), ...write } as Partial<ApiPerson> & PersonWrite;
  const problems: FieldProblem[] = [];
  const chosen: { id: number; level: number }[] = [];
  const choices = write.skills ?? current?.skills.map((s) => ({ id: s.id, name: undefined, level: s.level })) ?? [];
  const names = choices.filter((c) => c.id === undefined && c.name).map((c) => c.name!);
  // one name at a time: resolveSkills answers a set, and each choice needs its own id
  const byName = new Map<string, number | undefined>();
  for (const n of new Set(names)) byName.set(n, (await resolveSkills(db, [n])).skills[0]?.id);
  const missing = new Set(await unknownSkillIds(db, choices.flatMap((c) => (c.id !== undefined ? [c.id] : []))));
  choices.forEach((c, i) => {
    if (c.id === undefined && !c.name) return problems.push({ field: `skills[${i}]`, key: 'validation.required' });
    const skillId = c.id ?? byName.get(c.name!);
    if (skillId === undefined || missing.has(skillId)) return problems.push({ field: `skills[${i}]`, key: 'api.people.unknownSkill', vars: { skill: String(c.id ?? c.name) } });
    chosen.push({ id: skillId, level: c.level ?? 1 });
  });
  const str = (v: string | null | undefined) => v ?? '';
  const body: Record<string, unknown> = {
    first_name: str(merged.first_name), last_name: str(merged.last_name), email: str(merged.email), phone: str(merged.phone),
    city: str(merged.city), postcode: str(merged.postcode), country: str(merged.country), languages: str(merged.languages),
    kind: str(merged.kind), availability: str(merged.availability), organisation: str(merged.organisation), job_title: str(merged.job_title),
    portfolio_url: str(merged.portfolio_url), notes: str(merged.notes), do_not_contact: merged.do_not_contact ? '1' : '',
    last_confirmed_at: str(merged.last_confirmed_at),
    skill_id: chosen.map((c) => String(c.id)), skill_level: chosen.map((c) => String(c.level)),
    tags: (merged.tags ?? []).join(', '),
  };
  const result = validatePerson(body);
  const errors: Record<string, string> = result.ok ? {} : { ...result.errors };
  const emailCheck = result.ok ? await checkEmail(db, result.value, errors, current?.id) : { errorVars: {} as Record<string, Record<string, string>> };
  for (const [field, key] of Object.entries(errors)) {
    problems.push({ field, key, vars: (emailCheck.errorVars as Record<string, Record<string, string>>)[field] });
  }
  if (problems.length || !result.ok) throw invalid(problems);
  return result.value;
}

export function peopleApiRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = allow('directory.read');
  const write = allow('people.write');

  r.get(`${API_BASE}/people`, read, async (req, res) => {
    const query = req.query as Query;
    const filters = parsePeopleFilters(query);
    const search = filtersToParams(filters, { page: null });
    const { page, limit } = listPage(query, search);
    const result = await findPeople(db, { ...filters, page }, { pageSize: limit, locale: req.locale });
    // a page past the end is empty (the web shows the last page instead)
    const onPage = result.page === page ? result.rows.map((p) => p.id) : [];
    res.json({ data: await apiPeople(db, onPage), next: result.page === page ? nextCursor(page, result.pages, limit, search) : null });
  });

  r.get(`${API_BASE}/people/:id`, read, async (req, res) => {
    const person = await visiblePerson(db, req);
    res.set('ETag', etagOf(person.updated_at)).json(await apiPerson(db, person.id));
  });

  r.post(`${API_BASE}/people`, write, async (req, res) => {
    const parsed = PersonCreateSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalid(zodProblems(parsed.error, req.body));
    const input = await personInput(db, parsed.data, null);
    const id = await createPerson(db, apiActor(req), input);
    const person = found(await findPerson(db, id));
    res.status(201).location(`/api/v1/people/${id}`).set('ETag', etagOf(person.updated_at)).json(await apiPerson(db, id));
  });

  r.patch(`${API_BASE}/people/:id`, write, async (req, res) => {
    const person = await visiblePerson(db, req);
    const ifMatch = req.get('if-match');
    if (!ifMatch) throw problem('precondition-required');
    if (!ifMatchHolds(ifMatch, person.updated_at)) throw problem('precondition-failed');
    const parsed = PersonUpdateSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalid(zodProblems(parsed.error, req.body));
    const input = await personInput(db, parsed.data, found(await apiPerson(db, person.id)));
    try {
      await updatePerson(db, apiActor(req), person.id, input, person.updated_at);
    } catch (err) {
      if (err instanceof VersionConflict) throw problem('precondition-failed');
      throw err;
    }
    const saved = found(await findPerson(db, person.id));
    res.set('ETag', etagOf(saved.updated_at)).json(await apiPerson(db, person.id));
  });

  r.delete(`${API_BASE}/people/:id`, allow('people.delete'), async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    const ifMatch = req.get('if-match');
    if (ifMatch && !ifMatchHolds(ifMatch, person.updated_at)) throw problem('precondition-failed');
    await deletePerson(db, apiActor(req), person.id);
    res.status(204).end();
  });

  // erasure as on the web: everything about the person goes, a hashed e-mail stays so imports skip them
  r.post(`${API_BASE}/people/:id/erase`, allow('privacy.manage'), async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    await erasePeople(db, apiActor(req), [person.id]);
    res.status(204).end();
  });

  return r;
}
