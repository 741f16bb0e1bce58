// Issue 14 figures: the search box read as filters (`q=WordPress SEO Berlin`) beside the same search given as
// filters (app against app: the reading of the box is what is measured), and a bulk tag on many people in one
// transaction (then its undo). Runs last: the bulk tag writes to the network.
import { createDb } from '../src/db.js';
import { findAllPeopleIds, findPeople } from '../src/search/search.queries.js';
import { parsePeopleFilters } from '../src/search/search.domain.js';
import { bulkTag, findBulkChange, undoBulkChange } from '../src/people/bulk.queries.js';
import { log, percentile, ratio, round } from './util.js';

export interface FinderFigure {
  interpreted_p50_ms: number | null;
  interpreted_p95_ms: number | null;
  filters_p50_ms: number | null;
  filters_p95_ms: number | null;
  /** interpreted p95 ÷ filters p95 (target ≤ 1.5, and ≤ 10 ms at 100,000 people) */
  ratio: number | null;
  /** both found the same people */
  same_result: boolean;
  total: number;
  bulk_tag_people: number;
  /** target ≤ 5 s for 50,000 people, one transaction */
  bulk_tag_s: number;
  bulk_undo_s: number;
}

const BULK_MAX = 50_000;

export async function finderFigure(file: string, runs: number): Promise<FinderFigure> {
  const db = createDb({ databaseFile: file });
  try {
    const typed = parsePeopleFilters({ q: 'WordPress SEO Berlin' });
    const given = parsePeopleFilters({ skill: ['WordPress', 'SEO'], city: 'Berlin' });
    const a = await findPeople(db, typed);
    const b = await findPeople(db, given);
    const same = a.total === b.total && a.rows.map((r) => r.id).join() === b.rows.map((r) => r.id).join();
    for (let i = 0; i < Math.min(20, runs); i++) {
      await findPeople(db, typed);
      await findPeople(db, given);
    }
    const ti: number[] = [];
    const tf: number[] = [];
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? [typed, given] : [given, typed];
      for (const f of order) {
        const t0 = performance.now();
        await findPeople(db, f);
        (f === typed ? ti : tf).push(performance.now() - t0);
      }
    }
    const fig: FinderFigure = {
      interpreted_p50_ms: round(percentile(ti, 50)), interpreted_p95_ms: round(percentile(ti, 95)),
      filters_p50_ms: round(percentile(tf, 50)), filters_p95_ms: round(percentile(tf, 95)), ratio: null, same_result: same, total: a.total,
      bulk_tag_people: 0, bulk_tag_s: 0, bulk_undo_s: 0,
    };
    fig.ratio = ratio(fig.interpreted_p95_ms, fig.filters_p95_ms);
    log(`interpreted search: p95 ${fig.interpreted_p95_ms} ms vs filters ${fig.filters_p95_ms} ms (${a.total} found, same: ${same})`);
    const ids = (await findAllPeopleIds(db, parsePeopleFilters({ dnc: '1' }))).slice(0, BULK_MAX);
    const actor = { userId: null, label: 'bench', source: 'cli' as const };
    let t0 = performance.now();
    const changeId = await bulkTag(db, actor, ids, 'Bench bulk tag', true, 'dnc=1');
    fig.bulk_tag_s = round((performance.now() - t0) / 1000) ?? 0;
    fig.bulk_tag_people = ids.length;
    t0 = performance.now();
    await undoBulkChange(db, actor, (await findBulkChange(db, changeId))!);
    fig.bulk_undo_s = round((performance.now() - t0) / 1000) ?? 0;
    log(`bulk tag: ${ids.length} people in ${fig.bulk_tag_s} s, undo ${fig.bulk_undo_s} s`);
    return fig;
  } finally {
    await db.destroy();
  }
}
