// Two `skillnet serve` processes on one PostgreSQL database, as behind a proxy: any instance serves any
// request. Proves that sessions, saved searches, settings, login throttling, import jobs with their progress
// and the one-import-at-a-time lock, and the search index's change feed live in the database: a login on one
// is a login on the other, failed logins on both add up, an import started on one shows its progress on the
// other and two imports started on different instances commit one after the other, and a write on one is
// found by search on the other within 2 seconds. (npm run test:pg only: it needs the PostgreSQL server.)
import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import { createDb } from '../../src/db.js';
import { addUser, csrfFrom } from '../support/app.js';
import { csvFile } from '../imports/helpers.js';
import { loginOn as login, startInstance, stopInstance as stop, type Instance } from '../support/instances.js';
import { dropDatabase, freshPgDatabase } from '../support/pg.js';

/**
 * Test instrumentation in the test database only: every change of the import lock's holder and of an import
 * job's status, in the order the database saw them (a serial id), so the test can check that no two commits
 * ever held the lock at once without watching the clock.
 */
async function recordLockHistory(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE test_lock_history (id serial PRIMARY KEY, what text NOT NULL)');
  await knex.raw(`CREATE FUNCTION test_lock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO test_lock_history (what) VALUES ('lock:' || coalesce(NEW.job_id::text, '-')); RETURN NEW; END $$`);
  await knex.raw('CREATE TRIGGER test_lock_changed AFTER UPDATE ON import_lock FOR EACH ROW EXECUTE FUNCTION test_lock_changed()');
  await knex.raw(`CREATE FUNCTION test_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO test_lock_history (what) VALUES ('job:' || NEW.id || ':' || NEW.status); RETURN NEW; END $$`);
  await knex.raw(`CREATE TRIGGER test_job_changed AFTER UPDATE ON import_jobs FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION test_job_changed()`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      await addUser(knex, 'guessed@example.org', 'manager');
      await recordLockHistory(knex);
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
    const { res, cookie } = await login(i, 'admin@example.org');
    expect(res.status, i.output()).to.equal(302);
    return cookie;
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
  /** Runs a knex query on the shared database. */
  async function onDb<T>(fn: (knex: Knex) => Promise<T>): Promise<T> {
    const knex = createDb({ databaseFile: '', databaseUrl: db.url }, { poolMax: 1 });
    try {
      return await fn(knex);
    } finally {
      await knex.destroy();
    }
  }

  /** Uploads a CSV through the import wizard of one instance, maps it as guessed and starts its preview; the draft's key. */
  async function startImport(i: Instance, cookie: string, csv: string): Promise<string> {
    const form = await request(i.base).get('/imports/new').set('Cookie', cookie);
    const up = await request(i.base).post('/imports/new').set('Cookie', cookie).field('_csrf', csrfFrom(form.text)).attach('file', csvFile(csv));
    expect(up.status, up.text.slice(0, 500)).to.equal(303);
    const key = /\/imports\/drafts\/([0-9a-f]{32})\/map$/.exec(up.headers.location)![1]!;
    const map = await request(i.base).get(`/imports/drafts/${key}/map`).set('Cookie', cookie);
    const mapping: Record<string, string> = { _csrf: csrfFrom(map.text) };
    for (const g of map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)) mapping[g[1]!] = g[2]!;
    expect((await request(i.base).post(`/imports/drafts/${key}/map`).type('form').set('Cookie', cookie).send(mapping)).status).to.equal(303);
    const started = await request(i.base).post(`/imports/drafts/${key}/preview`).type('form').set('Cookie', cookie)
      .send({ _csrf: csrfFrom(map.text), policy: 'skip', new_skills: 'yes' });
    expect(started.status).to.equal(303);
    return key;
  }

  /** A draft's job as another instance reports it (status.json), polled until `until` holds (at most 60 s). */
  async function statusOn(i: Instance, cookie: string, key: string, until: (s: { status: string; bytes: number; total: number }) => boolean) {
    let last: { status: string; bytes: number; total: number } = { status: 'none', bytes: 0, total: 0 };
    for (let n = 0; n < 600; n++) {
      const res = await request(i.base).get(`/imports/drafts/${key}/status.json`).set('Cookie', cookie).set('Accept', 'application/json');
      expect(res.status, i.output()).to.equal(200);
      last = res.body;
      if (until(last)) return last;
      await sleep(100);
    }
    throw new Error(`the job of draft ${key} stayed ${JSON.stringify(last)}\n${i.output()}`);
  }

  it('an import started on one instance shows its progress on the other; imports started on both commit one at a time', async () => {
    const cookie = await loginOn(a!);
    const people = (prefix: string) => `First Name,Last Name,Email\n${Array.from({ length: 300 }, (_, n) => `${prefix}${n},Imported,${prefix}${n}@example.org`).join('\n')}\n`;
    const first = await startImport(a!, cookie, people('anna'));
    const second = await startImport(b!, cookie, people('bruno'));
    // the previews (dry runs) started on one instance finish as seen from the other
    expect((await statusOn(b!, cookie, first, (s) => s.status !== 'running' && s.status !== 'waiting')).status).to.equal('done');
    expect((await statusOn(a!, cookie, second, (s) => s.status !== 'running' && s.status !== 'waiting')).status).to.equal('done');

    const peopleNow = async () => Number((await onDb((k) => k('people').count({ n: '*' })))[0]!.n);
    const before = await peopleNow();
    // a third party (another host, alive: a fresh heartbeat) holds the import lock: both commits must wait for it
    await onDb((k) => k('import_lock').where({ id: 1 }).update({ owner: 'another-host:1:test', job_id: null, heartbeat_at: new Date().toISOString() }));
    const form = await request(a!.base).get(`/imports/drafts/${first}/preview`).set('Cookie', cookie);
    for (const [i, key] of [[a!, first], [b!, second]] as const) {
      const commit = await request(i.base).post(`/imports/drafts/${key}/commit`).type('form').set('Cookie', cookie).send({ _csrf: csrfFrom(form.text) });
      expect(commit.status).to.equal(303);
    }
    await statusOn(b!, cookie, first, (s) => s.status === 'waiting');
    await statusOn(a!, cookie, second, (s) => s.status === 'waiting');
    const progress = await request(b!.base).get(`/imports/drafts/${first}/progress`).set('Cookie', cookie);
    expect(progress.status).to.equal(200);
    expect(progress.text).to.include('<progress');
    expect(await peopleNow(), 'nothing written while another holds the lock').to.equal(before);
    expect(await onDb((k) => k('import_lock').first('owner'))).to.deep.equal({ owner: 'another-host:1:test' });

    // the holder lets go: both commits finish, as each instance sees the other's
    await onDb((k) => k('import_lock').where({ id: 1 }).update({ owner: null, job_id: null, heartbeat_at: null }));
    const doneFirst = await statusOn(b!, cookie, first, (s) => s.status !== 'running' && s.status !== 'waiting');
    const doneSecond = await statusOn(a!, cookie, second, (s) => s.status !== 'running' && s.status !== 'waiting');
    expect([doneFirst.status, doneSecond.status]).to.deep.equal(['done', 'done']);
    expect(doneFirst.bytes, 'the progress reached the end').to.equal(doneFirst.total);
    expect((await request(b!.base).get(`/imports/drafts/${first}/result`).set('Cookie', cookie)).status).to.equal(200);
    expect(await peopleNow()).to.equal(before + 600);

    // one at a time: from its start to its end, each commit was the lock's holder, and the other never ran meanwhile
    const jobs = await onDb((k) => k('import_jobs').where({ kind: 'commit' }).orderBy('id').select('id', 'owner'));
    expect(jobs).to.have.length(2);
    expect(jobs[0]!.owner, 'each commit ran on its own instance').to.not.equal(jobs[1]!.owner);
    const history: string[] = await onDb((k) => k('test_lock_history').orderBy('id').pluck('what'));
    for (const { id } of jobs) {
      const start = history.indexOf(`job:${id}:running`);
      const end = history.indexOf(`job:${id}:done`);
      expect(start, `job ${id} ran: ${history.join(' ')}`).to.be.greaterThan(-1);
      expect(end, `job ${id} finished: ${history.join(' ')}`).to.be.greaterThan(start);
      const holder = history.slice(0, start).filter((h) => h.startsWith('lock:')).at(-1);
      expect(holder, `job ${id} held the lock when it started: ${history.join(' ')}`).to.equal(`lock:${id}`);
      const during = history.slice(start, end + 1);
      expect(during.filter((h) => h.startsWith('lock:') && h !== `lock:${id}`), `the lock while job ${id} ran: ${history.join(' ')}`).to.deep.equal([]);
      expect(during.filter((h) => h.endsWith(':running') && h !== `job:${id}:running`), `other commits while job ${id} ran: ${history.join(' ')}`).to.deep.equal([]);
    }
  });

  it('failed logins on both instances add up: the limit holds across them (runs last: it blocks this address)', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) statuses.push((await login(n % 2 ? b! : a!, 'guessed@example.org', 'wrong password')).res.status);
    expect(statuses, 'ten wrong passwords, five on each instance').to.deep.equal(Array(10).fill(401));
    // five failures each: an instance counting only its own would let the right password in
    for (const i of [a!, b!]) expect((await login(i, 'guessed@example.org')).res.status, i.output()).to.equal(429);
  });
});
