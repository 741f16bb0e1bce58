// The bench's peak memory of a child process is the child's own: on Linux a forked child starts with its parent's
// getrusage maxRSS, so a bench process holding search indexes made a child export of no rows read as much as one
// of 100,000 (both 148 MB).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { BENCH_DIR } from '../../bench/util.js';

describe('bench: a child process\'s own peak memory (bench/rss-wrapper.mjs)', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!existsSync('/proc/self/status')) this.skip(); // without /proc the figure is getrusage's, which may include the parent's
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-peak-rss-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** Runs a script that holds `mb` megabytes through the wrapper; returns what the wrapper wrote, in MB. */
  function peakOf(mb: number): number {
    const script = path.join(dir, `hold-${mb}.mjs`);
    writeFileSync(script, `const a = new Uint8Array(${mb} * 1048576).fill(1); if (a[7] !== 1) process.exit(3);\n`);
    const out = path.join(dir, `hold-${mb}.rss`);
    execFileSync(process.execPath, [path.join(BENCH_DIR, 'rss-wrapper.mjs'), out, script]);
    return Number(readFileSync(out, 'utf8')) / 1024;
  }

  it('counts what the child holds, not what its parent held when it started it', () => {
    const parent = new Uint8Array(400 * 1048576).fill(1); // this process: well above what either child holds
    const parentMb = process.memoryUsage().rss / 1048576;
    expect(parentMb).to.be.greaterThan(400);
    const small = peakOf(1);
    const large = peakOf(200);
    expect(parent[9]).to.equal(1);
    expect(small, 'a child holding 1 MB').to.be.below(150);
    expect(large, 'a child holding 200 MB').to.be.within(200, 350);
    expect(large - small, 'the difference is what the larger child holds').to.be.within(180, 260);
  });
});
