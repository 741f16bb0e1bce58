// Two app instances in one process on one SQLite file, as two servers behind a proxy share one database. Each
// keeps a short cache of what every logged-in request reads: the session row (src/http/session-store.ts), the
// signed-in user and the settings' policy (src/shared/ttl-cache.ts). The promise these caches make: a logout,
// deactivation or ended session is never served from a cache on the instance where it happened, and another
// instance sees it, or a changed role or setting, within 2 s.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp, type App } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createDb, migrate } from '../../src/db.js';
import { addUser, csrfFrom, PASSWORD } from '../support/app.js';
import { setSetting } from '../../src/settings/settings.queries.js';

interface Instance {
  db: Knex;
  app: App;
}

/** A session cookie from the real login form on `on`. */
async function signIn(on: Instance, email: string): Promise<string> {
  const page = await request(on.app).get('/login');
  const jar = page.headers['set-cookie'] as unknown as string[];
  const res = await request(on.app).post('/login').set('Cookie', jar.map((c) => c.split(';')[0]).join('; '))
    .type('form').send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
  expect(res.status).to.equal(302);
  expect(res.headers.location).to.not.match(/^\/login/);
  return (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
}

const get = (on: Instance, cookie: string, url = '/people') => request(on.app).get(url).set('Cookie', cookie);

/** Two page views: the first may still write the session (its CSRF token), the second is answered from the cache. */
async function warm(on: Instance, cookie: string, url = '/people'): Promise<number> {
  await get(on, cookie, url);
  return (await get(on, cookie, url)).status;
}

/** POSTs a form of a logged-in page with the session's CSRF token. */
async function postForm(on: Instance, cookie: string, url: string, form: Record<string, string>) {
  const token = csrfFrom((await get(on, cookie, '/people')).text);
  return request(on.app).post(url).set('Cookie', cookie).type('form').send({ ...form, _csrf: token });
}

/** 200 within 2 s, or the last status seen; polls every 100 ms. */
async function statusWithin2s(on: Instance, cookie: string, url: string, want: number): Promise<number> {
  const until = Date.now() + 2000;
  for (;;) {
    const status = (await get(on, cookie, url)).status;
    if (status === want || Date.now() > until) return status;
    await sleep(100);
  }
}

describe('two instances on one database: the per-request caches', function () {
  this.timeout(30_000);
  let dir: string;
  let a: Instance;
  let b: Instance;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-instances-'));
    const config = testConfig({ databaseFile: path.join(dir, 'net.sqlite') });
    const dbA = createDb(config);
    await migrate(dbA);
    const dbB = createDb(config);
    a = { db: dbA, app: createApp({ db: dbA, config, loginAttempts: 1000 }) };
    b = { db: dbB, app: createApp({ db: dbB, config, loginAttempts: 1000 }) };
    await addUser(dbA, 'admin@example.org', 'admin');
    await addUser(dbA, 'mia@example.org', 'manager');
  });

  afterEach(async () => {
    for (const i of [a, b]) {
      await i.app.shutdown();
      await i.db.destroy();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a session made on one instance is valid on the other', async () => {
    const cookie = await signIn(a, 'mia@example.org');
    expect((await get(b, cookie)).status).to.equal(200);
  });

  it('after a logout the old session cookie is refused at once on that instance, and within 2 s on the other', async () => {
    const cookie = await signIn(a, 'mia@example.org');
    expect(await warm(a, cookie)).to.equal(200); // cached on a
    expect(await warm(b, cookie)).to.equal(200); // cached on b
    const out = await postForm(a, cookie, '/logout', {});
    expect(out.status).to.equal(302);
    const after = await get(a, cookie);
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.match(/^\/login/);
    expect(await statusWithin2s(b, cookie, '/people', 302)).to.equal(302);
  });

  it('a deactivated user is refused at once on that instance, and within 2 s on the other', async () => {
    const admin = await signIn(a, 'admin@example.org');
    const mia = await signIn(a, 'mia@example.org');
    expect(await warm(a, mia)).to.equal(200);
    expect(await warm(b, mia)).to.equal(200);
    const id = (await a.db('users').where({ email: 'mia@example.org' }).first()).id as number;
    const res = await postForm(a, admin, `/users/${id}`, { name: 'mia', role: 'manager', organisation_id: '', active: '0' });
    expect(res.status).to.equal(302);
    expect((await get(a, mia)).status).to.equal(302);
    expect(await statusWithin2s(b, mia, '/people', 302)).to.equal(302);
    expect(await a.db('sessions').count({ n: '*' }).first()).to.deep.equal({ n: 1 }); // the admin's alone
  });

  it('"end all other sessions" refuses the others at once on that instance, and within 2 s on the other', async () => {
    const first = await signIn(a, 'mia@example.org');
    const second = await signIn(a, 'mia@example.org');
    expect(await warm(a, second)).to.equal(200); // cached
    expect(await warm(b, second)).to.equal(200);
    const res = await postForm(a, first, '/account/sessions/delete-others', {});
    expect(res.status).to.equal(302);
    expect((await get(a, second)).status).to.equal(302);
    expect((await get(a, first)).status).to.equal(200);
    expect(await statusWithin2s(b, second, '/people', 302)).to.equal(302);
  });

  it('a changed role and a changed setting reach the other instance within 2 s', async () => {
    const mia = await signIn(a, 'mia@example.org');
    expect(await warm(b, mia, '/people/duplicates')).to.equal(200); // a manager's page, cached on b
    expect((await get(b, mia, '/people.csv')).status).to.equal(200);
    await b.db('users').where({ email: 'mia@example.org' }).update({ role: 'viewer' }); // as another process would
    expect(await statusWithin2s(b, mia, '/people/duplicates', 403)).to.equal(403);
    expect((await get(a, mia, '/people/duplicates')).status).to.equal(403);
    await setSetting(a.db, 'exports_restricted', '1');
    expect((await get(a, mia, '/people.csv')).status).to.equal(403); // at once where it was set
    expect(await statusWithin2s(b, mia, '/people.csv', 403)).to.equal(403);
  });
});
