// The API's exemption (no session, no CSRF, no login: src/app.ts) is narrow: only /api/v1/… is exempt, cookies are
// ignored there, and everything beside it still asks for a login and a CSRF token.
import { expect } from 'chai';
import request from 'supertest';
import { login, type TestEnv } from '../support/app.js';
import { apiEnv, call, tokenFor } from './support.js';

describe('API: the exemption from sessions, CSRF and login is narrow', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { env = await apiEnv(); });
  afterEach(() => env.close());

  it('a logged-in session cookie opens nothing under /api/v1, and no session is written there', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const res = await admin.agent.get('/api/v1/people');
    expect(res.status).to.equal(401);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    const sessions = Number((await env.db('sessions').count({ n: '*' }).first())?.n);
    const token = await tokenFor(env, 'admin@example.org', 'admin');
    const withToken = await call(env, 'GET', '/api/v1/people', { token });
    expect(withToken.status).to.equal(200);
    expect(withToken.headers['set-cookie']).to.equal(undefined);
    expect(Number((await env.db('sessions').count({ n: '*' }).first())?.n)).to.equal(sessions);
  });

  it('writes with a token need no CSRF token; without a token they are refused even with a session', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const token = await tokenFor(env, 'admin@example.org', 'admin');
    expect((await call(env, 'POST', '/api/v1/people', { token, body: { last_name: 'NoCsrf' } })).status).to.equal(201);
    const withSession = await admin.agent.post('/api/v1/people').send({ last_name: 'SessionOnly' });
    expect(withSession.status).to.equal(401);
    expect(await env.db('people').where({ last_name: 'SessionOnly' }).first()).to.equal(undefined);
  });

  it('next to /api/v1 the normal rules hold: login pages, CSRF on writes', async () => {
    await login(env, 'viewer@example.org', 'viewer');
    for (const path of ['/api/docs', '/api/v1x/people', '/api', '/api/v2/people', '/account/tokens']) {
      const res = await request(env.app).get(path);
      expect(res.status, path).to.equal(302);
      expect(res.headers.location, path).to.match(/^\/login/);
    }
    const admin = await login(env, 'admin@example.org', 'admin');
    for (const path of ['/api/v1x/people', '/account/tokens', '/users/tokens']) {
      const res = await admin.agent.post(path).type('form').send({ name: 'x' });
      expect(res.status, path).to.equal(403);
    }
    // the description is public and holds no data
    const docs = await request(env.app).get('/api/v1/openapi.json');
    expect(docs.status).to.equal(200);
    expect(docs.body.openapi).to.equal('3.1.0');
  });
});
