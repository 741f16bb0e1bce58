// People as CSV for spreadsheets: the whole result of a /people search, streamed in chunks so memory stays
// flat. Excel-safe: BOM, `;` for German Excel, CRLF, formula-looking cells escaped (OWASP CSV injection).
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import type { PeopleFilters } from '../search/search.domain.js';
import { findAllPeopleIds } from '../search/search.queries.js';

export const PEOPLE_CSV_COLUMNS = [
  'id', 'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'languages', 'kind', 'availability',
  'organisation', 'job_title', 'portfolio_url', 'skills', 'tags', 'notes', 'do_not_contact', 'last_confirmed_at', 'created_at',
] as const;

const CHUNK = 500;

export interface CsvOptions {
  /** 'de' writes `;` (German Excel), anything else `,` */
  locale: string;
}

export function csvDelimiter(locale: string): string {
  return locale === 'de' ? ';' : ',';
}

/** The rows for these ids, in this order, as CSV records. */
async function records(db: Knex, ids: number[]): Promise<Record<string, unknown>[]> {
  const people = await db('people').whereIn('id', ids).select(PEOPLE_CSV_COLUMNS.filter((c) => c !== 'skills' && c !== 'tags'));
  const skills = await db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').whereIn('ps.person_id', ids)
    .orderBy([{ column: 'ps.level', order: 'desc' }, { column: 's.name' }]).select('ps.person_id', 's.name', 'ps.level');
  const tags = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').whereIn('pt.person_id', ids)
    .orderBy('t.name').select('pt.person_id', 't.name');
  const group = (rows: { person_id: number; text: string }[]) => {
    const m = new Map<number, string[]>();
    for (const r of rows) m.set(r.person_id, [...(m.get(r.person_id) ?? []), r.text]);
    return m;
  };
  const skillText = group(skills.map((s) => ({ person_id: s.person_id, text: `${s.name} (${s.level})` })));
  const tagText = group(tags.map((t) => ({ person_id: t.person_id, text: t.name })));
  const byId = new Map(people.map((p) => [p.id, p]));
  return ids.filter((id) => byId.has(id)).map((id) => ({
    ...byId.get(id),
    do_not_contact: byId.get(id).do_not_contact ? 'yes' : 'no',
    skills: (skillText.get(id) ?? []).join('; '),
    tags: (tagText.get(id) ?? []).join('; '),
  }));
}

/** Every person matching the filters, all pages, in the search's order (ids; the CSV rows are read in chunks). */
export function peopleForCsv(db: Knex, filters: PeopleFilters): Promise<number[]> {
  return findAllPeopleIds(db, filters);
}

/** Writes these people as CSV to `out`; returns the row count. */
export async function writePeopleCsv(db: Knex, ids: number[], out: Writable, opts: CsvOptions): Promise<number> {
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...PEOPLE_CSV_COLUMNS],
    delimiter: csvDelimiter(opts.locale),
    record_delimiter: 'windows',
    escape_formulas: true,
    quoted_match: /[\r\n]/,
  });
  csv.pipe(out);
  // A client that goes away must not leave us waiting for a drain that never comes.
  let gone = false;
  const closed = new Promise<void>((resolve) => out.once('close', () => { gone = true; resolve(); }));
  let rows = 0;
  for (let i = 0; i < ids.length && !gone; i += CHUNK) {
    for (const record of await records(db, ids.slice(i, i + CHUNK))) {
      rows++;
      if (!csv.write(record)) await Promise.race([once(csv, 'drain'), closed]);
      if (gone) break;
    }
  }
  csv.end();
  if (!gone) await Promise.race([finished(out), closed]);
  return rows;
}
