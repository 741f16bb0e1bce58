// Organisations: list and search, one organisation with its projects and past helpers, and audited writes.
import type { Knex } from 'knex';
import { updateVersioned } from '../shared/versions.queries.js';
import { byName, nowIso } from '../db.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { foldText } from '../shared/normalise.js';
import { ORG_PAGE_SIZE, likePattern, organisationColumns, type HelperEngagement, type OrganisationInput } from './organisations.domain.js';

/** Organisations whose (folded) name contains the typed text, by name: the first `limit` and how many match in all (the pickers). */
export async function pickOrganisations(db: Knex, typed: string, limit: number, locale = 'en'): Promise<{ rows: { id: number; name: string; city: string | null }[]; total: number }> {
  const q = foldText(typed);
  const base = () => db('organisations').modify((qb) => {
    if (q) qb.whereRaw(`name_norm like ? escape '\\'`, [likePattern(q)]);
  });
  const total = Number((await base().count<{ n: number }>({ n: '*' }).first())?.n ?? 0);
  const rows = await base().orderBy(byName(db, 'name', locale)).orderBy('id').limit(limit).select('id', 'name', 'city');
  return { rows, total };
}

/** One organisation's name (a picker shows what is chosen). */
export async function organisationName(db: Knex, id: number): Promise<string | null> {
  return ((await db('organisations').where({ id }).first('name')) as { name: string } | undefined)?.name ?? null;
}


export interface OrganisationRow {
  id: number;
  name: string;
  name_norm: string;
  kind: string;
  city: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrganisationListRow {
  id: number;
  name: string;
  kind: string;
  city: string | null;
  projects: number;
  helpers: number;
}

export interface OrganisationPage {
  rows: OrganisationListRow[];
  total: number;
  page: number;
  pages: number;
}

/** One page of organisations whose folded name contains the folded search words, by name. */
export async function findOrganisations(db: Knex, opts: { q: string; page: number }): Promise<OrganisationPage> {
  const q = foldText(opts.q);
  const base = () => db('organisations as o').modify((qb) => {
    if (q) qb.whereRaw(`o.name_norm like ? escape '\\'`, [likePattern(q)]);
  });
  const totalRow = await base().count<{ n: number }>({ n: '*' }).first();
  const total = Number(totalRow?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / ORG_PAGE_SIZE));
  const page = Math.min(Math.max(1, opts.page), pages);
  const rows = await base()
    .orderBy([{ column: 'o.name_norm' }, { column: 'o.id' }])
    .limit(ORG_PAGE_SIZE)
    .offset((page - 1) * ORG_PAGE_SIZE)
    .select(
      'o.id', 'o.name', 'o.kind', 'o.city',
      db.raw('(select count(*) from projects p where p.organisation_id = o.id) as projects'),
      db.raw(`(select count(distinct e.person_id) from engagements e join projects p on p.id = e.project_id
               where p.organisation_id = o.id) as helpers`),
    );
  return { rows, total, page, pages };
}

/** The organisation with this id or exactly this name (the CLI takes either). */
export async function organisationIdByIdOrName(db: Knex, idOrName: string): Promise<number | null> {
  const row = await db('organisations').where({ id: Number(idOrName) || 0 }).orWhere({ name: idOrName }).first('id');
  return row ? Number(row.id) : null;
}

export function findOrganisation(db: Knex, id: number): Promise<OrganisationRow | undefined> {
  return db('organisations').where({ id }).first();
}

export interface OrganisationProject {
  id: number;
  title: string;
  kind: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  engagements: number;
}

/** An organisation's projects, newest first. */
export function organisationProjects(db: Knex, organisationId: number): Promise<OrganisationProject[]> {
  return db('projects as p')
    .where('p.organisation_id', organisationId)
    .orderByRaw('coalesce(p.start_date, p.created_at) desc, p.id desc')
    .select('p.id', 'p.title', 'p.kind', 'p.status', 'p.start_date', 'p.end_date',
      db.raw('(select count(*) from engagements e where e.project_id = p.id) as engagements'));
}

/** A past helper's engagement as the query reads it (the domain's shape plus the handover). */
export interface HelperEngagementRow extends HelperEngagement {
  handover: string | null;
}

export interface HelperSkillRow {
  engagement_id: number;
  skill_id: number;
  name: string;
  name_de: string | null;
}

/**
 * Every engagement on an organisation's projects (most recent first) and, per engagement, the needed
 * skills of the project that the person has: the raw material of the "past helpers" list.
 */
export async function pastHelperRows(db: Knex, organisationId: number): Promise<{ engagements: HelperEngagementRow[]; skills: HelperSkillRow[] }> {
  const engagements = await db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .join('people as pe', 'pe.id', 'e.person_id')
    .where('p.organisation_id', organisationId)
    .orderByRaw('coalesce(e.end_date, e.start_date, p.end_date, p.start_date) desc nulls last, e.id desc')
    .select('e.id as engagement_id', 'e.person_id', 'pe.first_name', 'pe.last_name', 'pe.do_not_contact', 'pe.availability',
      'p.id as project_id', 'p.title as project_title', 'e.role',
      db.raw('coalesce(e.end_date, e.start_date, p.end_date, p.start_date) as date'), 'e.rating', 'e.handover');
  const skills = await db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .join('project_skills as pk', 'pk.project_id', 'p.id')
    .join('person_skills as ps', function () {
      this.on('ps.person_id', '=', 'e.person_id').andOn('ps.skill_id', '=', 'pk.skill_id');
    })
    .join('skills as s', 's.id', 'pk.skill_id')
    .where('p.organisation_id', organisationId)
    .orderBy('s.name')
    .select('e.id as engagement_id', 's.id as skill_id', 's.name', 's.name_de');
  return { engagements, skills };
}

export interface OrganisationImpact {
  projects: number;
  engagements: number;
  staff: number;
}

/** What deleting an organisation takes with it (projects, their engagements) and whose accounts lose it. */
export async function organisationDeleteImpact(db: Knex, id: number): Promise<OrganisationImpact> {
  const p = await db('projects').where({ organisation_id: id }).count<{ n: number }>({ n: '*' }).first();
  const e = await db('engagements as e').join('projects as p', 'p.id', 'e.project_id').where('p.organisation_id', id)
    .count<{ n: number }>({ n: '*' }).first();
  const u = await db('users').where({ organisation_id: id }).count<{ n: number }>({ n: '*' }).first();
  return { projects: Number(p?.n ?? 0), engagements: Number(e?.n ?? 0), staff: Number(u?.n ?? 0) };
}

/** Is there another organisation with the same folded name? */
export async function organisationNameTaken(db: Knex, name: string, exceptId?: number): Promise<boolean> {
  const q = db('organisations').where({ name_norm: foldText(name) });
  if (exceptId) q.whereNot({ id: exceptId });
  return Boolean(await q.first('id'));
}

export async function createOrganisation(db: Knex, actor: Actor, input: OrganisationInput): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('organisations').insert({ ...organisationColumns(input), created_at: now, updated_at: now }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await recordAudit(trx, actor, { action: 'create', entityType: 'organisation', entityId: id, changes: { ...input } });
    return id;
  });
}

/** Saves an organisation's form; with `version` only if nobody saved it since (else VersionConflict, nothing written). */
export async function updateOrganisation(db: Knex, actor: Actor, id: number, input: OrganisationInput, version?: string): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('organisations').where({ id }).first();
    await updateVersioned(trx, 'organisations', id, organisationColumns(input), version);
    await recordUpdate(trx, actor, 'organisation', id, before ?? {}, { ...before, ...organisationColumns(input) });
  });
}

/** Deletes an organisation; its projects, their needed skills and engagements go with it (cascade). */
export async function deleteOrganisation(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('organisations').where({ id }).first();
    const impact = await organisationDeleteImpact(trx, id);
    await trx('organisations').where({ id }).del();
    await recordAudit(trx, actor, { action: 'delete', entityType: 'organisation', entityId: id, changes: { ...before, ...{ deleted_with: impact } } });
  });
}
