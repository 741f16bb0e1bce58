// Issue 11, reliability 3 and operations: import jobs live in the database. A real kill -9 leaves a batch
// marked running that the next start rolls back; two CLI imports queue visibly; a backup and other commands
// run while an import writes; SIGTERM stops a CLI import and takes back what it wrote.
import { expect } from 'chai';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb } from '../../src/db.js';
import { peopleCsv, skillnet, tempDir, until } from './helpers.js';

function reader(file: string) {
  const conn = new Database(file, { readonly: true });
  conn.pragma('busy_timeout = 1000');
  const one = (sql: string) => conn.prepare(sql).get() as Record<string, unknown> | undefined;
  return {
    people: () => Number(one('select count(*) as n from people')!.n),
    batches: (status: string) => Number(one(`select count(*) as n from import_batches where status = '${status}'`)!.n),
    jobs: () => conn.prepare('select kind, status from import_jobs order by id').all() as { kind: string; status: string }[],
    close: () => conn.close(),
  };
}

describe('reliability: import jobs across processes', function () {
  this.timeout(240_000);
  let dir: string;
  let dbFile: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = tempDir();
    dbFile = path.join(dir, 'net.sqlite');
    env = { DATABASE_URL: dbFile };
    const r = await skillnet(['migrate'], env).exited;
    expect(r.code).to.equal(0);
  });

  it('kill -9 half way: the batch stays marked running, nothing of it counts, and the next start rolls it back', async () => {
    const big = peopleCsv(dir, 30_000);
    const a = skillnet(['import', 'people', big], env);
    const db = reader(dbFile);
    try {
      await until(() => db.people() > 1000, 120_000, 'the import to write people');
      a.proc.kill('SIGKILL');
      expect((await a.exited).signal).to.equal('SIGKILL');
      const half = db.people();
      expect(half).to.be.greaterThan(1000).and.lessThan(30_000);
      expect(db.batches('running'), 'a half-done batch is marked as running').to.equal(1);
      expect(db.batches('committed')).to.equal(0);

      // the next import takes the lock, sees the dead holder and rolls its batch back first
      const small = peopleCsv(dir, 3, 'small.csv', 'q');
      const b = skillnet(['import', 'people', small, '--json'], env);
      const r = await b.exited;
      expect(r.code, b.err()).to.equal(0);
      expect(JSON.parse(b.out())).to.include({ created: 3, errors: 0 });
      expect(db.people(), 'only the second import is left').to.equal(3);
      expect(db.batches('running')).to.equal(0);
      expect(db.jobs().map((j) => j.status)).to.deep.equal(['interrupted', 'done']);
    } finally {
      db.close();
    }
  });

  it('a server started after a kill -9 rolls the interrupted batch back by itself', async () => {
    const big = peopleCsv(dir, 30_000);
    const a = skillnet(['import', 'people', big], env);
    const db = reader(dbFile);
    try {
      await until(() => db.people() > 1000, 120_000, 'the import to write people');
      a.proc.kill('SIGKILL');
      await a.exited;
      const server = skillnet(['serve'], { ...env, PORT: '0' });
      await until(() => db.people() === 0 && db.batches('running') === 0, 120_000, 'the server to roll the batch back');
      expect(db.jobs().map((j) => j.status)).to.deep.equal(['interrupted']);
      await until(() => server.out().includes('Skillnet is running'), 30_000, 'the server to listen');
      server.proc.kill('SIGTERM');
      expect((await server.exited).code).to.equal(0);
    } finally {
      db.close();
    }
  });

  it('two CLI imports at once: the second says it waits, then runs; a backup and a dry run work meanwhile', async () => {
    const big = peopleCsv(dir, 20_000);
    const a = skillnet(['import', 'people', big, '--json'], env);
    const db = reader(dbFile);
    try {
      await until(() => db.people() > 500, 120_000, 'the first import to write people');
      const b = skillnet(['import', 'people', peopleCsv(dir, 5, 'b.csv', 'b'), '--json'], env);
      await until(() => b.err().includes('Waiting for another import'), 60_000, 'the second import to say it waits');
      // meanwhile: a backup copies a consistent state, and a dry run reads
      const backupFile = path.join(dir, 'copy.sqlite');
      const backup = skillnet(['backup', backupFile], env);
      const dry = skillnet(['import', 'people', peopleCsv(dir, 5, 'c.csv', 'c'), '--dry-run', '--json'], env);
      const [br, dr] = [await backup.exited, await dry.exited];
      expect(br.code, backup.err()).to.equal(0);
      expect(dr.code, dry.err()).to.equal(0);
      expect(JSON.parse(dry.out())).to.include({ batch: null, created: 5 });
      const copy = new Database(backupFile, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).to.equal('ok');
      copy.close();
      const [ar, bres] = [await a.exited, await b.exited];
      expect(ar.code, a.err()).to.equal(0);
      expect(bres.code, b.err()).to.equal(0);
      expect(JSON.parse(a.out())).to.include({ created: 20_000 });
      expect(JSON.parse(b.out())).to.include({ created: 5 });
      expect(JSON.parse(b.out()).batch).to.be.greaterThan(JSON.parse(a.out()).batch);
      for (const child of [a, b, backup, dry]) expect(child.err()).to.not.match(/migrat|knex/i);
    } finally {
      db.close();
    }
  });

  it('SIGTERM during a CLI import: it stops, takes back what it wrote and says so', async () => {
    const a = skillnet(['import', 'people', peopleCsv(dir, 30_000)], env);
    const db = reader(dbFile);
    try {
      await until(() => db.people() > 1000, 120_000, 'the import to write people');
      a.proc.kill('SIGTERM');
      const r = await a.exited;
      expect(r.code).to.equal(2);
      expect(a.err()).to.contain('The import was stopped; everything it had written was taken back.');
      expect(db.people()).to.equal(0);
      expect(db.batches('running') + db.batches('committed')).to.equal(0);
      expect(db.jobs().map((j) => j.status)).to.deep.equal(['interrupted']);
    } finally {
      db.close();
    }
    const k = createDb({ databaseFile: dbFile });
    expect(await k('import_lock').first()).to.include({ owner: null });
    await k.destroy();
  });
});
