// Skills, their categories and aliases; merging one skill into another moves every link.
import type { Knex } from 'knex';
import type { SkillEntryCandidate } from './skill-entry.domain.js';
import { listAgg, nowIso, PreparedRead } from '../db.js';
import { nameKey } from '../shared/normalise.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { reindexPeople, reindexPeopleWithSkill } from '../search/index.queries.js';
import { aliasesToStore, type SkillInput } from './skills.domain.js';

export interface SkillOption {
  id: number;
  name: string;
  name_de: string | null;
  category: string | null;
  category_de: string | null;
}

/** Every skill for pickers, grouped by category order. */
export function listSkillOptions(db: Knex): Promise<SkillOption[]> {
  return db('skills as s')
    .leftJoin('skill_categories as c', 'c.id', 's.category_id')
    .orderBy([{ column: 'c.position' }, { column: 's.name' }])
    .select('s.id', 's.name', 's.name_de', 'c.name_en as category', 'c.name_de as category_de');
}

/** English skill name → German name, for the skills that have one (to show stored English names in German). */
export async function germanSkillNames(db: Knex): Promise<Record<string, string>> {
  return germanNamesOf(await GERMAN_SKILL_NAMES.run(db));
}

export const GERMAN_SKILL_NAMES = new PreparedRead<[], { name: string; name_de: string }[]>((db) =>
  db('skills').whereNotNull('name_de').whereNot('name_de', '').select('name', 'name_de'));

export function germanNamesOf(rows: { name: string; name_de: string }[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.name, r.name_de]));
}

export function listCategories(db: Knex): Promise<{ id: number; slug: string; name_en: string; name_de: string }[]> {
  return db('skill_categories').orderBy('position').select('id', 'slug', 'name_en', 'name_de');
}

export interface SkillListRow extends SkillOption {
  people: number;
  projects: number;
  aliases: string | null;
}

/** Skills with how many people and projects use each. */
export function listSkillsWithUsage(db: Knex): Promise<SkillListRow[]> {
  return db('skills as s')
    .leftJoin('skill_categories as c', 'c.id', 's.category_id')
    .orderBy([{ column: 'c.position' }, { column: 's.name' }])
    .select(
      's.id', 's.name', 's.name_de', 'c.name_en as category', 'c.name_de as category_de',
      db.raw('(select count(*) from person_skills ps where ps.skill_id = s.id) as people'),
      db.raw('(select count(*) from project_skills pk where pk.skill_id = s.id) as projects'),
      db.raw(`(select ${listAgg(db, 'a.alias', ', ', 'a.id')} from skill_aliases a where a.skill_id = s.id and (a.lang is null or a.lang != 'de')) as aliases`),
    );
}

export function findSkill(db: Knex, id: number) {
  return db('skills').where({ id }).first();
}

export async function skillAliases(db: Knex, id: number): Promise<string[]> {
  return db('skill_aliases').where({ skill_id: id }).where((q) => q.whereNull('lang').orWhereNot('lang', 'de')).orderBy('alias').pluck('alias');
}

/** Which of these names is already another skill's name or alias? Returns the clashing name. */
export async function nameClash(db: Knex, input: SkillInput, exceptId?: number): Promise<string | null> {
  for (const n of [input.name, input.name_de, ...input.aliases]) {
    if (!n) continue;
    const k = nameKey(n);
    const s = await db('skills').where({ name_norm: k }).modify((q) => exceptId && q.whereNot({ id: exceptId })).first('id');
    const a = await db('skill_aliases').where({ alias_norm: k }).modify((q) => exceptId && q.whereNot({ skill_id: exceptId })).first('id');
    if (s || a) return n;
  }
  return null;
}

async function writeAliases(trx: Knex, skillId: number, input: SkillInput) {
  await trx('skill_aliases').where({ skill_id: skillId }).del();
  const rows = aliasesToStore(input).map((a) => ({ skill_id: skillId, alias: a.alias, alias_norm: nameKey(a.alias), lang: a.lang }));
  if (rows.length) await trx('skill_aliases').insert(rows);
}

export async function createSkill(db: Knex, actor: Actor, input: SkillInput): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('skills').insert({
      name: input.name, name_de: input.name_de, name_norm: nameKey(input.name), category_id: input.category_id,
      description: input.description, created_at: now, updated_at: now,
    }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await writeAliases(trx, id, input);
    await recordAudit(trx, actor, { action: 'create', entityType: 'skill', entityId: id, changes: { ...input } });
    return id;
  });
}

export async function updateSkill(db: Knex, actor: Actor, id: number, input: SkillInput): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('skills').where({ id }).first();
    const beforeAliases = (await skillAliases(trx, id)).join(', ');
    const patch = { name: input.name, name_de: input.name_de, name_norm: nameKey(input.name), category_id: input.category_id, description: input.description };
    await trx('skills').where({ id }).update({ ...patch, updated_at: nowIso() });
    await writeAliases(trx, id, input);
    await recordUpdate(trx, actor, 'skill', id, { ...before, aliases: beforeAliases }, { ...before, ...patch, aliases: input.aliases.join(', ') });
  });
  // the search documents of everyone with the skill, in short steps after the commit (searches interleave)
  await reindexPeopleWithSkill(db, id);
}

export async function skillUsage(db: Knex, id: number): Promise<{ people: number; projects: number }> {
  const p = await db('person_skills').where({ skill_id: id }).count<{ n: number }>({ n: '*' }).first();
  const q = await db('project_skills').where({ skill_id: id }).count<{ n: number }>({ n: '*' }).first();
  return { people: Number(p?.n ?? 0), projects: Number(q?.n ?? 0) };
}

export async function deleteSkill(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('skills').where({ id }).first();
    const people = await trx('person_skills').where({ skill_id: id }).pluck('person_id');
    await trx('skills').where({ id }).del();
    await reindexPeople(trx, people);
    await recordAudit(trx, actor, { action: 'delete', entityType: 'skill', entityId: id, changes: before });
  });
}

/**
 * Merges `fromId` into `intoId`: people and projects move over (keeping the higher level), the old name
 * becomes an alias of the target, and the old skill is gone. Either name then finds the same people.
 */
export async function mergeSkills(db: Knex, actor: Actor, fromId: number, intoId: number): Promise<{ people: number; projects: number }> {
  if (fromId === intoId) throw new Error('cannot merge a skill into itself');
  const merged = await mergeSkillRows(db, actor, fromId, intoId);
  // the links moved in one short transaction; the search documents follow in short steps of their own, so
  // searches answer meanwhile (for that moment a person is found by the merged skill's old names only)
  await reindexPeopleWithSkill(db, intoId);
  return merged;
}

function mergeSkillRows(db: Knex, actor: Actor, fromId: number, intoId: number): Promise<{ people: number; projects: number }> {
  return db.transaction(async (trx) => {
    const from = await trx('skills').where({ id: fromId }).first();
    const into = await trx('skills').where({ id: intoId }).first();
    if (!from || !into) throw new Error('skill not found');
    const people = await trx('person_skills').where({ skill_id: fromId }).pluck('person_id');
    // One statement each, however many links: keep the higher level and the later last use (NULL stays NULL).
    await trx.raw(
      `insert into person_skills (person_id, skill_id, level, last_used_at)
       select person_id, ?, level, last_used_at from person_skills where skill_id = ? and true
       on conflict (person_id, skill_id) do update set
         level = case when excluded.level > person_skills.level then excluded.level else person_skills.level end,
         last_used_at = case when person_skills.last_used_at is null or excluded.last_used_at > person_skills.last_used_at
           then coalesce(excluded.last_used_at, person_skills.last_used_at) else person_skills.last_used_at end`,
      [intoId, fromId],
    );
    const projects = await trx('project_skills').where({ skill_id: fromId }).pluck('project_id');
    await trx.raw(
      `insert into project_skills (project_id, skill_id, min_level)
       select project_id, ?, min_level from project_skills where skill_id = ? and true
       on conflict (project_id, skill_id) do update set
         min_level = case when excluded.min_level > project_skills.min_level then excluded.min_level else project_skills.min_level end`,
      [intoId, fromId],
    );
    const oldAliases = await trx('skill_aliases').where({ skill_id: fromId }).select('alias', 'lang');
    await trx('skills').where({ id: fromId }).del(); // cascades its links and aliases
    const takenKeys = new Set([into.name_norm, ...(await trx('skill_aliases').pluck('alias_norm'))]);
    for (const a of [{ alias: from.name, lang: null }, ...(from.name_de ? [{ alias: from.name_de, lang: null }] : []), ...oldAliases]) {
      const k = nameKey(a.alias);
      if (!k || takenKeys.has(k)) continue;
      takenKeys.add(k);
      await trx('skill_aliases').insert({ skill_id: intoId, alias: a.alias, alias_norm: k, lang: a.lang === 'de' ? null : a.lang });
    }
    await recordAudit(trx, actor, {
      action: 'merge', entityType: 'skill', entityId: intoId,
      changes: { merged: { from: `${from.name} (#${fromId})`, to: into.name }, people: people.length, projects: projects.length },
    });
    return { people: people.length, projects: projects.length };
  });
}

/** Every skill with all the names it is found by (the skill entry field matches them in memory: a few hundred at most). */
export async function skillEntryCandidates(db: Knex): Promise<SkillEntryCandidate[]> {
  const [skills, aliases] = await Promise.all([
    db('skills').select('id', 'name', 'name_de') as Promise<{ id: number; name: string; name_de: string | null }[]>,
    db('skill_aliases').select('skill_id', 'alias') as Promise<{ skill_id: number; alias: string }[]>,
  ]);
  const by = new Map<number, string[]>();
  for (const a of aliases) (by.get(a.skill_id) ?? by.set(a.skill_id, []).get(a.skill_id)!).push(a.alias);
  return skills.map((s) => ({ ...s, aliases: by.get(s.id) ?? [] }));
}
