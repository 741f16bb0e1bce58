// Projects: filtered list, one project with its needed skills and team, and audited writes.
import type { EngagementFacts } from '../engagements/engagements.queries.js';
import type { Knex } from 'knex';
import { updateVersioned } from '../shared/versions.queries.js';
import { nowIso } from '../db.js';
import { likePattern } from '../organisations/organisations.domain.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { PROJECT_PAGE_SIZE, type NeededSkill, type ProjectFilters, type ProjectInput } from './projects.domain.js';

export interface ProjectRow {
  id: number;
  organisation_id: number;
  organisation_name: string;
  title: string;
  kind: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectListRow {
  id: number;
  title: string;
  kind: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  organisation_id: number;
  organisation_name: string;
  team: number;
}

/** Projects whose title contains the typed words (case-insensitive): the list's search, its export and the project picker. */
export function whereTitleMatches(qb: Knex.QueryBuilder, typed: string, column = 'p.title'): void {
  for (const word of typed.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) {
    qb.whereRaw(`lower(${column}) like ? escape '\\'`, [likePattern(word)]);
  }
}

/** Projects whose title matches, optionally of one organisation, newest first: the first `limit` and how many match in all. */
export async function pickProjects(db: Knex, typed: string, opts: { org?: number | null; limit: number }): Promise<{
  rows: { id: number; title: string; organisation_name: string; start_date: string | null }[]; total: number;
}> {
  const base = () => db('projects as p').modify((qb) => {
    whereTitleMatches(qb, typed);
    if (opts.org) qb.where('p.organisation_id', opts.org);
  });
  const total = Number((await base().count<{ n: number }>({ n: '*' }).first())?.n ?? 0);
  const rows = await base().join('organisations as o', 'o.id', 'p.organisation_id')
    .orderByRaw('coalesce(p.start_date, substr(p.created_at, 1, 10)) desc, p.id desc').limit(opts.limit)
    .select('p.id', 'p.title', 'o.name as organisation_name', 'p.start_date');
  return { rows, total };
}

/** One page of projects matching the filters, newest first. */
export async function findProjects(db: Knex, f: ProjectFilters): Promise<{ rows: ProjectListRow[]; total: number; page: number; pages: number }> {
  const base = () => db('projects as p').modify((qb) => {
    whereTitleMatches(qb, f.q);
    if (f.status) qb.where('p.status', f.status);
    if (f.kind) qb.where('p.kind', f.kind);
    if (f.org) qb.where('p.organisation_id', f.org);
  });
  const total = Number((await base().count<{ n: number }>({ n: '*' }).first())?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / PROJECT_PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = await base()
    .join('organisations as o', 'o.id', 'p.organisation_id')
    .orderByRaw('coalesce(p.start_date, substr(p.created_at, 1, 10)) desc, p.id desc')
    .limit(PROJECT_PAGE_SIZE)
    .offset((page - 1) * PROJECT_PAGE_SIZE)
    .select('p.id', 'p.title', 'p.kind', 'p.status', 'p.start_date', 'p.end_date', 'p.organisation_id', 'o.name as organisation_name',
      db.raw('(select count(*) from engagements e where e.project_id = p.id) as team'));
  return { rows, total, page, pages };
}

export function findProject(db: Knex, id: number): Promise<ProjectRow | undefined> {
  return db('projects as p').join('organisations as o', 'o.id', 'p.organisation_id').where('p.id', id).first('p.*', 'o.name as organisation_name');
}

export interface ProjectSkillRow {
  skill_id: number;
  name: string;
  name_de: string | null;
  min_level: number;
}

/** A project's needed skills, highest level first. */
export function projectSkills(db: Knex, projectId: number): Promise<ProjectSkillRow[]> {
  return db('project_skills as pk')
    .join('skills as s', 's.id', 'pk.skill_id')
    .where('pk.project_id', projectId)
    .orderBy([{ column: 'pk.min_level', order: 'desc' }, { column: 's.name' }])
    .select('pk.skill_id', 's.name', 's.name_de', 'pk.min_level');
}

export interface TeamRow extends EngagementFacts {
  id: number;
  person_id: number;
  first_name: string;
  last_name: string;
  do_not_contact: number;
}

/** The team: a project's engagements with the people, most recent first. */
export function projectTeam(db: Knex, projectId: number): Promise<TeamRow[]> {
  return db('engagements as e')
    .join('people as pe', 'pe.id', 'e.person_id')
    .where('e.project_id', projectId)
    .orderByRaw('coalesce(e.end_date, e.start_date) desc nulls last, e.id desc')
    .select('e.id', 'e.person_id', 'pe.first_name', 'pe.last_name', 'pe.do_not_contact', 'e.role', 'e.start_date', 'e.end_date',
      'e.hours', 'e.paid', 'e.rate', 'e.outcome', 'e.feedback', 'e.rating', 'e.handover');
}

/** Which of these skill ids do not exist? */
export async function unknownSkillIds(db: Knex, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const known = new Set<number>(await db('skills').whereIn('id', ids).pluck('id'));
  return ids.filter((id) => !known.has(id));
}

export async function organisationExists(db: Knex, id: number): Promise<boolean> {
  return Boolean(await db('organisations').where({ id }).first('id'));
}

async function setProjectSkills(trx: Knex, projectId: number, skills: NeededSkill[]): Promise<void> {
  await trx('project_skills').where({ project_id: projectId }).del();
  if (skills.length) {
    await trx('project_skills').insert(skills.map((s) => ({ project_id: projectId, skill_id: s.skillId, min_level: s.minLevel })));
  }
}

async function snapshot(db: Knex, id: number): Promise<Record<string, unknown>> {
  const row = await db('projects').where({ id }).first();
  const skills = (await projectSkills(db, id)).map((s) => `${s.name} (${s.min_level})`).sort().join(', ');
  return { ...row, skills };
}

function columns(input: ProjectInput) {
  const { skills: _skills, ...fields } = input;
  return fields;
}

export async function createProject(db: Knex, actor: Actor, input: ProjectInput): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('projects').insert({ ...columns(input), created_at: now, updated_at: now }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await setProjectSkills(trx, id, input.skills);
    await recordAudit(trx, actor, { action: 'create', entityType: 'project', entityId: id, changes: await snapshot(trx, id) });
    return id;
  });
}

/** Saves a project's form; with `version` only if nobody saved it since (else VersionConflict, nothing written). */
export async function updateProject(db: Knex, actor: Actor, id: number, input: ProjectInput, version?: string): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await snapshot(trx, id);
    await updateVersioned(trx, 'projects', id, columns(input), version);
    await setProjectSkills(trx, id, input.skills);
    await recordUpdate(trx, actor, 'project', id, before, await snapshot(trx, id));
  });
}

/** How many engagements go with a project when it is deleted. */
export async function projectDeleteImpact(db: Knex, id: number): Promise<{ engagements: number }> {
  const e = await db('engagements').where({ project_id: id }).count<{ n: number }>({ n: '*' }).first();
  return { engagements: Number(e?.n ?? 0) };
}

/** Deletes a project; its needed skills and engagements go with it (cascade). */
export async function deleteProject(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await snapshot(trx, id);
    const impact = await projectDeleteImpact(trx, id);
    await trx('projects').where({ id }).del();
    await recordAudit(trx, actor, { action: 'delete', entityType: 'project', entityId: id, changes: { ...before, deleted_with: impact } });
  });
}
