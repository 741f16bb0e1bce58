// Two `skillnet serve` processes on one PostgreSQL database, as behind a proxy: any instance serves any
// request. Proves that sessions, saved searches, settings and the search index's change feed live in the
// database: a login on one is a login on the other, and a write on one is found by search on the other
// within 2 seconds. (npm run test:pg only: it needs the PostgreSQL server.)
import { expect } from 'chai';
import request from 'supertest';
import { createDb } from '../../src/db.js';
import { addUser, csrfFrom } from '../support/app.js';
import { loginOn as login, startInstance, stopInstance as stop, type Instance } from '../support/instances.js';
import { dropDatabase, freshPgDatabase } from '../support/pg.js';

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
});
