// Issue 11, reliability 1 and 2: a database locked by another process. Waiting for it never blocks the event
// loop (/health answers meanwhile); a write that cannot get the lock in time answers 503 with a readable page;
// the session store's failure does not end the process; once the lock is gone, writes work again.
import { expect } from 'chai';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { csrfFrom, login } from '../support/app.js';
import { fileEnv, tempDir } from './helpers.js';

describe('reliability: a database locked by someone else', function () {
  this.timeout(120_000);

  it('answers /health while a save waits, then 503 "busy" for the save and the login; all works again after', async () => {
    const file = path.join(tempDir(), 'net.sqlite');
    const env = await fileEnv(file);
    const other = new Database(file);
    try {
      const m = await login(env, 'manager@example.org', 'manager');
      const token = await m.csrf('/people/new');
      const anon = request.agent(env.app);
      const loginToken = csrfFrom((await anon.get('/login')).text);

      other.pragma('busy_timeout = 0');
      other.exec('BEGIN EXCLUSIVE'); // another process's long write
      const started = Date.now();
      const save = m.agent.post('/people').type('form').send({ _csrf: token, first_name: 'Ada', last_name: 'Lovelace', kind: 'volunteer', availability: 'available' });
      const loggingIn = anon.post('/login').type('form').send({ email: 'manager@example.org', password: 'correct horse battery', _csrf: loginToken });
      const pending = Promise.all([save, loggingIn]);
      // the event loop is free while they wait: /health answers quickly, many times
      for (let i = 0; i < 5; i++) {
        const t = Date.now();
        expect((await request(env.app).get('/health')).status).to.equal(200);
        expect(Date.now() - t, '/health waited for the lock').to.be.lessThan(1000);
        await new Promise((r) => setTimeout(r, 300));
      }
      const [saved, signedIn] = await pending;
      expect(Date.now() - started).to.be.greaterThan(2000);
      expect(saved.status).to.equal(503);
      expect(saved.text).to.contain('The database is busy');
      expect(signedIn.status).to.equal(503);
      expect(await env.db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
      other.exec('ROLLBACK');

      const again = await m.post('/people', { first_name: 'Ada', last_name: 'Lovelace', kind: 'volunteer', availability: 'available' });
      expect(again.status).to.equal(302);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await env.close();
    }
  });
});
