// Issue 11, reliability 5: start-up and configuration fail in one clear line, never quietly and never hanging.
import { expect } from 'chai';
import { chmodSync, existsSync, openSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { peopleCsv, skillnet, startServer, tempDir, until } from './helpers.js';

const noStack = (text: string) => expect(text, text).to.not.match(/\n\s+at /);

describe('reliability: start-up and configuration', function () {
  this.timeout(180_000);

  it('refuses a DATABASE_URL whose folder does not exist, and creates nothing', async () => {
    const dir = tempDir();
    const wrong = path.join(dir, 'typo', 'net.sqlite');
    const c = skillnet(['serve'], { DATABASE_URL: wrong, PORT: '0' });
    const r = await c.exited;
    expect(r.code).to.not.equal(0);
    expect(c.err().trim().split('\n')).to.have.length(1);
    expect(c.err()).to.contain('does not exist');
    expect(c.out()).to.not.contain('Skillnet is running');
    expect(existsSync(path.dirname(wrong))).to.equal(false);
  });

  it('a file that is not a database, or is read-only: one line, no stack trace', async () => {
    const dir = tempDir();
    const junk = path.join(dir, 'junk.sqlite');
    writeFileSync(junk, 'this is a spreadsheet, not a database'.repeat(200));
    const a = skillnet(['serve'], { DATABASE_URL: junk, PORT: '0' });
    expect((await a.exited).code).to.not.equal(0);
    expect(a.err()).to.contain('is not a SQLite database');
    noStack(a.err());
    const b = skillnet(['backup', path.join(dir, 'b.sqlite')], { DATABASE_URL: junk });
    expect((await b.exited).code).to.equal(2);
    expect(b.err()).to.contain('is not a SQLite database');
    noStack(b.err());

    const good = path.join(dir, 'ro.sqlite');
    expect((await skillnet(['migrate'], { DATABASE_URL: good }).exited).code).to.equal(0);
    chmodSync(good, 0o444);
    // root may write a read-only file anyway; the check is on the permission bits, as an operator sees them
    const c = skillnet(['serve'], { DATABASE_URL: good, PORT: '0' });
    expect((await c.exited).code).to.not.equal(0);
    expect(c.err()).to.contain('is read-only');
    noStack(c.err());
  });

  it('a database damaged in the middle: /health says 503 and skillnet check exits 1', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'net.sqlite');
    const env = { DATABASE_URL: file };
    expect((await skillnet(['migrate'], env).exited).code).to.equal(0);
    expect((await skillnet(['import', 'people', peopleCsv(dir, 3000)], env).exited).code).to.equal(0);
    const conn = new Database(file);
    conn.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = conn.pragma('page_size', { simple: true }) as number;
    // a page of the people table's b-tree that is neither its root nor the file's first
    const root = (conn.prepare("select rootpage from sqlite_master where name = 'people'").get() as { rootpage: number }).rootpage;
    conn.close();
    const pages = statSync(file).size / pageSize;
    const victim = Math.floor(pages / 2) === root ? Math.floor(pages / 2) + 1 : Math.floor(pages / 2);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (victim - 1) * pageSize);
    closeSync(fd);

    const check = skillnet(['check'], env);
    expect((await check.exited).code).to.equal(1);
    expect(check.err()).to.contain('The database is damaged');
    noStack(check.err());

    const server = await startServer(env);
    try {
      const health = await until(async () => {
        const h = await request(server.url).get('/health');
        return h.status === 503 ? h : null;
      }, 60_000, '/health to report the damage');
      expect(health!.body).to.include({ status: 'corrupt', check: 'quick_check' });
    } finally {
      server.proc.kill('SIGTERM');
      expect((await server.exited).code).to.equal(0);
    }
  });

  it('a migration lock left by a crash: exits non-zero with advice instead of hanging; migrate --unlock clears it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'net.sqlite');
    const env = { DATABASE_URL: file };
    expect((await skillnet(['migrate'], env).exited).code).to.equal(0);
    const conn = new Database(file);
    conn.prepare('update knex_migrations_lock set is_locked = 1').run();
    // a pending migration, so that the start needs the lock
    const last = conn.prepare('select max(id) as id from knex_migrations').get() as { id: number };
    conn.prepare('delete from knex_migrations where id = ?').run(last.id);
    conn.close();
    const c = skillnet(['serve'], { ...env, PORT: '0' });
    const r = await c.exited;
    expect(r.code).to.equal(1);
    expect(c.err()).to.contain('skillnet migrate --unlock');
    noStack(c.err());
    expect(c.out()).to.not.contain('Skillnet is running');
    const u = skillnet(['migrate', '--unlock'], env);
    expect((await u.exited).code, u.err()).to.equal(0);
  });

  it('"Skillnet is running" only once it listens: a port in use is one line and exit 1', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: path.join(dir, 'net.sqlite') };
    const first = await startServer(env);
    try {
      const port = new URL(first.url).port;
      const second = skillnet(['serve'], { ...env, PORT: port });
      expect((await second.exited).code).to.equal(1);
      expect(second.err()).to.contain(`Port ${port} is already in use`);
      expect(second.out()).to.not.contain('Skillnet is running');
    } finally {
      first.proc.kill('SIGTERM');
      expect((await first.exited).code).to.equal(0);
    }
  });
});
