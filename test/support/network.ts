// Small known networks for tests: rows written straight into the database (fast, no HTTP).
import type { Knex } from 'knex';
import { foldText, nameKey, normaliseName } from '../../src/shared/normalise.js';

const NOW = '2026-01-01T00:00:00.000Z';

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? r.id : r;
}

/** YYYY-MM-DD `months` months before (negative: after) today, for data relative to the real clock. */
export function monthsAgo(months: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

export function addOrganisation(db: Knex, name: string, extra: Record<string, unknown> = {}): Promise<number> {
  return insertId(db, 'organisations', { name, name_norm: foldText(name), kind: 'association', created_at: NOW, updated_at: NOW, ...extra });
}

export function addSkill(db: Knex, name: string, name_de: string | null = null): Promise<number> {
  return insertId(db, 'skills', { name, name_de, name_norm: nameKey(name), created_at: NOW, updated_at: NOW });
}

export async function addPerson(
  db: Knex, first: string, last: string,
  opts: { skills?: [number, number][]; dnc?: boolean; availability?: string; confirmed?: string | null } = {},
): Promise<number> {
  const id = await insertId(db, 'people', {
    first_name: first, last_name: last, name_norm: normaliseName(first, last), availability: opts.availability ?? 'available',
    do_not_contact: opts.dnc ? 1 : 0, last_confirmed_at: opts.confirmed ?? null, created_at: NOW, updated_at: NOW,
  });
  for (const [skillId, level] of opts.skills ?? []) await db('person_skills').insert({ person_id: id, skill_id: skillId, level });
  return id;
}

export async function addProject(
  db: Knex, organisationId: number, title: string,
  opts: { status?: string; kind?: string; start?: string | null; end?: string | null; needs?: [number, number][] } = {},
): Promise<number> {
  const id = await insertId(db, 'projects', {
    organisation_id: organisationId, title, kind: opts.kind ?? 'implementation', status: opts.status ?? 'open',
    start_date: opts.start ?? null, end_date: opts.end ?? null, created_at: NOW, updated_at: NOW,
  });
  for (const [skillId, min] of opts.needs ?? []) await db('project_skills').insert({ project_id: id, skill_id: skillId, min_level: min });
  return id;
}

export function addEngagement(
  db: Knex, personId: number, projectId: number,
  opts: { start?: string | null; end?: string | null; hours?: number | null; rating?: number | null; role?: string } = {},
): Promise<number> {
  return insertId(db, 'engagements', {
    person_id: personId, project_id: projectId, role: opts.role ?? null, start_date: opts.start ?? null, end_date: opts.end ?? null,
    hours: opts.hours ?? null, rating: opts.rating ?? null, created_at: NOW, updated_at: NOW,
  });
}
