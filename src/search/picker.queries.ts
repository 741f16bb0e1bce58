// Type-ahead over the whole directory: people by the start of any of their name words, answered from the search
// snapshot already in memory (no SQL scan; a million people in a few milliseconds), in name order. Also the
// dialect-neutral look-ups the organisation and project pickers use. Every answer says how many match in all,
// so a picker never caps a list in silence.
import type { Knex } from 'knex';
import { isPostgres } from '../db.js';
import { searchWords } from './search.domain.js';
import type { EngineQuery } from './engine.domain.js';
import { sortedSlice } from './order.domain.js';
import { snapshotForPg } from './pg.queries.js';
import { readySnapshot } from './snapshot.service.js';
import { NAME_SLOTS, prefixCode, type Snapshot } from './snapshot.domain.js';

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
  /** how many match in all (rows holds at most the limit) */
  total: number;
}

/** Ids (ascending) of living people every one of whose `words` starts one of their name words. */
export function matchNameWords(s: Snapshot, words: string[]): Int32Array {
  const out = new Int32Array(s.size);
  let n = 0;
  if (!words.length) {
    for (let id = 0; id < s.size; id++) if (s.alive[id]) out[n++] = id;
    return out.subarray(0, n);
  }
  // the packed first four characters rule most people out; the string confirms (longer words, non-Latin letters)
  const ws = words.map((w) => ({ spaced: ` ${w}`, code: prefixCode(w), mask: w.length >= 4 ? -1 : ~(-1 >>> (8 * w.length)) }));
  const prefixes = s.namePrefixes;
  const last = NAME_SLOTS - 1;
  next: for (let id = 0; id < s.size; id++) {
    if (!s.alive[id]) continue;
    const base = id * NAME_SLOTS;
    for (const w of ws) {
      let packed = false;
      for (let k = base, e = base + NAME_SLOTS; k < e; k++) {
        const v = prefixes[k]!;
        if (v !== 0 && (v & w.mask) === w.code) {
          packed = true;
          break;
        }
      }
      if (packed ? s.nameWords[id]!.includes(w.spaced)
        // words past the packed slots are only in the string
        : prefixes[base + last] !== 0 && s.nameWords[id]!.includes(w.spaced)) continue;
      continue next;
    }
    out[n++] = id;
  }
  return out.subarray(0, n);
}

const NAME_ORDER = { sort: 'name' } as EngineQuery;

/** People whose name words start with the typed words, in name order: the first `limit` and the total. */
export async function pickPeople(db: Knex, typed: string, limit = PICKER_LIMIT): Promise<Picked<PickedPerson>> {
  const words = searchWords(typed);
  const pick = (s: Snapshot) => {
    const hits = matchNameWords(s, words);
    return { ids: [...sortedSlice(s, NAME_ORDER, hits, 0, limit)], total: hits.length };
  };
  const { ids, total } = isPostgres(db) ? pick(await snapshotForPg(db)) : pick(await readySnapshot(db));
  if (!ids.length) return { rows: [], total };
  const rows: PickedPerson[] = await db('people').whereIn('id', ids).select('id', 'first_name', 'last_name', 'city', 'do_not_contact');
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is PickedPerson => Boolean(r)), total };
}
