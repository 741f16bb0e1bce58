// Smoke test of `npm run bench`: a tiny run finishes and its last line is the JSON object of issue 8.
// No timings are asserted: only that every figure is a number or null and the measurable ones were measured.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BENCH_KEYS, BENCH_SHAPE as SHAPE, runBench as run } from '../support/bench.js';

describe('npm run bench (smoke)', function () {
  this.timeout(300_000);
  let dir: string;
  let result: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-benchmark-test-'));
    result = await run(['--quick', '--people', '1000', '--runs', '10', '--duration', '1', '--connections', '2', '--load-seconds', '1', '--json', path.join(dir, 'out.json')]);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints the table before the JSON line', () => {
    expect(result.code, result.stderr.slice(-3000)).to.equal(0);
    expect(result.stdout).to.include('search word p50/p95');
    expect(result.stdout).to.include('pages /people?q=');
    expect(result.stdout).to.include('type-ahead /pickers/people p50/p95');
    expect(result.stdout).to.include('API cursor paging, pages of 500');
  });

  it('ends with one JSON object in the shape of issue 8', () => {
    const last = result.stdout.trim().split('\n').pop()!;
    const json = JSON.parse(last) as Record<string, unknown>;
    expect(Object.keys(json)).to.deep.equal(BENCH_KEYS);
    expect(json.people).to.equal(1000);
    for (const [figure, keys] of Object.entries(SHAPE)) {
      const values = json[figure] as Record<string, unknown>;
      expect(Object.keys(values), figure).to.deep.equal(keys);
      for (const k of keys) expect(values[k] === null || typeof values[k] === 'number', `${figure}.${k}`).to.equal(true);
    }
    // these exist on every branch: the search function, the pages and the bare baselines
    for (const k of SHAPE.search!) expect((json.search as Record<string, unknown>)[k], `search.${k}`).to.be.a('number');
    for (const k of SHAPE.pages!) expect((json.pages as Record<string, unknown>)[k], `pages.${k}`).to.be.a('number');
    expect((json.import as Record<string, unknown>).raw_s).to.be.a('number');
    expect((json.export as Record<string, unknown>).raw_s).to.be.a('number');
    for (const k of SHAPE.duplicates!) expect((json.duplicates as Record<string, unknown>)[k], `duplicates.${k}`).to.be.a('number');
    // the workbook export is measured on every branch that has it: this one
    for (const k of SHAPE.export_xlsx!) expect((json.export_xlsx as Record<string, unknown>)[k], `export_xlsx.${k}`).to.be.a('number');
    for (const k of SHAPE.mail!) expect((json.mail as Record<string, unknown>)[k], `mail.${k}`).to.be.a('number');
    // the person picker's type-ahead (issue 14)
    for (const k of SHAPE.typeahead!) expect((json.typeahead as Record<string, unknown>)[k], `typeahead.${k}`).to.be.a('number');
    for (const k of SHAPE.api!) expect((json.api as Record<string, unknown>)[k], `api.${k}`).to.be.a('number');
    // issue 19: measured index memory, many connections at once (alone and during an import), the CLI export of
    // nobody and the web import wizard, each against its baseline
    for (const figure of ['memory', 'load']) {
      for (const k of SHAPE[figure]!) expect((json[figure] as Record<string, unknown>)[k], `${figure}.${k}`).to.be.a('number');
    }
    expect((json.export as Record<string, unknown>).cli_empty_ratio).to.be.a('number');
    expect((json.import as Record<string, unknown>).web_ratio).to.be.a('number');
    expect(result.stdout).to.match(/search index in memory: \d+ bytes per person/);
    // issue 13: the workbook export of everyone in a process of its own wrote every person
    expect((json.export_xlsx as Record<string, unknown>).cli_rows).to.equal(1000);
    expect(result.stdout).to.match(/skillnet export people --format xlsx \(everyone.*\): 1,000 rows, .* peak RSS [\d.]+ MB/);
    expect(result.stdout).to.match(/web import wizard, 1,000 rows: .* people written (\d+) vs \1\b/);
  });

  it('writes the same JSON to --json FILE', () => {
    const last = result.stdout.trim().split('\n').pop()!;
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8').trim()).to.equal(last);
  });
});
