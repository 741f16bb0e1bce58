// The login-exempt sign-in steps (named in src/app.ts) are exactly /login/2fa, /login/oidc and /login/oidc/callback:
// everything next to them still asks for a login, and the account pages are never open.
import { expect } from 'chai';
import request from 'supertest';
import { addUser, csrfFrom, testEnv, type TestEnv } from '../support/app.js';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';

describe('login exemptions of the sign-in steps are narrow', function () {
  this.timeout(20000);
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
  });
  afterEach(() => env.close());

  it('serves the second step (back to the login without a password first) and, without OIDC configured, no single sign-on', async () => {
    expect((await request(env.app).get('/login/2fa')).headers.location).to.equal('/login');
    expect((await request(env.app).get('/login/oidc')).status).to.equal(404);
    expect((await request(env.app).get('/login/oidc/callback?code=x&state=y')).status).to.equal(404);
  });

  it('with OIDC configured, the two single sign-on addresses answer without a login', async () => {
    // a provider on a closed port: /login/oidc says it is unavailable; the callback refuses an unstarted sign-in
    const app = createApp({ db: env.db, config: testConfig({ oidc: { issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecret: '', allowedDomains: [], roleClaim: null } }), oidc: { retryAfterMs: 0 } });
    try {
      expect((await request(app).get('/login/oidc')).status).to.equal(503);
      expect((await request(app).get('/login/oidc/callback')).status).to.equal(400);
    } finally { await app.shutdown(); }
  });

  it('asks for a login everywhere next to them', async () => {
    for (const p of ['/login/2fa/x', '/login/oidc/x', '/login/oidc/callback/x', '/login/other', '/account', '/account/2fa',
      '/account/sessions', '/users/1/two-factor/reset']) {
      const r = await request(env.app).get(p);
      expect(r.status, p).to.equal(302);
      expect(r.headers.location, p).to.match(/^\/login/);
    }
    const agent = request.agent(env.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    for (const p of ['/account/2fa', '/account/2fa/disable', '/account/2fa/recovery-codes', '/account/sessions/delete-others',
      '/account/sessions/abc/delete', '/users/1/two-factor/reset', '/settings/sign-in']) {
      const r = await agent.post(p).type('form').send({ _csrf: csrf, code: '123456' });
      expect(r.status, p).to.equal(302);
      expect(r.headers.location, p).to.match(/^\/login/);
    }
  });
});
