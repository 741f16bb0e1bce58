// The bare SQL answers to the search questions: better-sqlite3 prepared statements, no knex, no snapshot.
// One page of people (FTS5 bm25 order with words, else by name) with their top skills, the total, and,
// on request, facet counts (city, kind, availability, skill) over the whole result.
import type { Database, Statement } from 'better-sqlite3';
import { foldText, nameKey } from '../src/shared/normalise.js';

export interface RawQuery {
  q?: string;
  skills?: string[];
  city?: string;
}

export interface RawRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  city: string | null;
  kind: string;
  availability: string;
  do_not_contact: number;
  skills: string;
}

export interface RawResult {
  rows: RawRow[];
  total: number;
  facets?: Record<string, { key: string | number; n: number }[]>;
}

/** `schm müller` → `"schm"* AND "muller"*` (every word a quoted prefix: no input is query syntax). */
export function rawFtsQuery(q: string): string | null {
  const words = foldText(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
  return words.length ? words.map((w) => `"${w}"*`).join(' AND ') : null;
}

export class RawSearch {
  private readonly cache = new Map<string, Statement>();
  private peopleCount: number | undefined;

  constructor(private readonly conn: Database) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.conn.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Skill ids for names or aliases; null when one is unknown (then nothing matches). */
  skillIds(names: string[]): number[] | null {
    const ids: number[] = [];
    for (const n of names) {
      const id = this.stmt('SELECT id FROM skills WHERE name_norm = @k UNION ALL SELECT skill_id FROM skill_aliases WHERE alias_norm = @k LIMIT 1')
        .pluck().get({ k: nameKey(n) }) as number | undefined;
      if (id === undefined) return null;
      ids.push(id);
    }
    return [...new Set(ids)];
  }

  /**
   * The plan a careful hand would write: words drive through FTS5 (bm25 order) with each skill checked on the
   * person_skills primary key; without words, skill sets intersect on the (skill_id, …, person_id) index for the
   * count, and the page walks the name index when matches are common, else sorts the few matches.
   */
  search(query: RawQuery, opts: { page?: number; pageSize?: number; facets?: boolean } = {}): RawResult {
    const pageSize = opts.pageSize ?? 50;
    const match = query.q ? rawFtsQuery(query.q) : null;
    const skillIds = this.skillIds(query.skills ?? []);
    if (skillIds === null) return { rows: [], total: 0 };
    const where: string[] = ['p.do_not_contact = 0'];
    const args: unknown[] = [];
    if (match) {
      where.push('f.people_fts MATCH ?');
      args.push(match);
      for (const id of skillIds) {
        where.push('EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = p.id AND ps.skill_id = ?)');
        args.push(id);
      }
    } else if (skillIds.length) {
      where.push(`p.id IN (${skillIds.map(() => 'SELECT person_id FROM person_skills WHERE skill_id = ?').join(' INTERSECT ')})`);
      args.push(...skillIds);
    }
    if (query.city) {
      where.push('p.city_norm = ?');
      args.push(foldText(query.city));
    }
    const cond = where.join(' AND ');
    const from = match ? 'people_fts f JOIN people p ON p.id = f.rowid' : 'people p';
    const total = Number(this.stmt(`SELECT count(*) FROM ${from} WHERE ${cond}`).pluck().get(...args));
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(opts.page ?? 1, pages);
    let order = 'f.rank, p.id';
    let source = from;
    if (!match) {
      order = 'p.last_name, p.first_name, p.id';
      // common matches: walking the name index finds a page after a few thousand rows; rare ones: sort them
      const people = this.peopleCount ??= Number(this.stmt('SELECT count(*) FROM people').pluck().get());
      if (total * 200 >= people) source = 'people p INDEXED BY people_name_sort';
    }
    const found = this.stmt(`SELECT p.id, p.first_name, p.last_name, p.email, p.city, p.kind, p.availability, p.do_not_contact
      FROM ${source} WHERE ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...args, pageSize, (page - 1) * pageSize) as Omit<RawRow, 'skills'>[];
    const rows = this.withSkills(found);
    if (!opts.facets) return { rows, total };
    const ids = `SELECT p.id FROM ${from} WHERE ${cond}`;
    const facet = (sql: string) => this.stmt(sql).all(...args) as { key: string | number; n: number }[];
    return {
      rows, total,
      facets: {
        city: facet(`SELECT city_norm AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY city_norm ORDER BY n DESC LIMIT 10`),
        kind: facet(`SELECT kind AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY kind`),
        availability: facet(`SELECT availability AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY availability`),
        skill: facet(`SELECT skill_id AS key, count(*) AS n FROM person_skills WHERE person_id IN (${ids}) GROUP BY skill_id ORDER BY n DESC LIMIT 15`),
      },
    };
  }

  /** The page's people with their six strongest skills, as the list shows them. */
  private withSkills(people: Omit<RawRow, 'skills'>[]): RawRow[] {
    if (!people.length) return [];
    const skills = this.stmt(`SELECT ps.person_id, s.name FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
      WHERE ps.person_id IN (SELECT value FROM json_each(?)) ORDER BY ps.level DESC, s.name`)
      .all(JSON.stringify(people.map((p) => p.id))) as { person_id: number; name: string }[];
    const by = new Map<number, string[]>();
    for (const s of skills) {
      const l = by.get(s.person_id) ?? [];
      if (l.length < 6) l.push(s.name);
      by.set(s.person_id, l);
    }
    return people.map((p) => ({ ...p, skills: (by.get(p.id) ?? []).join(', ') }));
  }
}

/** The bare people export: the app's CSV columns in one statement (skills and tags as group_concat), `where` on `p`. */
export const peopleCsvSql = (where = '') => `SELECT p.id, p.first_name, p.last_name, p.email, p.phone, p.city, p.postcode, p.country, p.languages, p.kind,
    p.availability, p.organisation, p.job_title, p.portfolio_url,
    (SELECT group_concat(name || ' (' || level || ')', '; ') FROM (SELECT s.name, ps.level FROM person_skills ps
      JOIN skills s ON s.id = ps.skill_id WHERE ps.person_id = p.id ORDER BY ps.level DESC, s.name)) AS skills,
    (SELECT group_concat(name, '; ') FROM (SELECT t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
      WHERE pt.person_id = p.id ORDER BY t.name)) AS tags,
    p.notes, CASE WHEN p.do_not_contact THEN 'yes' ELSE 'no' END AS do_not_contact, p.last_confirmed_at, p.created_at
  FROM people p ${where} ORDER BY p.last_name, p.first_name, p.id`;

