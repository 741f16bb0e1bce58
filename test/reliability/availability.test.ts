// Issue 11, reliability 1: an import no longer freezes everyone. While a 20,000-row import runs, /health,
// a logged-in page, a login and a form save all answer — before the import ends (they interleave with its
// short transactions instead of waiting for one long one).
import { expect } from 'chai';
import path from 'node:path';
import request from 'supertest';
import { csrfFrom, login, PASSWORD, addUser } from '../support/app.js';
import { importCsv } from '../imports/helpers.js';
import { fileEnv, peopleCsv, tempDir, until } from './helpers.js';

describe('reliability: an import does not freeze the server', function () {
  this.timeout(180_000);

  it('during a 20,000-row import, /health, a page, a login and a form save succeed while it runs', async () => {
    const dir = tempDir();
    const env = await fileEnv(path.join(dir, 'db.sqlite'));
    try {
      const m = await login(env, 'manager@example.org', 'manager');
      await addUser(env.db, 'staff@example.org', 'staff');
      const file = peopleCsv(dir, 20_000);
      let finished = false;
      const importing = importCsv(env.db, file).finally(() => { finished = true; });
      // the batch is under way: it has written people already
      await until(async () => Number((await env.db('people').count<{ n: number }[]>({ n: '*' }))[0]!.n) > 200, 60_000, 'import to start writing');
      expect(await env.db('import_batches').where({ status: 'running' }).count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 1 }]);

      const health = await request(env.app).get('/health');
      expect(health.status).to.equal(200);
      const page = await m.agent.get('/people');
      expect(page.status).to.equal(200);
      const anon = request.agent(env.app);
      const form = await anon.get('/login');
      const signedIn = await anon.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, _csrf: csrfFrom(form.text) });
      expect(signedIn.status).to.equal(302);
      expect(signedIn.headers.location).to.not.equal('/login');
      const saved = await m.post('/people', { first_name: 'Saved', last_name: 'During Import', email: 'saved@example.org', kind: 'volunteer', availability: 'available' });
      expect(saved.status, saved.text.slice(0, 300)).to.equal(302);
      expect(saved.headers.location).to.match(/^\/people\/\d+$/);
      expect(finished, 'the import was still running when all four answered').to.equal(false);

      const sum = await importing;
      expect(sum).to.include({ rows: 20_000, created: 20_000, errors: 0 });
      expect(await env.db('import_batches').where({ id: sum.batch }).first()).to.include({ status: 'committed', created: 20_000 });
      expect(await env.db('people').where({ email_norm: 'saved@example.org' }).first()).to.include({ first_name: 'Saved' });
      expect(await env.db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 20_001 }]);
    } finally {
      await env.close();
    }
  });
});
