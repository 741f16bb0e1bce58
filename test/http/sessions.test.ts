// Sessions are created only when needed: anonymous visitors (the login and set-up forms included) write no rows.
import { expect } from 'chai';
import request from 'supertest';
import { addUser, csrfFrom, PASSWORD, testEnv, type TestEnv } from '../support/app.js';

const sessionRows = async (env: TestEnv) => Number((await env.db('sessions').count({ n: '*' }).first())?.n ?? 0);

describe('sessions only when needed', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('2,000 anonymous requests write no session row; a login writes one', async function () {
    this.timeout(120000);
    await addUser(env.db, 'viewer@example.org', 'viewer');
    const paths = ['/login', '/', '/people', '/about', '/nowhere', '/login?next=%2Fpeople', '/setup', '/users/1'];
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => request(env.app).get(paths[(i + j) % paths.length]!)));
    }
    expect(await sessionRows(env)).to.equal(0);
    const agent = request.agent(env.app);
    const token = csrfFrom((await agent.get('/login')).text);
    // a failed login and a language switch by an anonymous visitor need no session row either
    await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: 'wrong password', _csrf: token });
    expect(await sessionRows(env)).to.equal(0);
    const ok = await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: PASSWORD, _csrf: token });
    expect(ok.status).to.equal(302);
    expect(await sessionRows(env)).to.equal(1);
  });
});
