// /api/v1 skills, tags, organisations, projects (with needed skills, team and suggestions), engagements and list
// exports: the same queries and rules as their pages (staff record engagements only for their own organisation).
import { Router } from 'express';
import type { Knex } from 'knex';
import { found, notFound, parseId } from '../http/errors.js';
import { findOrganisations } from '../organisations/organisations.queries.js';
import { ORG_LIMITS, ORG_PAGE_SIZE } from '../organisations/organisations.domain.js';
import { findProject, findProjects, projectSkills } from '../projects/projects.queries.js';
import { PROJECT_PAGE_SIZE, parseProjectFilters, projectFilterParams } from '../projects/projects.domain.js';
import { rankHelpersForProject } from '../projects/suggestions.domain.js';
import { suggestionCandidates } from '../projects/suggestions.queries.js';
import { canManageProject } from '../users/roles.domain.js';
import { validateEngagement } from '../engagements/engagements.domain.js';
import { createEngagement, personExists } from '../engagements/engagements.queries.js';
import { LISTS, chooseColumns, type ListName } from '../exports/columns.domain.js';
import { prepareExport, recordExport, writeExport } from '../exports/lists.service.js';
import { API_BASE, decodeCursor, searchKey } from './api.domain.js';
import { allow, apiActor, apiUser } from './bearer.service.js';
import { invalid, problem } from './problems.domain.js';
import { EngagementCreateSchema, zodProblems } from './schemas.domain.js';
import { apiEngagements, apiOrganisations, apiProject, apiSkills, apiTags } from './directory.queries.js';
import { nextCursor } from './people.routes.js';

type Query = Record<string, unknown>;

/** The page a cursor of this search points at (lists with the page size of their web page). */
function cursorPage(query: Query, search: string): number {
  if (query.cursor === undefined) return 1;
  const c = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : null;
  if (!c || c.search !== searchKey(search)) throw problem('bad-request', 'api.cursor.invalid');
  return c.page;
}

const one = (q: Query, k: string) => String(Array.isArray(q[k]) ? (q[k] as unknown[])[0] ?? '' : q[k] ?? '').trim();

export function directoryApiRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = allow('directory.read');

  r.get(`${API_BASE}/skills`, read, async (_req, res) => { res.json({ data: await apiSkills(db), next: null }); });
  r.get(`${API_BASE}/skills/:id`, read, async (req, res) => { res.json(found((await apiSkills(db, parseId(req.params.id)))[0])); });
  r.get(`${API_BASE}/tags`, read, async (_req, res) => { res.json({ data: await apiTags(db), next: null }); });

  r.get(`${API_BASE}/organisations`, read, async (req, res) => {
    const q = one(req.query as Query, 'q').slice(0, ORG_LIMITS.q);
    const search = new URLSearchParams({ q }).toString();
    const page = cursorPage(req.query as Query, search);
    const result = await findOrganisations(db, { q, page });
    const onPage = result.page === page ? result.rows.map((o) => o.id) : [];
    res.json({ data: await apiOrganisations(db, onPage), next: result.page === page ? nextCursor(page, result.pages, ORG_PAGE_SIZE, search) : null });
  });
  r.get(`${API_BASE}/organisations/:id`, read, async (req, res) => { res.json(found((await apiOrganisations(db, [parseId(req.params.id)]))[0])); });

  r.get(`${API_BASE}/projects`, read, async (req, res) => {
    const filters = parseProjectFilters(req.query as Query);
    const search = projectFilterParams(filters, { page: null });
    const page = cursorPage(req.query as Query, search);
    const result = await findProjects(db, { ...filters, page });
    const rows = result.page === page ? result.rows : [];
    res.json({
      data: rows.map((p) => ({
        id: p.id, title: p.title, organisation_id: p.organisation_id, organisation: p.organisation_name, kind: p.kind, status: p.status,
        start_date: p.start_date, end_date: p.end_date, team: Number(p.team),
      })),
      next: result.page === page ? nextCursor(page, result.pages, PROJECT_PAGE_SIZE, search) : null,
    });
  });
  r.get(`${API_BASE}/projects/:id`, read, async (req, res) => { res.json(found(await apiProject(db, parseId(req.params.id)))); });

  r.get(`${API_BASE}/projects/:id/suggestions`, read, async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    const skills = await projectSkills(db, project.id);
    const candidates = await suggestionCandidates(db, project, skills.map((s) => s.skill_id));
    const needed = skills.map((s) => ({ skillId: s.skill_id, name: req.locale === 'de' && s.name_de ? s.name_de : s.name, minLevel: s.min_level }));
    const ranked = rankHelpersForProject({ needed, candidates, today: new Date().toISOString().slice(0, 10) });
    res.json({
      data: ranked.map((s) => ({
        person_id: s.personId, name: s.name, score: s.score, covered: s.covered, needed: s.neededCount, availability: s.reasons.availability,
        skills: s.reasons.skills.map((k) => ({ id: k.skillId, name: k.name, level: k.levelKnown ? k.level : null, min_level: k.minLevel, meets_level: k.meetsLevel })),
        missing: s.reasons.missing.map((m) => m.name),
      })),
      next: null,
    });
  });

  r.post(`${API_BASE}/projects/:id/engagements`, allow('engagements.write'), async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    // staff: only their own organisation's projects (as on the web)
    if (!canManageProject(apiUser(req), project, 'engagements.write')) throw problem('forbidden', 'api.engagements.otherOrganisation');
    const parsed = EngagementCreateSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalid(zodProblems(parsed.error, req.body));
    const e = parsed.data;
    const s = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
    const result = validateEngagement({
      person_id: String(e.person_id), role: s(e.role), start_date: s(e.start_date), end_date: s(e.end_date), hours: s(e.hours),
      paid: e.paid ? '1' : '', rate: s(e.rate), outcome: s(e.outcome), feedback: s(e.feedback), rating: s(e.rating), handover: s(e.handover),
    });
    const fields = result.ok ? [] : Object.entries(result.errors).map(([field, key]) => ({ field, key }));
    if (!(await personExists(db, e.person_id))) fields.push({ field: 'person_id', key: 'api.engagements.unknownPerson' });
    if (!result.ok || fields.length) throw invalid(fields);
    const id = await createEngagement(db, apiActor(req), project.id, result.value, { source: 'api' });
    res.status(201).location(`/api/v1/engagements/${id}`).json((await apiEngagements(db, { id }))[0]);
  });
  r.get(`${API_BASE}/engagements/:id`, read, async (req, res) => { res.json(found((await apiEngagements(db, { id: parseId(req.params.id) }))[0])); });

  // a list as plain CSV (RFC 4180: `,`, CRLF, no byte-order mark), audited like the web's export
  r.get(`${API_BASE}/exports/:list`, allow('exports.download'), async (req, res) => {
    const list = String(req.params.list) as ListName;
    if (!(LISTS as readonly string[]).includes(list)) throw notFound();
    const query = req.query as Query;
    const e = await prepareExport(db, list, query, req.locale);
    const columns = chooseColumns(list, query.col);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${list}.csv"`);
    try {
      const result = await writeExport(db, e, res, { locale: req.locale, format: { delimiter: ',', bom: false }, columns, fileType: 'csv', end: false });
      await recordExport(db, apiActor(req), e, result, { via: 'api' }, 'csv');
      if (result.complete) res.end();
    } catch (err) {
      await recordExport(db, apiActor(req), e, { rows: 0, complete: false }, { via: 'api', failed: true }, 'csv');
      throw err;
    }
  });

  return r;
}
