// People search on PostgreSQL: the same snapshot, engine, facets and order as on SQLite (search.queries.ts),
// fed by asynchronous knex queries instead of the synchronous better-sqlite3 connection. Only the reading
// differs: the words match through people_fts.tsv (a tsvector with a GIN index, written by index.queries.ts),
// and the snapshot loads in one REPEATABLE READ transaction. All values are bound parameters.
import type { Knex } from 'knex';
import { nameKey } from '../shared/normalise.js';
import { PAGE_SIZE, searchWords, type PeopleFilters } from './search.domain.js';
import { matchingIds, type EngineQuery } from './engine.domain.js';
import { sortedSlice } from './order.domain.js';
import { cachedSearchWith, hasCachedResult } from './results.domain.js';
import {
  engineQuery, relevanceNames, resolveTyped, skillCandidatesSql, skillIdsNamed, TAG_SQL,
  type FindOptions, type ResolvedSkill, type SkillCandidate,
} from './search.queries.js';
import {
  assemblePageRows, facetNameIds, labelFacetsWith, namesSql, PAGE_PEOPLE_SQL, PAGE_SKILLS_SQL,
  type NameTable, type Names, type PagePerson, type PageSkill, type PeopleFacets, type PeopleResult,
} from './rows.queries.js';
import { buildSnapshot, CHANGE_TRIGGERS, warnUntrusted, patchSnapshot, worthPatching, type ChangedRows, type PersonRow, type Snapshot } from './snapshot.domain.js';
import { ENGAGEMENTS_SQL, PEOPLE_SQL, SKILLS_SQL, TAGS_SQL } from './snapshot.queries.js';
import { activityOf } from './facts.domain.js';

/** PostgreSQL's tsquery for the words: every word a quoted lexeme, a prefix from two letters on (as ftsQuery). */
export function tsQuery(q: string): string | null {
  const words = searchWords(q);
  if (!words.length) return null;
  return words.map((w) => `'${w.replace(/['\\]/g, '')}'${w.length > 1 ? ':*' : ''}`).join(' & ');
}

async function rowsAsArrays<T>(db: Knex | Knex.Transaction, sql: string, bindings: unknown[] = []): Promise<T[]> {
  // knex passes options through to pg: rows come as arrays, as better-sqlite3's raw() gives them
  const res = await db.raw(sql, bindings as Knex.RawBinding[]).options({ rowMode: 'array' }) as { rows: T[] };
  return res.rows;
}

async function rowsOf<T>(db: Knex | Knex.Transaction, sql: string, bindings: unknown[] = []): Promise<T[]> {
  return ((await db.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] }).rows;
}

async function versionOf(db: Knex | Knex.Transaction): Promise<number> {
  const [row] = await rowsAsArrays<[number]>(db, 'SELECT coalesce(max(seq), 0) FROM search_changes');
  return row?.[0] ?? 0;
}

/** Are the change feed's triggers in place (migration 20261127100001 on PostgreSQL: one per table)? */
async function triggersPresent(db: Knex | Knex.Transaction): Promise<boolean> {
  const rows = await rowsAsArrays<[string]>(db, `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE t.tgname LIKE 'search\\_changes\\_%' AND t.tgenabled <> 'D'`);
  const have = new Set(rows.map((r) => r[0]));
  const ok = Object.keys(CHANGE_TRIGGERS).every((t) => have.has(t));
  if (!ok) warnUntrusted();
  return ok;
}

async function loadSnapshotPg(db: Knex): Promise<Snapshot> {
  return db.transaction(async (trx) => {
    const [maxId] = await rowsAsArrays<[number | null]>(trx, 'SELECT max(id) FROM people');
    const [people, skills, tags, engagements] = [
      await rowsAsArrays<PersonRow>(trx, PEOPLE_SQL), await rowsAsArrays<number[]>(trx, SKILLS_SQL),
      await rowsAsArrays<number[]>(trx, TAGS_SQL), await rowsAsArrays<[number, number, string, string | null]>(trx, ENGAGEMENTS_SQL),
    ];
    return buildSnapshot({ version: await versionOf(trx), trusted: await triggersPresent(trx), maxId: maxId?.[0] ?? null, people, skills, tags, engagements });
  }, { isolationLevel: 'repeatable read', readOnly: true });
}

/** Patches the snapshot to the database's version; false when a reload is needed. */
async function applyChangesPg(db: Knex, s: Snapshot): Promise<boolean> {
  return db.transaction(async (trx) => {
    const latest = await versionOf(trx);
    if (latest === s.version) return true;
    const [oldest] = await rowsAsArrays<[number | null]>(trx, 'SELECT min(seq) FROM search_changes');
    if (oldest?.[0] == null || oldest[0] > s.version + 1) return false;
    const changed = (await rowsAsArrays<[number]>(trx, 'SELECT DISTINCT person_id FROM search_changes WHERE seq > ? AND seq <= ? AND person_id > 0', [s.version, latest]))
      .map((r) => r[0]);
    if (!worthPatching(s, changed)) return false;
    const rows: ChangedRows = { latest, changed, people: [], skills: [], tags: [], engagements: [] };
    if (changed.length) {
      const any = '= ANY(?::int[])';
      rows.people = await rowsAsArrays(trx, `${PEOPLE_SQL} WHERE id ${any}`, [changed]);
      rows.skills = await rowsAsArrays(trx, `${SKILLS_SQL} WHERE person_id ${any} ORDER BY person_id, skill_id`, [changed]);
      rows.tags = await rowsAsArrays(trx, `${TAGS_SQL} WHERE person_id ${any}`, [changed]);
      rows.engagements = await rowsAsArrays(trx, `${ENGAGEMENTS_SQL} WHERE e.person_id ${any}`, [changed]);
    }
    return patchSnapshot(s, rows);
  }, { isolationLevel: 'repeatable read', readOnly: true });
}

const snapshots = new WeakMap<Knex, Snapshot>();
const refreshing = new WeakMap<Knex, Promise<Snapshot>>();

/**
 * The snapshot, brought up to the database's version (several instances write: search_changes is the feed).
 * One refresh at a time per database: concurrent searches wait for the same one.
 */
export function snapshotForPg(db: Knex): Promise<Snapshot> {
  const running = refreshing.get(db);
  if (running) return running;
  const p = (async () => {
    const cached = snapshots.get(db);
    // nothing written since: one plain query (seq follows commit order, see schema.queries.ts), no transaction
    if (cached?.trusted && (await versionOf(db)) === cached.version) return cached;
    if (cached?.trusted && (await applyChangesPg(db, cached))) return cached;
    const fresh = await loadSnapshotPg(db);
    snapshots.set(db, fresh);
    return fresh;
  })().finally(() => refreshing.delete(db));
  refreshing.set(db, p);
  return p;
}

export function forgetSnapshotPg(db: Knex): void {
  snapshots.delete(db);
}

export function snapshotPg(db: Knex): Snapshot | undefined {
  return snapshots.get(db);
}

/** Ids whose document has every word (as a prefix), ascending. */
export async function textMatchesPg(db: Knex, query: string): Promise<Int32Array> {
  const rows = await rowsAsArrays<[number]>(db, 'SELECT rowid FROM people_fts WHERE tsv @@ ?::tsquery ORDER BY rowid', [query]);
  return Int32Array.from(rows, (r) => r[0]);
}

export async function resolveSkillsPg(db: Knex, typed: string[]): Promise<{ skills: ResolvedSkill[]; unknown: string[] }> {
  if (!typed.length) return { skills: [], unknown: [] };
  const { sql, bindings } = skillCandidatesSql(typed);
  return resolveTyped(typed, await rowsAsArrays<SkillCandidate>(db, sql, bindings));
}

interface PreparedPg {
  snapshot: Snapshot;
  query: EngineQuery | null;
  text: string | null;
  skills: ResolvedSkill[];
  unknown: string[];
  orgName: string | null;
}

/**
 * Everything the engine's question needs, read at once (one round trip's wait on the pool): the typed skills, the
 * tag, the skill names for relevance, the organisation's name and the snapshot's version check.
 */
async function prepareSearchPg(db: Knex, f: PeopleFilters, pageSize: number, today: Date, read?: Promise<Snapshot>): Promise<PreparedPg> {
  const text = tsQuery(f.q);
  const words = searchWords(f.q);
  const snapshotRead = read ?? snapshotForPg(db);
  const [{ skills, unknown }, tagRows, names, orgName, snapshot] = await together(db, [
    () => resolveSkillsPg(db, f.skills),
    () => (f.tag ? rowsAsArrays<[number]>(db, TAG_SQL, [nameKey(f.tag)]) : Promise.resolve(null)),
    // the skill names for relevance come with the search box's lookup tables (no query while the feed stands still)
    async () => relevanceNames(db, f, await snapshotRead),
    () => (f.org ? rowsAsArrays<[string]>(db, 'SELECT name FROM organisations WHERE id = ?', [f.org]) : Promise.resolve(null)),
    () => snapshotRead,
  ] as const);
  const org = orgName?.[0]?.[0] ?? null;
  if (unknown.length && (f.match === 'all' || !skills.length)) return { snapshot, query: null, text, skills, unknown, orgName: org };
  const tag = tagRows ? (tagRows[0]?.[0] ?? -1) : null;
  const textSkillIds = names ? skillIdsNamed(names, words) : [];
  return { snapshot, query: engineQuery(snapshot, f, words, skills, tag, textSkillIds, pageSize, today), text, skills, unknown, orgName: org };
}

async function namesPg(db: Knex, table: NameTable, ids: number[]): Promise<Names> {
  if (!ids.length) return new Map();
  const rows = await rowsOf<{ id: number; name: string; name_de?: string | null }>(db, namesSql(table, ids.length), ids);
  return new Map(rows.map((r) => [r.id, r]));
}

type Reads = readonly (() => Promise<unknown>)[];

/** Independent reads: all at once on a pool (one round trip's wait instead of several); in order inside a transaction. */
async function together<T extends Reads>(db: Knex | Knex.Transaction, reads: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  type Out = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
  if ((db as Knex.Transaction).isTransaction) {
    const out: unknown[] = [];
    for (const read of reads) out.push(await read());
    return out as Out;
  }
  return (await Promise.all(reads.map((read) => read()))) as Out;
}

const NO_FACETS: PeopleFacets = {
  city: [], kind: [], availability: [], language: [], skill: [], level: [], tag: [], org: [], project_kind: [], active: [], dncHidden: 0,
};

/** `read`: the snapshot the search box was just read with (findPeople), so its version is not checked twice. */
export async function findPeoplePg(db: Knex, f: PeopleFilters, opts: FindOptions = {}, read?: Promise<Snapshot>): Promise<PeopleResult> {
  const { snapshot, query, text, skills, unknown, orgName } = await prepareSearchPg(db, f, opts.pageSize ?? PAGE_SIZE, opts.today ?? new Date(), read);
  if (!query) return { rows: [], total: 0, page: 1, pages: 1, unknownSkills: unknown, skills, facets: NO_FACETS, orgName };
  const textIds = text && !hasCachedResult(db, snapshot, query, text) ? await textMatchesPg(db, text) : null;
  // From here to the page's ids nothing waits: the snapshot cannot change underneath.
  const r = cachedSearchWith(db, snapshot, query, text, (q) => (text ? { ...q, textIds: textIds ?? new Int32Array(0) } : q));
  const list = [...r.ids];
  const activity = list.map((id) => (id < snapshot.size ? activityOf(snapshot.facts, id) : 0));
  const nameIds = facetNameIds(r.facets);
  // five independent reads: at once, each on a connection of the pool (one after another in a transaction)
  const [people, pageSkills, skillNames, tagNames, orgNames] = await together(db, [
    () => (list.length ? rowsOf<PagePerson>(db, PAGE_PEOPLE_SQL(list.length), list) : Promise.resolve([])),
    () => (list.length ? rowsOf<PageSkill>(db, PAGE_SKILLS_SQL(list.length), list) : Promise.resolve([])),
    () => namesPg(db, 'skills', nameIds.skills), () => namesPg(db, 'tags', nameIds.tags), () => namesPg(db, 'organisations', nameIds.organisations),
  ] as const);
  const facets = labelFacetsWith(snapshot, r.facets, opts.locale ?? 'en', skillNames, tagNames, orgNames);
  const rows = assemblePageRows(list, people, pageSkills, new Set(query.skillIds), activity);
  return { rows, total: r.total, page: r.page, pages: r.pages, unknownSkills: unknown, skills, facets, orgName };
}

export async function findAllPeopleIdsPg(db: Knex, f: PeopleFilters, today: Date): Promise<number[]> {
  const { snapshot, query: bare, text } = await prepareSearchPg(db, f, Infinity, today);
  if (!bare) return [];
  const textIds = text ? await textMatchesPg(db, text) : null;
  const query = textIds ? { ...bare, textIds } : bare;
  const { hits } = matchingIds(snapshot, query);
  return [...sortedSlice(snapshot, query, hits, 0, hits.length)];
}
