// Keeps people_fts in step with people, their skills (with aliases) and tags.
import type { Knex } from 'knex';
import { buildPersonDoc } from './search.domain.js';

const CHUNK = 500;

/**
 * Rebuilds the index rows of these people (deleted people lose their row). Given the database (not a
 * transaction), each chunk of 500 is its own short transaction, so a re-index of many people lets other
 * work in between; given a transaction, it is part of it.
 */
export async function reindexPeople(db: Knex, ids: number[]): Promise<void> {
  const inTransaction = Boolean((db as Knex & { isTransaction?: boolean }).isTransaction);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    if (inTransaction) await reindexChunk(db, chunk);
    else await db.transaction((trx) => reindexChunk(trx, chunk));
  }
}

async function reindexChunk(db: Knex, chunk: number[]): Promise<void> {
  const people = await db('people').whereIn('id', chunk)
    .select('id', 'first_name', 'last_name', 'email', 'city', 'organisation', 'job_title', 'notes');
  const skills = await db('person_skills as ps')
    .join('skills as s', 's.id', 'ps.skill_id')
    .leftJoin('skill_aliases as a', 'a.skill_id', 's.id')
    .whereIn('ps.person_id', chunk)
    .select('ps.person_id', 's.name', 's.name_de', 'a.alias');
  const tags = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').whereIn('pt.person_id', chunk)
    .select('pt.person_id', 't.name');
  const skillNames = new Map<number, Set<string>>();
  for (const s of skills) {
    const set = skillNames.get(s.person_id) ?? new Set<string>();
    for (const n of [s.name, s.name_de, s.alias]) if (n) set.add(n);
    skillNames.set(s.person_id, set);
  }
  const tagNames = new Map<number, string[]>();
  for (const t of tags) tagNames.set(t.person_id, [...(tagNames.get(t.person_id) ?? []), t.name]);
  await db('people_fts').whereIn('rowid', chunk).del();
  const rows = people.map((p) => ({
    rowid: p.id,
    doc: buildPersonDoc({ ...p, tags: tagNames.get(p.id) ?? [], skillNames: [...(skillNames.get(p.id) ?? [])] }),
  }));
  if (rows.length) await db.batchInsert('people_fts', rows, 200);
  // The text index changed: move the search version on, so cached results are not reused.
  await db('search_changes').insert(chunk.map((person_id) => ({ person_id })));
}

/** Reindexes everyone who has a skill (after a skill is renamed, merged or gets an alias). */
export async function reindexPeopleWithSkill(db: Knex, skillId: number): Promise<void> {
  const ids = await db('person_skills').where({ skill_id: skillId }).pluck('person_id');
  await reindexPeople(db, ids);
}

export async function reindexAll(db: Knex): Promise<void> {
  await db('people_fts').del();
  const ids = await db('people').pluck('id');
  await reindexPeople(db, ids);
}
