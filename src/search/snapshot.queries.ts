// Reads the search snapshot from SQLite (snapshot.domain.ts builds and patches it; pg.queries.ts reads it from
// PostgreSQL): one read transaction for a full load, and the people logged in search_changes since a version.
import type { Database } from 'better-sqlite3';
import { prepared } from './sqlite.queries.js';
import {
  buildSnapshot, CHANGE_TRIGGERS, patchSnapshot, warnUntrusted, worthPatching, type ChangedRows, type PersonRow, type Snapshot,
} from './snapshot.domain.js';

export const PEOPLE_SQL = `SELECT id, first_name, last_name, city, city_norm, kind, availability, languages, do_not_contact, created_at FROM people`;
export const SKILLS_SQL = 'SELECT person_id, skill_id, level FROM person_skills';
export const TAGS_SQL = 'SELECT person_id, tag_id FROM person_tags';
export const ENGAGEMENTS_SQL = `SELECT e.person_id, pr.organisation_id, pr.kind,
    coalesce(e.end_date, e.start_date, pr.end_date, pr.start_date, substr(e.created_at, 1, 10))
  FROM engagements e JOIN projects pr ON pr.id = e.project_id`;

/** Are all triggers that log changes in place? (SQLite drops them when a migration rebuilds their table.) */
export function changeTriggersPresent(conn: Database): boolean {
  const rows = prepared(conn, "SELECT tbl_name AS t, count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_changes_%' GROUP BY tbl_name")
    .all() as { t: string; n: number }[];
  const have = new Map(rows.map((r) => [r.t, r.n]));
  const ok = Object.entries(CHANGE_TRIGGERS).every(([table, n]) => (have.get(table) ?? 0) >= n);
  if (!ok) warnUntrusted();
  return ok;
}

/** The search version of the database: moves whenever anything a search depends on changes. */
export function currentVersion(conn: Database): number {
  return (prepared(conn, 'SELECT coalesce(max(seq), 0) FROM search_changes').pluck().get() as number) ?? 0;
}

/** Reads everything a search needs into memory (SQLite: one read transaction, rows iterated). */
export function loadSnapshot(conn: Database): Snapshot {
  return conn.transaction(() => buildSnapshot({
    version: currentVersion(conn),
    trusted: changeTriggersPresent(conn),
    maxId: conn.prepare('SELECT max(id) FROM people').pluck().get() as number | null,
    people: conn.prepare(PEOPLE_SQL).raw().iterate() as IterableIterator<PersonRow>,
    skills: conn.prepare(SKILLS_SQL).raw().iterate() as IterableIterator<number[]>,
    tags: conn.prepare(TAGS_SQL).raw().iterate() as IterableIterator<number[]>,
    engagements: conn.prepare(ENGAGEMENTS_SQL).raw().iterate() as IterableIterator<[number, number, string, string | null]>,
  }))();
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Brings the snapshot up to the database's version by re-reading the people logged in search_changes.
 * Returns false when that is not possible or not worth it (too many changes, log pruned, no room): reload.
 */
export function applyChanges(conn: Database, s: Snapshot): boolean {
  return conn.transaction(() => {
    const latest = currentVersion(conn);
    if (latest === s.version) return true;
    const oldest = conn.prepare('SELECT min(seq) FROM search_changes').pluck().get() as number | null;
    if (oldest === null || oldest > s.version + 1) return false;
    const changed = conn.prepare('SELECT DISTINCT person_id FROM search_changes WHERE seq > ? AND seq <= ? AND person_id > 0').pluck().all(s.version, latest) as number[];
    if (!worthPatching(s, changed)) return false;
    const rows: ChangedRows = { latest, changed, people: [], skills: [], tags: [], engagements: [] };
    for (let i = 0; i < changed.length; i += 500) {
      const ids = changed.slice(i, i + 500);
      const inList = `(${placeholders(ids.length)})`;
      rows.people.push(...(conn.prepare(`${PEOPLE_SQL} WHERE id IN ${inList}`).raw().all(...ids) as PersonRow[]));
      rows.skills.push(...(conn.prepare(`${SKILLS_SQL} WHERE person_id IN ${inList} ORDER BY person_id, skill_id`).raw().all(...ids) as number[][]));
      rows.tags.push(...(conn.prepare(`${TAGS_SQL} WHERE person_id IN ${inList}`).raw().all(...ids) as number[][]));
      rows.engagements.push(...(conn.prepare(`${ENGAGEMENTS_SQL} WHERE e.person_id IN ${inList}`).raw().all(...ids) as unknown[][]));
    }
    return patchSnapshot(s, rows);
  })();
}


/** The highest person id (the snapshot's size, known before loading it). */
export function maxPersonId(conn: Database): number {
  return (prepared(conn, 'SELECT coalesce(max(id), 0) FROM people').pluck().get() as number) ?? 0;
}

/**
 * Is an import writing right now (its lock held, heartbeat fresh)? Then search answers from the last snapshot
 * while a new one is built beside it, instead of reloading on every search. Reads the import lock's one row.
 */
export function importWriting(conn: Database, now = Date.now()): boolean {
  const row = prepared(conn, 'SELECT owner, heartbeat_at FROM import_lock WHERE id = 1').get() as { owner: string | null; heartbeat_at: string | null } | undefined;
  return !!row?.owner && !!row.heartbeat_at && Date.parse(row.heartbeat_at) > now - 60_000;
}

/**
 * The first person (lowest id, the row order a load sees) of each city's normal form. A loose index scan: each
 * step seeks the next normal form on the city_norm index, then its lowest id, so the cost grows with the number
 * of cities, not of people (a GROUP BY over the index read all 100,000 entries: 5–8 ms of a CLI export; this
 * takes 0.2 ms for 32 cities).
 */
export const FIRST_CITIES_SQL = `WITH RECURSIVE c(n) AS (
    SELECT (SELECT min(city_norm) FROM people WHERE city_norm > '')
    UNION ALL SELECT (SELECT min(city_norm) FROM people WHERE city_norm > c.n) FROM c WHERE c.n IS NOT NULL)
  SELECT p.city, p.city_norm FROM people p
  WHERE p.id IN (SELECT (SELECT min(id) FROM people WHERE city_norm = c.n) FROM c WHERE c.n IS NOT NULL) ORDER BY p.id`;

/**
 * Only the cities a snapshot loaded now would hold (the same first spelling per normal form, in the same order
 * as setPerson meets them), as a stand-in snapshot for reading the search box (vocabulary.queries.ts uses
 * cities, version and trusted alone): what a one-off search in a fresh process (the CLI's export) needs to
 * interpret words without loading the whole index. Never cache it as a snapshot.
 */
export function loadCitiesOnly(conn: Database): Snapshot {
  const cities: string[] = [];
  const cityByNorm = new Map<string, number>();
  for (const [city, cityNorm] of prepared(conn, FIRST_CITIES_SQL).raw().all() as [string | null, string][]) {
    if (!cityByNorm.has(cityNorm)) cityByNorm.set(cityNorm, cities.push(city ?? cityNorm) - 1);
  }
  return { version: 0, trusted: false, cities, cityByNorm } as unknown as Snapshot;
}
