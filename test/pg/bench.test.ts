// Smoke test of `npm run bench -- --db postgres`: a tiny run on the test server finishes, measures import, search,
// pages, two instances and export against bare `pg`, prints the JSON line with pages.two_instances_ratio, and
// drops the database it made. No timings are asserted. (npm run test:pg only.)
import { expect } from 'chai';
import pg from 'pg';
import { BENCH_KEYS, BENCH_SHAPE, benchJson, runBench, type BenchRun } from '../support/bench.js';
import { PG_ADMIN_URL } from '../support/pg.js';

/** What PostgreSQL measures, each against bare pg; every other figure (and part of one) is SQLite's alone. */
const MEASURED: Record<string, string[]> = {
  import: ['app_s', 'raw_s', 'ratio', 'peak_rss_mb'],
  search: ['app_p95_ms', 'raw_p95_ms', 'ratio'],
  pages: ['app_rps', 'raw_rps', 'ratio', 'app_p99_ms', 'person_ratio', 'search_ratio', 'empty_ratio', 'two_instances_ratio'],
  export: ['app_s', 'raw_s', 'ratio', 'peak_rss_mb'],
};

describe('npm run bench -- --db postgres (smoke)', function () {
  this.timeout(240_000);
  let result: BenchRun;

  before(async () => {
    result = await runBench(['--quick', '--people', '1000', '--runs', '10', '--duration', '1', '--connections', '2', '--db', 'postgres', '--database-url', PG_ADMIN_URL]);
  });

  it('exits 0 and prints the PostgreSQL table with the two-instance rows', () => {
    expect(result.code, result.stderr.slice(-3000)).to.equal(0);
    expect(result.stdout).to.match(/Skillnet benchmark on PostgreSQL 127\.0\.0\.1:5432 \(bare = pg on the same server\): 1,000 people/);
    for (const row of ['import 1,000 rows', 'search word p50/p95', 'pages /people?q=', "pages a person's page", 'two instances /people?q=', "two instances a person's page", 'export /people.csv']) {
      expect(result.stdout, row).to.include(row);
    }
    expect(result.stdout).to.include('≤ 1.5, ≤ 15 ms');
  });

  it('ends with the JSON line: the four figures measured, pages.two_instances_ratio added', () => {
    const json = benchJson(result);
    expect(Object.keys(json)).to.deep.equal(BENCH_KEYS);
    expect(json.people).to.equal(1000);
    for (const [figure, keys] of Object.entries(BENCH_SHAPE)) {
      const values = json[figure] as Record<string, unknown>;
      expect(Object.keys(values), figure).to.deep.equal(figure === 'pages' ? [...keys, 'two_instances_ratio'] : keys);
      for (const [k, v] of Object.entries(values)) {
        if (MEASURED[figure]?.includes(k)) expect(v, `${figure}.${k}`).to.be.a('number');
        else expect(v === null || typeof v === 'number', `${figure}.${k}`).to.equal(true);
      }
    }
  });

  it('drops the database it made on the server', async () => {
    const name = /\/(skillnet_bench_\d+)\b/.exec(result.stderr)?.[1];
    expect(name, result.stderr.slice(0, 500)).to.be.a('string');
    const c = new pg.Client(PG_ADMIN_URL);
    await c.connect();
    try {
      const left = await c.query("SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $1 || '\\_%'", [name]);
      expect(left.rows).to.deep.equal([]);
    } finally {
      await c.end();
    }
  });
});
