// Type-ahead over the whole directory: people by the start of any of their name words, answered from the search
// snapshot already in memory (its lists of people by the first letters of name words, names.domain.ts: no SQL
// scan, and only the people whose words can match are read), in name order. Also the
// dialect-neutral look-ups the organisation and project pickers use. Every answer says how many match in all
// (people: up to 1,000, beyond that "more than 1,000"), so a picker never caps a list in silence.
import type { Knex } from 'knex';
import { isPostgres } from '../db.js';
import { searchWords } from './search.domain.js';
import { pickByNameWords } from './names.domain.js';
import { snapshotForPg } from './pg.queries.js';
import { readySnapshot } from './snapshot.service.js';
import type { Snapshot } from './snapshot.domain.js';

/** How many a picker lists at most (then it says "showing 20 of N, type more"). */
export const PICKER_LIMIT = 20;

export interface PickedPerson {
  id: number;
  first_name: string;
  last_name: string;
  city: string | null;
  do_not_contact: number;
}

export interface Picked<T> {
  rows: T[];
  /** how many match in all (rows holds at most the limit); with `more`, a lower bound */
  total: number;
  /** more than `total` match (people: counted up to NAME_COUNT_LIMIT, then "more than 1,000") */
  more?: boolean;
}

/** People whose name words start with the typed words, in name order: the first `limit` and the total (up to 1,000, then `more`). */
export async function pickPeople(db: Knex, typed: string, limit = PICKER_LIMIT): Promise<Picked<PickedPerson>> {
  const words = searchWords(typed);
  const pick = (s: Snapshot) => pickByNameWords(s, s.names, words, limit);
  const { ids, total, more } = isPostgres(db) ? pick(await snapshotForPg(db)) : pick(await readySnapshot(db));
  if (!ids.length) return { rows: [], total, more };
  const rows: PickedPerson[] = await db('people').whereIn('id', ids).select('id', 'first_name', 'last_name', 'city', 'do_not_contact');
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is PickedPerson => Boolean(r)), total, more };
}
