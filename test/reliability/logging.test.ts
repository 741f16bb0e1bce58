// Issue 11, operations: one structured JSON line per request (method, route, status, duration, user id,
// request id) and per background job; never e-mail addresses, names or query strings; errors never shown.
import { expect } from 'chai';
import path from 'node:path';
import request from 'supertest';
import { csrfFrom } from '../support/app.js';
import { peopleCsv, skillnet, startServer, tempDir, until } from './helpers.js';

describe('reliability: the request log', function () {
  this.timeout(120_000);

  it('logs each request as one JSON line without personal data, with a request id', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: path.join(dir, 'net.sqlite'), SESSION_SECRET: 'a-session-secret-for-the-test', LOG_LEVEL: 'info' };
    expect((await skillnet(['migrate'], env).exited).code).to.equal(0);
    const add = skillnet(['user', 'add', 'secret.person@example.org', '--role', 'manager', '--name', 'Hermione Secretname'], { ...env, SKILLNET_PASSWORD: 'a long and unusual passphrase 42' });
    expect((await add.exited).code, add.err()).to.equal(0);
    const server = await startServer(env);
    try {
      const agent = request.agent(server.url);
      const page = await agent.get('/login');
      const signedIn = await agent.post('/login').type('form').send({ email: 'secret.person@example.org', password: 'a long and unusual passphrase 42', _csrf: csrfFrom(page.text) });
      expect(signedIn.status).to.equal(302);
      const search = await agent.get('/people?q=Lovelace%20private%40example.org');
      expect(search.status).to.equal(200);
      expect(search.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      const person = await agent.get('/people/424242');
      expect(person.status).to.equal(404);
      // a CLI import next to it logs its job (to its own standard error, as JSON)
      const imp = skillnet(['import', 'people', peopleCsv(dir, 10)], env);
      expect((await imp.exited).code).to.equal(0);
      expect(imp.err()).to.match(/"msg":"import committed"/);

      const lines = await until(() => {
        const ls = server.out().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
        return ls.some((l) => l.route === '/people/:id') ? ls : null;
      }, 30_000, 'the log lines');
      const requests = lines!.filter((l) => l.msg === 'request');
      const searchLine = requests.find((l) => l.req_id === search.headers['x-request-id']);
      expect(searchLine).to.include({ method: 'GET', route: '/people', status: 200 });
      expect(searchLine!.ms).to.be.a('number');
      expect(searchLine!.user_id).to.be.a('number');
      expect(requests.find((l) => l.route === '/people/:id')).to.include({ status: 404 });
      expect(requests.find((l) => l.method === 'POST' && l.route === '/login')).to.include({ status: 302 });
      const all = server.out();
      for (const secret of ['secret.person@example.org', 'Secretname', 'Lovelace', 'private%40example.org', 'private@example.org', '424242']) {
        expect(all, secret).to.not.contain(secret);
      }
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });
});
