// Two `skillnet serve` processes on one PostgreSQL database, as behind a proxy: any instance serves any
// request. Proves that sessions, saved searches, settings and the search index's change feed live in the
// database: a login on one is a login on the other, and a write on one is found by search on the other
// within 2 seconds. (npm run test:pg only: it needs the PostgreSQL server.)
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createDb } from '../../src/db.js';
import { addUser, csrfFrom, PASSWORD } from '../support/app.js';
import { dropDatabase, freshPgDatabase } from '../support/pg.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Instance {
  child: ChildProcess;
  base: string;
  output: () => string;
}

async function startInstance(url: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/skillnet.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), NODE_ENV: 'development', SESSION_SECRET: 'shared-secret-of-both-instances', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${out}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, base, output: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`instance did not answer /health: ${out}`);
}

async function stop(i: Instance | undefined): Promise<void> {
  if (!i || i.child.exitCode !== null) return;
  const done = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  await done;
}

describe('two instances on one PostgreSQL database', function () {
  this.timeout(120_000);
  let db: { name: string; url: string };
  let a: Instance | undefined;
  let b: Instance | undefined;

  before(async () => {
    db = await freshPgDatabase();
    const knex = createDb({ databaseFile: '', databaseUrl: db.url }, { poolMax: 1 });
    try {
      await addUser(knex, 'admin@example.org', 'admin');
    } finally {
      await knex.destroy();
    }
    a = await startInstance(db.url);
    b = await startInstance(db.url);
  });

  after(async () => {
    await stop(a);
    await stop(b);
    await dropDatabase(db.name);
  });

  /** Logs in on one instance; returns the session cookie. */
  async function loginOn(i: Instance): Promise<string> {
    const page = await request(i.base).get('/login');
    const cookies = page.headers['set-cookie'] as unknown as string[] | undefined;
    const res = await request(i.base).post('/login').type('form').set('Cookie', (cookies ?? []).map((c) => c.split(';')[0]).join('; '))
      .send({ email: 'admin@example.org', password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(res.status, i.output()).to.equal(302);
    const set = res.headers['set-cookie'] as unknown as string[];
    return set.map((c) => c.split(';')[0]).join('; ');
  }

  it('a session made on one instance is valid on the other', async () => {
    const cookie = await loginOn(a!);
    const onB = await request(b!.base).get('/people').set('Cookie', cookie);
    expect(onB.status).to.equal(200);
    expect(onB.text).to.include('admin');
  });

  it('a person added through one instance is found by search on the other within 2 seconds', async () => {
    const cookie = await loginOn(a!);
    // warm the other instance's search snapshot first, so the change must travel through the feed
    expect((await request(b!.base).get('/people?q=zyprian').set('Cookie', cookie)).text).to.not.include('Wanda');
    const form = await request(a!.base).get('/people/new').set('Cookie', cookie);
    const created = await request(a!.base).post('/people').type('form').set('Cookie', cookie)
      .send({ _csrf: csrfFrom(form.text), first_name: 'Wanda', last_name: 'Zyprianowski', kind: 'volunteer', availability: 'available' });
    expect(created.status, created.text.slice(0, 500)).to.equal(302);
    const started = Date.now();
    let found = false;
    while (!found && Date.now() - started < 2000) {
      const page = await request(b!.base).get('/people?q=zyprian').set('Cookie', cookie);
      found = page.text.includes('Wanda');
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found, 'found on the other instance within 2 s').to.equal(true);
  });

  it('saved searches and settings written on one instance are read on the other', async () => {
    const cookie = await loginOn(a!);
    const page = await request(a!.base).get('/searches').set('Cookie', cookie);
    const saved = await request(a!.base).post('/searches').type('form').set('Cookie', cookie)
      .send({ _csrf: csrfFrom(page.text), name: 'Polish speakers', query: 'language=Polish' });
    expect(saved.status).to.equal(302);
    expect((await request(b!.base).get('/searches').set('Cookie', cookie)).text).to.include('Polish speakers');
    const users = await request(b!.base).get('/users').set('Cookie', cookie);
    const set = await request(b!.base).post('/settings/exports').type('form').set('Cookie', cookie)
      .send({ _csrf: csrfFrom(users.text), exports_restricted: '1' });
    expect(set.status).to.equal(302);
    const knex = createDb({ databaseFile: '', databaseUrl: db.url }, { poolMax: 1 });
    try {
      expect(await knex('settings').where({ key: 'exports_restricted' }).first('value')).to.deep.equal({ value: '1' });
    } finally {
      await knex.destroy();
    }
  });
});
