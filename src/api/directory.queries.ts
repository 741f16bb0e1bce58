// Skills, tags, organisations, projects and engagements as the API shows them (set-based: a few queries per answer).
import type { Knex } from 'knex';
import { findProject, projectSkills } from '../projects/projects.queries.js';
import { projectShortlist } from '../shortlists/shortlists.queries.js';

const bool = (v: unknown) => Boolean(Number(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Skills (all, or one), with category and every alias, by category and name. */
export async function apiSkills(db: Knex, id?: number) {
  const rows = await db('skills as s').leftJoin('skill_categories as c', 'c.id', 's.category_id')
    .modify((q) => { if (id !== undefined) q.where('s.id', id); })
    .orderBy([{ column: 'c.position' }, { column: 's.name' }])
    .select('s.id', 's.name', 's.name_de', 'c.name_en as category', 'c.name_de as category_de',
      db.raw('(select count(*) from person_skills ps where ps.skill_id = s.id) as people'),
      db.raw('(select count(*) from project_skills pk where pk.skill_id = s.id) as projects'));
  const aliases = await db('skill_aliases').modify((q) => { if (id !== undefined) q.where('skill_id', id); }).orderBy('alias').select('skill_id', 'alias');
  const of = new Map<number, string[]>();
  for (const a of aliases) of.set(a.skill_id, [...(of.get(a.skill_id) ?? []), a.alias]);
  return rows.map((r: { id: number; people: unknown; projects: unknown }) => ({ ...r, people: Number(r.people), projects: Number(r.projects), aliases: of.get(r.id) ?? [] }));
}

export async function apiTags(db: Knex) {
  const rows = await db('tags as t').orderBy('t.name')
    .select('t.id', 't.name', db.raw('(select count(*) from person_tags pt where pt.tag_id = t.id) as people'));
  return rows.map((r) => ({ ...r, people: Number(r.people) }));
}

/** These organisations in this order, with their counts of projects and helpers. */
export async function apiOrganisations(db: Knex, ids: number[]) {
  if (!ids.length) return [];
  const rows = await db('organisations as o').whereIn('o.id', ids).select(
    'o.id', 'o.name', 'o.kind', 'o.city', 'o.website', 'o.contact_name', 'o.contact_email', 'o.notes', 'o.created_at', 'o.updated_at',
    db.raw('(select count(*) from projects p where p.organisation_id = o.id) as projects'),
    db.raw('(select count(distinct e.person_id) from engagements e join projects p on p.id = e.project_id where p.organisation_id = o.id) as helpers'),
  );
  const byId = new Map(rows.map((r) => [r.id, { ...r, projects: Number(r.projects), helpers: Number(r.helpers) }]));
  return ids.flatMap((i) => (byId.has(i) ? [byId.get(i)!] : []));
}

const ENGAGEMENT_COLUMNS = ['e.id', 'e.person_id', 'e.project_id', 'p.organisation_id', 'e.role', 'e.start_date', 'e.end_date', 'e.hours', 'e.paid',
  'e.rate', 'e.outcome', 'e.feedback', 'e.rating', 'e.handover', 'e.created_at', 'e.updated_at'];

function engagementOut(r: Record<string, unknown>) {
  return { ...r, paid: bool(r.paid), hours: num(r.hours), rate: num(r.rate), rating: num(r.rating) };
}

/** Engagements (of a project, or one by id), most recent first. */
export async function apiEngagements(db: Knex, where: { projectId?: number; id?: number }) {
  const rows = await db('engagements as e').join('projects as p', 'p.id', 'e.project_id')
    .modify((q) => {
      if (where.projectId !== undefined) q.where('e.project_id', where.projectId);
      if (where.id !== undefined) q.where('e.id', where.id);
    })
    .orderByRaw('coalesce(e.end_date, e.start_date) desc, e.id desc').select(ENGAGEMENT_COLUMNS);
  return rows.map(engagementOut);
}

/** A project with its needed skills and team. */
export async function apiProject(db: Knex, id: number) {
  const p = await findProject(db, id);
  if (!p) return undefined;
  const [skills, team, shortlist] = await Promise.all([projectSkills(db, id), apiEngagements(db, { projectId: id }), projectShortlist(db, id)]);
  return {
    id: p.id, title: p.title, organisation_id: p.organisation_id, organisation: p.organisation_name, kind: p.kind, status: p.status,
    start_date: p.start_date, end_date: p.end_date, description: p.description,
    needed_skills: skills.map((s) => ({ id: s.skill_id, name: s.name, name_de: s.name_de, min_level: Number(s.min_level) })),
    team,
    shortlist: shortlist.filter((e) => !Number(e.do_not_contact)).map((e) => ({
      person_id: e.person_id, state: e.state, reason: e.reason, asked_at: e.asked_at, engagement_id: e.engagement_id, updated_at: e.updated_at,
    })),
    created_at: p.created_at, updated_at: p.updated_at,
  };
}
