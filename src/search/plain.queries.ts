// Every matching person id without the search index (SQLite): for a one-off process — the CLI's export — whose
// filters one statement can answer (words in name order, skills, tag, city, kind, availability, do-not-contact, a
// selection of ids, sorted by name). The index would cost that process seconds and hundreds of megabytes (it
// grows with the network); this answers in one statement whose sort SQLite spills to disk, so memory stays flat.
// The order is the index's own to the letter: the same folded sort key (snapshot.domain.ts), compared as
// JavaScript compares strings (UTF-16 code units), ties by id. Anything else (languages, organisations, project
// kinds, activity, relevance of words or skill levels, the other sorts) returns null: the caller uses the index.
import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import { withRawConnection } from '../db.js';
import { foldText, nameKey } from '../shared/normalise.js';
import { FILTER_AVAILABILITY, FILTER_KINDS, ftsQuery, type PeopleFilters } from './search.domain.js';
import { AVAILABILITY_CODES, foldName, KIND_CODES, sortKeyOf } from './snapshot.domain.js';
import { resolveSkills, TAG_SQL, textMatchIds } from './search.queries.js';
import { maxPersonId } from './snapshot.queries.js';
import { prepared } from './sqlite.queries.js';

/** Can one statement answer these filters (the search box already read)? */
export function answerableWithoutIndex(f: PeopleFilters): boolean {
  if (f.language || f.org !== null || f.projectKind || f.activeYears !== null) return false;
  if (f.sort === 'name') return true;
  // relevance without words or skills is name order; with them it needs the index's name words and levels
  return f.sort === 'relevance' && !ftsQuery(f.q) && !f.skills.length;
}

/**
 * A string whose UTF-8 bytes (SQLite's BINARY order) sort as JavaScript sorts the given one (UTF-16 code units):
 * the two differ only from U+D800 on, so each code unit from there is written as the code point 0x10000 + unit,
 * above every character before U+D800 and in the units' own order.
 */
export function utf16Ordered(s: string): string {
  if (!/[\uD800-\uFFFF]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out += u < 0xd800 ? s[i] : String.fromCodePoint(0x10000 + u);
  }
  return out;
}

/** the page cache (KiB, as a negative cache_size) while the ids are sorted */
const SORT_CACHE_KIB = -2048;

const keyed = new WeakSet<Database>();

/** search_name_key(last, first): the index's name-order key, in SQLite's order. */
function registerNameKey(conn: Database): void {
  if (keyed.has(conn)) return;
  conn.function('search_name_key', { deterministic: true },
    (last: unknown, first: unknown) => utf16Ordered(sortKeyOf(foldName(String(last ?? '')), foldName(String(first ?? '')))));
  keyed.add(conn);
}

/** `CASE column WHEN code THEN index … ELSE 0 END`: a code as the index reads it (an unknown one counts as the first). */
function codeOf(column: string, codes: readonly string[]): { sql: string; bindings: string[] } {
  return { sql: `(CASE ${column} ${codes.map((_, i) => `WHEN ? THEN ${i}`).join(' ')} ELSE 0 END)`, bindings: [...codes] };
}

/**
 * The ids matching the filters (their search box already read), in name order, or null when they need the index.
 * Runs on the pool's connection in one synchronous statement: for a process that serves nobody else (the CLI).
 */
export async function idsWithoutIndex(db: Knex, f: PeopleFilters): Promise<number[] | null> {
  if (!answerableWithoutIndex(f)) return null;
  const { skills, unknown } = await resolveSkills(db, f.skills);
  if (unknown.length && (f.match === 'all' || !skills.length)) return [];
  const text = ftsQuery(f.q) ? await textMatchIds(db, f.q) : null;
  if (text && !text.length) return [];
  return withRawConnection(db, (conn) => {
    const where: string[] = [];
    const bindings: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      bindings.push(...values);
    };
    if (!f.includeDnc) add('NOT coalesce(p.do_not_contact, 0)');
    if (text) add('p.id IN (SELECT value FROM json_each(?))', JSON.stringify(text));
    if (f.ids.length) add('p.id IN (SELECT value FROM json_each(?))', JSON.stringify(f.ids));
    const cityNorm = foldText(f.city);
    if (cityNorm) add('p.city_norm = ?', cityNorm);
    if (f.kind) {
      const code = codeOf('p.kind', KIND_CODES);
      add(`${code.sql} IN (?, 2)`, ...code.bindings, FILTER_KINDS.indexOf(f.kind));
    }
    if (f.availability) {
      const code = codeOf('p.availability', AVAILABILITY_CODES);
      add(`${code.sql} = ?`, ...code.bindings, FILTER_AVAILABILITY.indexOf(f.availability));
    }
    if (f.tag) {
      const tag = (prepared(conn, TAG_SQL).pluck().get(nameKey(f.tag)) as number | undefined) ?? -1;
      add('p.id IN (SELECT person_id FROM person_tags WHERE tag_id = ?)', tag);
    }
    // IN lists, not EXISTS per person: the index on (skill_id, level, person_id) answers each list at once, while
    // an EXISTS per person walked the skill's whole range for every person (minutes at 100,000)
    if (skills.length && f.match === 'all') {
      for (const s of skills) add('p.id IN (SELECT person_id FROM person_skills WHERE skill_id = ? AND level >= ?)', s.id, f.minLevel);
    } else if (skills.length) {
      add('p.id IN (SELECT person_id FROM person_skills WHERE skill_id IN (SELECT value FROM json_each(?)) AND level >= ?)',
        JSON.stringify(skills.map((s) => s.id)), f.minLevel);
    }
    registerNameKey(conn);
    const sql = `SELECT p.id FROM people p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY search_name_key(p.last_name, p.first_name), p.id`;
    // SQLite's sorter keeps in memory as much as the page cache may hold, then merges runs from a temporary file:
    // with a small cache for this statement, a million keys cost about what a hundred thousand do
    const cache = conn.pragma('cache_size', { simple: true }) as number;
    conn.pragma(`cache_size = ${SORT_CACHE_KIB}`);
    try {
      // the ids in a typed array (no growing JS array, whose copies the heap would carry), sized by the highest id
      let out = new Int32Array(Math.max(16, maxPersonId(conn)));
      let n = 0;
      for (const id of conn.prepare(sql).pluck().iterate(...bindings) as IterableIterator<number>) {
        if (n === out.length) {
          const more = new Int32Array(out.length * 2); // people added since the highest id was read
          more.set(out);
          out = more;
        }
        out[n++] = id;
      }
      return Array.from(out.subarray(0, n));
    } finally {
      conn.pragma(`cache_size = ${Number(cache)}`);
    }
  });
}
