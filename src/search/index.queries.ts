// The one writer of people_fts: keeps each person's search document in step with people, their skills (with
// aliases) and tags, inside the caller's transaction. On PostgreSQL it also writes the document's words as a
// tsvector (searchTokens: folded and cut as SQLite's FTS5 tokenizer does), so both databases find the same.
import type { Knex } from 'knex';
import { idList, isPostgres } from '../db.js';
import { foldText } from '../shared/normalise.js';
import { buildPersonDoc, type PersonDocParts } from './search.domain.js';
import { CHANGE_FEED_LOCK } from './schema.queries.js';
import { prepared } from './sqlite.queries.js';

const CHUNK = 500;

/**
 * Rebuilds the index rows of these people (deleted people lose their row). Given the database (not a
 * transaction), each chunk of 500 is its own short transaction, so a re-index of many people lets other
 * work in between; given a transaction, it is part of it. `logged`: the caller changed a row of each of these
 * people in this transaction (the change feed's triggers logged them), so the index need not log them again.
 */
export async function reindexPeople(db: Knex, ids: number[], opts: { logged?: boolean } = {}): Promise<void> {
  if (!ids.length) return;
  const inTransaction = Boolean((db as Knex & { isTransaction?: boolean }).isTransaction);
  // every name of every skill, read once (the taxonomy is small): per group only the person–skill pairs are read
  const names = await skillNames(db);
  if (!inTransaction) {
    for (let i = 0; i < ids.length; i += CHUNK) await db.transaction((trx) => reindexGroup(trx, ids.slice(i, i + CHUNK), names, false));
    return;
  }
  for (let i = 0; i < ids.length; i += GROUP) await reindexGroup(db, ids.slice(i, i + GROUP), names, opts.logged ?? false);
}

/**
 * Within one transaction the documents are written a group at a time, with no other write in between: SQLite's
 * FTS5 flushes its pending terms at every write statement of the transaction, so writing 500 documents between
 * other writes makes many small segments (and merges) where a group makes few.
 */
const GROUP = 10_000;

async function reindexGroup(db: Knex, ids: number[], names: SkillNames, logged: boolean): Promise<void> {
  // the group's rows in one statement per table (not one per 500 people: 60 statements for a group of 10,000)
  const docs = await documentsOf(db, ids, names);
  await replaceSearchDocs(db, ids, docs);
  // The text index changed: move the search version on, so cached results are not reused (unless the caller's
  // own writes in this transaction logged these people already, through the change feed's triggers).
  if (!logged) await logSearchChanges(db, ids);
}

type SkillNames = Map<number, { name: string; name_de: string | null; aliases: string[] }>;

async function skillNames(db: Knex): Promise<SkillNames> {
  const [skills, aliases] = await Promise.all([
    db('skills').select('id', 'name', 'name_de') as Promise<{ id: number; name: string; name_de: string | null }[]>,
    db('skill_aliases').select('skill_id', 'alias') as Promise<{ skill_id: number; alias: string }[]>,
  ]);
  const out: SkillNames = new Map(skills.map((s) => [s.id, { name: s.name, name_de: s.name_de, aliases: [] }]));
  for (const a of aliases) out.get(a.skill_id)?.aliases.push(a.alias);
  return out;
}

/** The search documents of these people, from their fields, skills (every name) and tags. */
async function documentsOf(db: Knex, ids: number[], names: SkillNames): Promise<{ rowid: number; doc: string }[]> {
  const list = idList(db, ids);
  const people = await db('people').whereRaw(`id in ${list.sql}`, [list.binding])
    .select('id', 'first_name', 'last_name', 'email', 'city', 'organisation', 'job_title', 'notes');
  const pairs: { person_id: number; skill_id: number }[] = await db('person_skills').whereRaw(`person_id in ${list.sql}`, [list.binding]).select('person_id', 'skill_id');
  const skills: DocSkillRow[] = [];
  for (const { person_id, skill_id } of pairs) {
    const s = names.get(skill_id);
    if (!s) continue;
    skills.push({ person_id, name: s.name, name_de: s.name_de, alias: null });
    for (const alias of s.aliases) skills.push({ person_id, name: s.name, name_de: s.name_de, alias });
  }
  const tags = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').whereRaw(`pt.person_id in ${list.sql}`, [list.binding])
    .select('pt.person_id', 't.name');
  return personDocs(people, skills, tags);
}

/**
 * Replaces the documents of these people (those without a new one lose theirs). On SQLite row by row through
 * prepared statements on the transaction's own connection: FTS5 takes a `rowid IN (…)` delete and an insert
 * from a compound SELECT (what knex builds for many rows) several times slower than one prepared row at a time.
 */
async function replaceSearchDocs(db: Knex, ids: number[], rows: { rowid: number; doc: string }[]): Promise<void> {
  if (isPostgres(db) || !(db as Knex & { isTransaction?: boolean }).isTransaction) {
    await deleteSearchDocs(db, ids);
    await writeSearchDocs(db, rows);
    return;
  }
  const conn = (await db.client.acquireConnection()) as import('better-sqlite3').Database;
  try {
    const del = prepared(conn, 'DELETE FROM people_fts WHERE rowid = ?');
    const ins = prepared(conn, 'INSERT INTO people_fts (rowid, doc) VALUES (?, ?)');
    for (const id of ids) del.run(id);
    for (const r of rows) ins.run(r.rowid, r.doc);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

export type DocPerson = Omit<PersonDocParts, 'tags' | 'skillNames'> & { id: number };
export interface DocSkillRow { person_id: number; name: string; name_de: string | null; alias: string | null }
export interface DocTagRow { person_id: number; name: string }

/**
 * The one place a person's search document is assembled: their fields, every name of their skills (English,
 * German, aliases) and their tags. `skills` and `tags` may hold rows of other people too.
 */
export function personDocs(people: DocPerson[], skills: DocSkillRow[], tags: DocTagRow[]): { rowid: number; doc: string }[] {
  const skillNames = new Map<number, Set<string>>();
  for (const s of skills) {
    let set = skillNames.get(s.person_id);
    if (!set) skillNames.set(s.person_id, (set = new Set<string>()));
    if (s.name) set.add(s.name);
    if (s.name_de) set.add(s.name_de);
    if (s.alias) set.add(s.alias);
  }
  const tagNames = new Map<number, string[]>();
  for (const t of tags) {
    const list = tagNames.get(t.person_id);
    if (list) list.push(t.name);
    else tagNames.set(t.person_id, [t.name]);
  }
  const none: string[] = [];
  return people.map((p) => {
    const names = skillNames.get(p.id);
    return { rowid: p.id, doc: buildPersonDoc({ ...p, tags: tagNames.get(p.id) ?? none, skillNames: names ? [...names] : none }) };
  });
}

/** The words of a document as the full-text index keeps them: folded (case, accents) and cut at non-letters. */
export function searchTokens(doc: string): string[] {
  return [...new Set(foldText(doc).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
}

/** Inserts search documents (rowid = person id) for people who have none. */
export async function writeSearchDocs(db: Knex, rows: { rowid: number; doc: string }[]): Promise<void> {
  if (!rows.length) return;
  if (!isPostgres(db)) {
    await db.batchInsert('people_fts', rows, 200);
    return;
  }
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    await db('people_fts').insert(part.map((r) => ({ ...r, tsv: db.raw('array_to_tsvector(?::text[])', [searchTokens(r.doc)]) })));
  }
}

/** SQLite's bulk path: writes documents on a raw connection inside the caller's transaction (the network load). */
export function searchDocWriterSqlite(conn: import('better-sqlite3').Database): (id: number, doc: string) => void {
  const st = conn.prepare('INSERT INTO people_fts (rowid, doc) VALUES (?, ?)');
  return (id, doc) => void st.run(id, doc);
}

/** Removes these people's search documents (deleted or erased people, or before a rewrite). */
export async function deleteSearchDocs(db: Knex, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) await db('people_fts').whereIn('rowid', ids.slice(i, i + CHUNK)).del();
}

/**
 * Moves the search version on for these people (the triggers log data changes; this logs document changes).
 * On PostgreSQL the change feed's writers serialise on one advisory lock until commit, so seq follows commit
 * order (see schema.queries.ts).
 */
export async function logSearchChanges(db: Knex, ids: number[]): Promise<void> {
  if (!ids.length) return;
  if (isPostgres(db)) await db.raw('SELECT pg_advisory_xact_lock(?)', [CHANGE_FEED_LOCK]);
  for (let i = 0; i < ids.length; i += CHUNK) await db('search_changes').insert(ids.slice(i, i + CHUNK).map((person_id) => ({ person_id })));
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
