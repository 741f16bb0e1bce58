// Type-ahead figure (issue 14: p95 ≤ 20 ms at 1,000,000 people): the person picker's search as GET /pickers/people
// runs it (pickPeople: the first 20 in name order and the total, counted up to 1,000), for what someone types letter by letter, against
// bare better-sqlite3 answering "names starting with …" from the name_norm index (first name only, no total).
import Database from 'better-sqlite3';
import { createDb } from '../src/db.js';
import { pickPeople } from '../src/search/picker.queries.js';
import { log, percentile, ratio, round } from './util.js';

/** Typed as a person types them: growing prefixes of first and last names in the demo network, and two words. */
export const TYPED = ['m', 'mu', 'mül', 'müll', 'müller', 's', 'sch', 'schmi', 'anna', 'anna sch', 'jo we', 'ö', 'zz'];

export interface PickerFigure {
  app_p50_ms: number | null;
  app_p95_ms: number | null;
  raw_p95_ms: number | null;
  ratio: number | null;
  /** the largest total any typed text got (at most 1,000: then "more than 1,000") */
  largest_total: number;
}

const ms = (t0: number) => performance.now() - t0;

export async function pickerFigure(file: string, runs: number): Promise<PickerFigure> {
  const db = createDb({ databaseFile: file });
  const conn = new Database(file, { readonly: true });
  const bare = conn.prepare("SELECT id FROM people WHERE name_norm >= ? AND name_norm < ? || char(1114111) ORDER BY name_norm LIMIT 20");
  const app: number[] = [];
  const raw: number[] = [];
  let largest = 0;
  try {
    await pickPeople(db, 'warm up');
    const rounds = Math.max(1, Math.ceil(runs / TYPED.length));
    for (let r = 0; r < rounds; r++) {
      for (const typed of TYPED) {
        let t0 = performance.now();
        const res = await pickPeople(db, typed);
        app.push(ms(t0));
        largest = Math.max(largest, res.total);
        t0 = performance.now();
        bare.all(typed, typed);
        raw.push(ms(t0));
      }
    }
  } finally {
    conn.close();
    await db.destroy();
  }
  const fig = {
    app_p50_ms: round(percentile(app, 50)), app_p95_ms: round(percentile(app, 95)), raw_p95_ms: round(percentile(raw, 95)),
    ratio: ratio(round(percentile(app, 95)), round(percentile(raw, 95))), largest_total: largest,
  };
  log(`type-ahead: p95 ${fig.app_p95_ms} ms (bare index prefix ${fig.raw_p95_ms} ms)`);
  return fig;
}
