import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb } from '../../src/db.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/skillnet.js');

async function skillnet(dbFile: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${dbFile}`, NODE_ENV: 'test' }, timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('cli: skillnet seed', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-seed-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('seed demo --people 50 builds the network, says so in one line, audits it, and refuses a second run', async () => {
    const file = path.join(dir, 'x.sqlite');
    const res = await skillnet(file, 'seed', 'demo', '--people', '50', '--seed', '3');
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^Demo network: 50 people .*13 projects.* s\.\n$/);
    const db = createDb({ databaseFile: file });
    try {
      expect(await db('people').count({ n: '*' }).first()).to.deep.equal({ n: 50 });
      const audit = await db('audit_log').where({ action: 'seed', entity_type: 'system' }).first();
      expect(audit).to.include({ source: 'cli', actor: 'cli' });
      expect(JSON.parse(audit.changes)).to.include({ seed: 'demo', people: 50, rng_seed: 3 });
    } finally {
      await db.destroy();
    }
    const again = await skillnet(file, 'seed', 'demo', '--people', '50');
    expect(again.code).to.equal(2);
    expect(again.stderr.trim().split('\n')).to.have.length(1);
    expect(again.stderr).to.match(/database without people/);
  });

  it('seed taxonomy adds the skills once; bad options are one-line errors', async () => {
    const file = path.join(dir, 'y.sqlite');
    const first = await skillnet(file, 'seed', 'taxonomy');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/Taxonomy: \d+ categories, \d+ skills and \d+ aliases added/);
    const second = await skillnet(file, 'seed', 'taxonomy');
    expect(second.stdout).to.match(/Taxonomy: 0 categories, 0 skills and 0 aliases added/);
    for (const args of [['--people', 'many'], ['--colour']]) {
      const bad = await skillnet(file, 'seed', 'demo', ...args);
      expect(bad.code, args.join(' ')).to.equal(2);
      expect(bad.stderr.trim().split('\n'), args.join(' ')).to.have.length(1);
      expect(bad.stderr).to.match(/^skillnet: /);
    }
  });
});
