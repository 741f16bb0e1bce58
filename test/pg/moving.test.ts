// Moving a network between the two databases: `skillnet export all` from SQLite, `skillnet import all` into
// an empty PostgreSQL database, export again: the files are byte-identical; and back into a new SQLite file.
// The CLI is run for real for the PostgreSQL legs. (npm run test:pg only.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createDb, migrate } from '../../src/db.js';
import { exportNetworkToDir } from '../../src/exports/network-export.service.js';
import { findPeople } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { seedDemo } from '../../seeds/demo.js';
import { dropDatabase, emptyPgDatabase, urlFor } from '../support/pg.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function cli(args: string[], url: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/skillnet.js'), ...args], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'test' }, encoding: 'utf8', timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f))]));
}

describe('moving a network between SQLite and PostgreSQL', function () {
  this.timeout(240_000);
  let tmp: string;
  let pgName: string;

  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'skillnet-move-'));
  });
  after(async () => {
    rmSync(tmp, { recursive: true, force: true });
    if (pgName) await dropDatabase(pgName);
  });

  it('SQLite → PostgreSQL → SQLite gives byte-identical exports, and search agrees', async () => {
    const sqliteA = createDb({ databaseFile: path.join(tmp, 'a.sqlite') });
    const dirA = path.join(tmp, 'from-sqlite');
    try {
      await migrate(sqliteA);
      await seedDemo(sqliteA, { people: 150, seed: 7, today: '2026-11-27' });
      await exportNetworkToDir(sqliteA, dirA);
    } finally {
      await sqliteA.destroy();
    }

    pgName = await emptyPgDatabase();
    const pgUrl = urlFor(pgName);
    const loaded = cli(['import', 'all', dirA], pgUrl);
    expect(loaded.status, loaded.stderr).to.equal(0);
    const dirB = path.join(tmp, 'from-postgres');
    const exported = cli(['export', 'all', dirB], pgUrl);
    expect(exported.status, exported.stderr).to.equal(0);
    const a = filesOf(dirA);
    const b = filesOf(dirB);
    expect([...b.keys()]).to.deep.equal([...a.keys()]);
    for (const [file, bytes] of a) expect(b.get(file)!.equals(bytes), `${file} differs`).to.equal(true);

    const sqliteC = createDb({ databaseFile: path.join(tmp, 'c.sqlite') });
    const pg = createDb({ databaseFile: '', databaseUrl: pgUrl }, { poolMax: 2 });
    const dirC = path.join(tmp, 'back-in-sqlite');
    try {
      const back = cli(['import', 'all', dirB], `sqlite:${path.join(tmp, 'c.sqlite')}`);
      expect(back.status, back.stderr).to.equal(0);
      await exportNetworkToDir(sqliteC, dirC);
      const c = filesOf(dirC);
      for (const [file, bytes] of a) expect(c.get(file)!.equals(bytes), `${file} differs after the way back`).to.equal(true);
      // the same questions give the same answers on both databases
      for (const q of [{ q: 'muller' }, { q: 'word' }, { city: 'Berlin' }, { q: 'an', sort: 'name' }, {}]) {
        const onPg = await findPeople(pg, parsePeopleFilters(q), { today: new Date('2026-11-27') });
        const onSqlite = await findPeople(sqliteC, parsePeopleFilters(q), { today: new Date('2026-11-27') });
        expect(onPg, JSON.stringify(q)).to.deep.equal(onSqlite);
      }
    } finally {
      await sqliteC.destroy();
      await pg.destroy();
    }
  });
});
