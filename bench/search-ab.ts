// First asks of the bench's search questions, two checkouts side by side: both checkouts' search modules in one
// process (each with its own index of the same network), asked alternately, the bare search between asks as the
// bench does (it leaves the caches cold). On a machine whose speed moves within the hour this compares old and
// new code where the search figure's runs, minutes apart, cannot.
// Usage: npx tsx bench/search-ab.ts CHECKOUT_A CHECKOUT_B NETWORK.sqlite [asks]   (p50 / p95 in ms per question)
import Database from 'better-sqlite3';
import { RawSearch } from './raw-queries.js';
import { QUESTIONS, rawQueryOf } from './search.js';
import { percentile } from './util.js';
const [rootA, rootB, file, runsArg] = process.argv.slice(2);
if (!rootA || !rootB || !file) throw new Error('usage: npx tsx bench/search-ab.ts CHECKOUT_A CHECKOUT_B NETWORK.sqlite [asks]');
const runs = Number(runsArg ?? 40);
async function side(root: string) {
  const { createDb } = await import(`${root}/src/db.ts`);
  const { findPeople } = await import(`${root}/src/search/search.queries.ts`);
  const { parsePeopleFilters } = await import(`${root}/src/search/search.domain.ts`);
  const { forgetResults } = await import(`${root}/src/search/results.domain.ts`);
  const { dbConfigOf } = await import(`${root}/bench/pg-databases.ts`);
  const db = createDb(dbConfigOf(file));
  return { db, findPeople, parsePeopleFilters, forgetResults };
}
const A = await side(rootA!);
const B = await side(rootB!);
const raw = new RawSearch(new Database(file!, { readonly: true }));
const pct = (a: number[], p: number) => percentile(a, p).toFixed(2);
for (const q of QUESTIONS) {
  const t: Record<string, number[]> = { A: [], B: [] };
  for (const S of [A, B]) await S.findPeople(S.db, S.parsePeopleFilters(q.params));
  for (let i = 0; i < runs; i++) {
    for (const [name, S] of (i % 2 ? [['A', A], ['B', B]] : [['B', B], ['A', A]]) as [string, typeof A][]) {
      raw.search(rawQueryOf(q.params));
      S.forgetResults(S.db);
      const t0 = performance.now();
      await S.findPeople(S.db, S.parsePeopleFilters(q.params));
      t[name]!.push(performance.now() - t0);
    }
  }
  console.log(`${q.name.padEnd(16)} A p50 ${pct(t.A!, 50)} p95 ${pct(t.A!, 95)} | B p50 ${pct(t.B!, 50)} p95 ${pct(t.B!, 95)}`);
}
process.exit(0);
