// People search against the database: FTS5 for the words, the in-memory snapshot for filters, facets and
// order, then one small query for the rows on the page. This is the SQLite-specific search module: it runs
// on the raw better-sqlite3 connection with cached prepared statements, all inside one synchronous block
// (no other query can interleave, and no knex overhead on the hot path). All values are bound parameters.
import type { Database } from 'better-sqlite3';
import { parseLanguage } from '../people/languages.domain.js';
import type { Knex } from 'knex';
import { isPostgres, withRawConnection } from '../db.js';
import { dbErrorKey } from '../http/db-errors.js';
import { logError } from '../log.js';
import { foldText, nameKey } from '../shared/normalise.js';
import {
  ACTIVE_YEARS, FILTER_AVAILABILITY, FILTER_KINDS, ftsQuery, PAGE_SIZE, PROJECT_KINDS, searchWords, yearsAgo, type PeopleFilters,
} from './search.domain.js';
import { matchingIds, type EngineQuery } from './engine.domain.js';
import { sortedSlice } from './order.domain.js';
import { labelFacets, pageRows, type PeopleFacets, type PeopleResult } from './rows.queries.js';
import { findAllPeopleIdsPg, findPeoplePg, forgetSnapshotPg, resolveSkillsPg, snapshotForPg, snapshotPg, textMatchesPg, tsQuery } from './pg.queries.js';
import { placeholders, prepared } from './sqlite.queries.js';
import { interpretFilters, skillNorms } from './vocabulary.queries.js';
import type { Snapshot } from './snapshot.domain.js';
import { loadCitiesOnly } from './snapshot.queries.js';
import { forgetHeldSnapshot, heldSnapshot, readySnapshot } from './snapshot.service.js';
import { cachedSearchWith, forgetResults } from './results.domain.js';
import { idsWithoutIndex } from './plain.queries.js';

export type { FacetOption, PeopleFacets, PeopleListRow, PeopleResult } from './rows.queries.js';


export interface ResolvedSkill {
  id: number;
  name: string;
  name_de: string | null;
}

/** A candidate for a typed skill: found by its id, its folded name or an alias's folded name (key is that value). */
export type SkillCandidate = [via: 'id' | 'name' | 'alias', key: string, id: number, name: string, name_de: string | null];

/** One query for every typed value at once (both databases): the candidates resolveTyped chooses from. */
export function skillCandidatesSql(typed: string[]): { sql: string; bindings: (string | number)[] } {
  const ids = [...new Set(typed.filter((t) => /^\d{1,15}$/.test(t) && Number(t) <= 2147483647).map(Number))];
  const keys = [...new Set(typed.map(nameKey))];
  const parts: string[] = [];
  if (ids.length) parts.push(`SELECT 'id' AS via, CAST(id AS TEXT) AS k, id, name, name_de FROM skills WHERE id IN (${placeholders(ids.length)})`);
  parts.push(`SELECT 'name' AS via, name_norm AS k, id, name, name_de FROM skills WHERE name_norm IN (${placeholders(keys.length)})`,
    `SELECT 'alias' AS via, a.alias_norm AS k, s.id, s.name, s.name_de FROM skill_aliases a JOIN skills s ON s.id = a.skill_id WHERE a.alias_norm IN (${placeholders(keys.length)})`);
  return { sql: parts.join(' UNION ALL '), bindings: [...ids, ...keys, ...keys] };
}

/**
 * The rule, once for both databases: a typed value is a skill's id (digits), else a skill's name, else an alias
 * (any case, any accent); each skill once, in the order typed; the values that name nothing are unknown.
 */
export function resolveTyped(typed: string[], candidates: SkillCandidate[]): { skills: ResolvedSkill[]; unknown: string[] } {
  const found = new Map<string, ResolvedSkill>();
  for (const [via, key, id, name, name_de] of candidates) found.set(`${via}:${key}`, { id: Number(id), name, name_de });
  const skills: ResolvedSkill[] = [];
  const unknown: string[] = [];
  for (const t of typed) {
    const k = nameKey(t);
    const row = (/^\d{1,15}$/.test(t) ? found.get(`id:${Number(t)}`) : undefined) ?? found.get(`name:${k}`) ?? found.get(`alias:${k}`);
    if (!row) unknown.push(t);
    else if (!skills.some((s) => s.id === row.id)) skills.push(row);
  }
  return { skills, unknown };
}

function resolveSkillsSync(conn: Database, typed: string[]): { skills: ResolvedSkill[]; unknown: string[] } {
  if (!typed.length) return { skills: [], unknown: [] };
  const { sql, bindings } = skillCandidatesSql(typed);
  return resolveTyped(typed, prepared(conn, sql).raw().all(...bindings) as SkillCandidate[]);
}

/** Turns typed skill names, aliases (any case, any accent) or ids into skills; returns the unknown ones too. */
export function resolveSkills(db: Knex, typed: string[]): Promise<{ skills: ResolvedSkill[]; unknown: string[] }> {
  if (isPostgres(db)) return resolveSkillsPg(db, typed);
  return withRawConnection(db, (conn) => resolveSkillsSync(conn, typed));
}

/**
 * The (skill id, folded name) rows relevance reads, when it needs them: from the search box's lookup tables
 * (vocabulary.queries.ts, one home for both databases), which need no query while the feed stands still.
 */
export async function relevanceNames(db: Knex, f: PeopleFilters, snapshot: Snapshot): Promise<[number, string][] | null> {
  if (f.sort !== 'relevance' || !searchWords(f.q).length) return null;
  return skillNorms(db, snapshot.trusted ? snapshot.version : undefined);
}

/** Of (skill id, folded name) rows, the skills having a word that starts with one of the words. */
export function skillIdsNamed(rows: [number, string][], words: string[]): number[] {
  const prefixes = words.filter((w) => w.length > 1).map((w) => ` ${w}`);
  const ids = new Set<number>();
  for (const [id, n] of rows) {
    const name = spacedName(n);
    if (prefixes.some((p) => name.includes(p))) ids.add(id);
  }
  return [...ids];
}

// every word search reads all skill names: each name's spaced form is computed once (a Unicode regex per name
// and search was 4–5 % of a search page)
const spaced = new Map<string, string>();
function spacedName(n: string): string {
  let out = spaced.get(n);
  if (out === undefined) {
    if (spaced.size >= 50_000) spaced.clear();
    spaced.set(n, (out = ` ${n.replace(/[^\p{L}\p{N}]+/gu, ' ')}`));
  }
  return out;
}

/** Ids matching the words, ascending. group_concat and a hand parse is ~40% faster than a row per id. */
function textMatches(conn: Database, match: string): Int32Array {
  let list: string | null;
  try {
    list = prepared(conn, 'SELECT group_concat(rowid) FROM people_fts WHERE people_fts MATCH ?').pluck().get(match) as string | null;
  } catch (err) {
    // A damaged or unavailable database is said so (503); a query error should never happen (the query is
    // built from letters and digits only): logged without the words, treated as no match.
    if (dbErrorKey(err)) throw err;
    logError(err, {}, 'people search: FTS query failed');
    return new Int32Array(0);
  }
  if (!list) return new Int32Array(0);
  const out = new Int32Array((list.length >> 1) + 1);
  let n = 0;
  let v = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      out[n++] = v;
      v = 0;
    } else v = v * 10 + c - 48;
  }
  out[n++] = v;
  const ids = out.subarray(0, n);
  for (let i = 1; i < n; i++) if (ids[i - 1]! > ids[i]!) return ids.sort();
  return ids;
}

const NO_FACETS: PeopleFacets = {
  city: [], kind: [], availability: [], language: [], skill: [], level: [], tag: [], org: [], project_kind: [], active: [], dncHidden: 0,
};

interface Prepared {
  snapshot: Snapshot;
  /** textIds stay null until needed: see withTextMatches */
  query: EngineQuery | null;
  /** the FTS5 query of the words, or null */
  text: string | null;
  skills: ResolvedSkill[];
  unknown: string[];
}

/** Resolves the filters against the database and snapshot; query is null when nothing can match. */
function prepareSearch(snapshot: Snapshot, conn: Database, f: PeopleFilters, pageSize: number, today: Date, names: [number, string][] | null): Prepared {
  const { skills, unknown } = resolveSkillsSync(conn, f.skills);
  if (unknown.length && (f.match === 'all' || !skills.length)) return { snapshot, query: null, text: null, skills, unknown };
  const words = searchWords(f.q);
  let tag: number | null = null;
  if (f.tag) tag = (prepared(conn, TAG_SQL).pluck().get(nameKey(f.tag)) as number | undefined) ?? -1;
  const textSkillIds = names ? skillIdsNamed(names, words) : [];
  return { snapshot, query: engineQuery(snapshot, f, words, skills, tag, textSkillIds, pageSize, today), text: ftsQuery(f.q), skills, unknown };
}

export const TAG_SQL = 'SELECT id FROM tags WHERE name_norm = ?';

/** The engine's question from the filters, with skills, tag and relevance skills resolved (both databases). */
export function engineQuery(snapshot: Snapshot, f: PeopleFilters, words: string[], skills: ResolvedSkill[], tag: number | null,
  textSkillIds: number[], pageSize: number, today: Date): EngineQuery {
  const cityNorm = foldText(f.city);
  // a language filter names a code (de) or a language in either language (German, Deutsch): the index holds codes
  const languageNorm = parseLanguage(f.language) ?? foldText(f.language);
  return {
    textIds: null,
    words,
    textSkillIds,
    skillIds: skills.map((s) => s.id),
    match: f.match,
    minLevel: f.minLevel,
    city: cityNorm ? (snapshot.cityByNorm.get(cityNorm) ?? -2) : null,
    kind: f.kind ? FILTER_KINDS.indexOf(f.kind) : null,
    availability: f.availability ? FILTER_AVAILABILITY.indexOf(f.availability) : null,
    language: languageNorm ? (snapshot.languageByNorm.get(languageNorm) ?? -1) : null,
    tag,
    org: f.org,
    projectKind: f.projectKind ? PROJECT_KINDS.indexOf(f.projectKind) : null,
    activeSince: f.activeYears ? yearsAgo(f.activeYears, today) : null,
    includeDnc: f.includeDnc,
    ids: f.ids.length ? Int32Array.from(f.ids).sort() : null,
    sort: f.sort,
    page: f.page,
    pageSize,
    activeThresholds: ACTIVE_YEARS.map((y) => yearsAgo(y, today)),
  };
}

/** The query with the ids matching its words (FTS5), when it has words. */
function withTextMatches(conn: Database, query: EngineQuery, text: string | null): EngineQuery {
  return text ? { ...query, textIds: textMatches(conn, text) } : query;
}

export interface FindOptions {
  pageSize?: number;
  /** language of facet labels (skill names) */
  locale?: string;
  today?: Date;
  /** receives [phase, performance.now()] marks, for benchmarks */
  timings?: [string, number][];
}

/**
 * One page of people for the filters, with the total and facet counts; a page past the end gives the last page.
 * The search box is read first: words naming a skill, city, tag, language or kind become those filters.
 */
export async function findPeople(db: Knex, f: PeopleFilters, opts: FindOptions = {}): Promise<PeopleResult> {
  // the snapshot the search box was read with is the one the search runs on (PostgreSQL: one version check, not two)
  let read: Promise<Snapshot> | undefined;
  const { filters, interpretation } = await interpretFilters(db, f, () => (read ??= searchSnapshot(db)));
  return { ...(await findPeopleAsFiltered(db, filters, opts, read)), interpretation };
}

async function findPeopleAsFiltered(db: Knex, f: PeopleFilters, opts: FindOptions, read?: Promise<Snapshot>): Promise<PeopleResult> {
  if (isPostgres(db)) return findPeoplePg(db, f, opts, read);
  const mark = (phase: string) => opts.timings?.push([phase, performance.now()]);
  mark('start');
  const ready = await (read ?? readySnapshot(db));
  const names = await relevanceNames(db, f, ready);
  return withRawConnection(db, (conn) => {
    mark('snapshot');
    const { snapshot, query, text, skills, unknown } = prepareSearch(ready, conn, f, opts.pageSize ?? PAGE_SIZE, opts.today ?? new Date(), names);
    const orgName = f.org ? ((prepared(conn, 'SELECT name FROM organisations WHERE id = ?').pluck().get(f.org) as string | undefined) ?? null) : null;
    mark('prepare (snapshot check, skills, words: FTS)');
    if (!query) return { rows: [], total: 0, page: 1, pages: 1, unknownSkills: unknown, skills, facets: NO_FACETS, orgName };
    const r = cachedSearch(db, conn, snapshot, query, text);
    mark('match, facets, sort');
    const rows = pageRows(conn, snapshot, r.ids, new Set(query.skillIds));
    mark('page rows');
    const facets = labelFacets(conn, snapshot, r.facets, opts.locale ?? 'en');
    mark('facet labels');
    return { rows, total: r.total, page: r.page, pages: r.pages, unknownSkills: unknown, skills, facets, orgName };
  });
}

/** The matching set, facet counts and page of a question, through the result cache (results.domain.ts). */
function cachedSearch(db: Knex, conn: Database, snapshot: Snapshot, query: EngineQuery, text: string | null) {
  return cachedSearchWith(db, snapshot, query, text, (q) => withTextMatches(conn, q, text));
}


export interface AllIdsOptions {
  /** a one-off process (the CLI): filters one statement can answer are answered without loading the index */
  oneOff?: boolean;
}

/** Every matching person id, in the requested order (for exports, campaigns and bulk actions); the box read as in findPeople. */
export async function findAllPeopleIds(db: Knex, given: PeopleFilters, today: Date = new Date(), opts: AllIdsOptions = {}): Promise<number[]> {
  if (!isPostgres(db) && !heldSnapshot(db)) {
    // no index in memory yet (the CLI's export): the box read with the cities alone; a text that matches no one
    // is answered at once, and a one-off process answers what one statement can (plain.queries.ts)
    const read = await boxWithoutIndex(db, given);
    const text = ftsQuery(read.q);
    if (text !== null && (await withRawConnection(db, (conn) => textMatches(conn, text).length === 0))) return [];
    if (opts.oneOff) {
      const ids = await idsWithoutIndex(db, read);
      if (ids) return ids;
    }
  }
  const { filters: f } = await interpretFilters(db, given, () => searchSnapshot(db));
  if (isPostgres(db)) return findAllPeopleIdsPg(db, f, today);
  const ready = await readySnapshot(db);
  const names = await relevanceNames(db, f, ready);
  return withRawConnection(db, (conn) => {
    const { snapshot, query: bare, text } = prepareSearch(ready, conn, f, Infinity, today, names);
    if (!bare) return [];
    const query = withTextMatches(conn, bare, text);
    const { hits } = matchingIds(snapshot, query);
    return [...sortedSlice(snapshot, query, hits, 0, hits.length)];
  });
}

/**
 * The filters with the search box read against the cities taken straight from the people table: every search
 * ANDs the words left as text with its other filters, so when they match no document the result is empty.
 */
async function boxWithoutIndex(db: Knex, given: PeopleFilters): Promise<PeopleFilters> {
  if (!ftsQuery(given.q)) return given;
  const cities = await withRawConnection(db, (conn) => loadCitiesOnly(conn));
  return (await interpretFilters(db, given, async () => cities)).filters;
}

/** The ids whose search document has every word of `q` (as a prefix), ascending: the text part of a search alone. */
export async function textMatchIds(db: Knex, q: string): Promise<number[]> {
  if (isPostgres(db)) {
    const text = tsQuery(q);
    return text ? [...(await textMatchesPg(db, text))] : [];
  }
  const text = ftsQuery(q);
  return text ? withRawConnection(db, (conn) => [...textMatches(conn, text)]) : [];
}

/** Drops the cached snapshot, so the next search loads it afresh (tests compare patched with fresh). */
export function forgetSnapshot(db: Knex): void {
  forgetHeldSnapshot(db);
  forgetSnapshotPg(db);
  forgetResults(db);
}

/** How the cached snapshot stands: version and people patched since the load (for tests and diagnostics). */
export function snapshotState(db: Knex): { version: number; patched: number } | null {
  const s = heldSnapshot(db) ?? snapshotPg(db);
  return s ? { version: s.version, patched: s.patched.length } : null;
}

/** The current search snapshot (the search box reads cities and languages from it). */
export function searchSnapshot(db: Knex): Promise<Snapshot> {
  if (isPostgres(db)) return snapshotForPg(db);
  return readySnapshot(db);
}

/** Loads the search snapshot ahead of the first search (the server calls this once it listens). */
export async function warmUpSearch(db: Knex): Promise<void> {
  if (isPostgres(db)) return void (await snapshotForPg(db));
  await readySnapshot(db);
}
