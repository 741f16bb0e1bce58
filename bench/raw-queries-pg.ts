// The bare SQL answers to the search questions on PostgreSQL: plain `pg` queries, no knex, no snapshot. The same
// plan as bench/raw-queries.ts (SQLite): words through people_fts.tsv (the GIN index) in ts_rank order, each
// skill checked on the person_skills primary key; without words, skill sets intersect for the count and the
// page comes in name order (the people_name_sort index). The total, and on request facet counts.
import type pg from 'pg';
import { foldText, nameKey } from '../src/shared/normalise.js';
import type { RawQuery, RawResult, RawRow } from './raw-queries.js';

/** `schm müller` → `'schm':* & 'muller':*` (every word a quoted prefix: no input is query syntax). */
export function rawTsQuery(q: string): string | null {
  const words = foldText(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12);
  return words.length ? words.map((w) => `'${w}':*`).join(' & ') : null;
}

export class RawSearchPg {
  constructor(private readonly pool: pg.Pool) {}

  private async rows<T>(sql: string, args: unknown[]): Promise<T[]> {
    return (await this.pool.query(sql, args)).rows as T[];
  }

  /** Skill ids for names or aliases; null when one is unknown (then nothing matches). */
  async skillIds(names: string[]): Promise<number[] | null> {
    const ids: number[] = [];
    for (const n of names) {
      const [row] = await this.rows<{ id: number }>('SELECT id FROM skills WHERE name_norm = $1 UNION ALL SELECT skill_id FROM skill_aliases WHERE alias_norm = $1 LIMIT 1', [nameKey(n)]);
      if (!row) return null;
      ids.push(row.id);
    }
    return [...new Set(ids)];
  }

  async search(query: RawQuery, opts: { page?: number; pageSize?: number; facets?: boolean } = {}): Promise<RawResult> {
    const pageSize = opts.pageSize ?? 50;
    const match = query.q ? rawTsQuery(query.q) : null;
    const skillIds = await this.skillIds(query.skills ?? []);
    if (skillIds === null) return { rows: [], total: 0 };
    const where: string[] = ['NOT p.do_not_contact'];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    let q = '';
    if (match) {
      q = arg(match);
      where.push(`f.tsv @@ ${q}::tsquery`);
      for (const id of skillIds) where.push(`EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = p.id AND ps.skill_id = ${arg(id)})`);
    } else if (skillIds.length) {
      where.push(`p.id IN (${skillIds.map((id) => `SELECT person_id FROM person_skills WHERE skill_id = ${arg(id)}`).join(' INTERSECT ')})`);
    }
    if (query.city) where.push(`p.city_norm = ${arg(foldText(query.city))}`);
    const cond = where.join(' AND ');
    const from = match ? 'people_fts f JOIN people p ON p.id = f.rowid' : 'people p';
    const [{ n }] = await this.rows<{ n: number }>(`SELECT count(*) AS n FROM ${from} WHERE ${cond}`, args) as [{ n: number }];
    const total = Number(n);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(opts.page ?? 1, pages);
    const order = match ? `ts_rank(f.tsv, ${q}::tsquery) DESC, p.id` : 'p.last_name, p.first_name, p.id';
    const found = await this.rows<Omit<RawRow, 'skills'>>(`SELECT p.id, p.first_name, p.last_name, p.email, p.city, p.kind, p.availability, p.do_not_contact
      FROM ${from} WHERE ${cond} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, args);
    const rows = await this.withSkills(found);
    if (!opts.facets) return { rows, total };
    const ids = `SELECT p.id FROM ${from} WHERE ${cond}`;
    const facet = (sql: string) => this.rows<{ key: string | number; n: number }>(sql, args);
    return {
      rows, total,
      facets: {
        city: await facet(`SELECT city_norm AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY city_norm ORDER BY n DESC LIMIT 10`),
        kind: await facet(`SELECT kind AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY kind`),
        availability: await facet(`SELECT availability AS key, count(*) AS n FROM people WHERE id IN (${ids}) GROUP BY availability`),
        skill: await facet(`SELECT skill_id AS key, count(*) AS n FROM person_skills WHERE person_id IN (${ids}) GROUP BY skill_id ORDER BY n DESC LIMIT 15`),
      },
    };
  }

  /** The page's people with their six strongest skills, as the list shows them. */
  private async withSkills(people: Omit<RawRow, 'skills'>[]): Promise<RawRow[]> {
    if (!people.length) return [];
    const skills = await this.rows<{ person_id: number; name: string }>(`SELECT ps.person_id, s.name FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
      WHERE ps.person_id = ANY($1::int[]) ORDER BY ps.level DESC, s.name`, [people.map((p) => p.id)]);
    const by = new Map<number, string[]>();
    for (const s of skills) {
      const l = by.get(s.person_id) ?? [];
      if (l.length < 6) l.push(s.name);
      by.set(s.person_id, l);
    }
    return people.map((p) => ({ ...p, skills: (by.get(p.id) ?? []).join(', ') }));
  }
}
