// Single sign-on through a real OpenID Connect provider (oidc-provider, in this process on 127.0.0.1): the whole
// redirect flow, and each way it must fail: tampered state, a replayed code, a wrong nonce, an unverified e-mail, a
// callback nobody started, a provider that is down.
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { testConfig, type OidcConfig } from '../../src/config.js';
import { jsonTextAt } from '../../src/db.js';
import { addUser, csrfFrom, PASSWORD, testDb, type Agent, type TestEnv } from '../support/app.js';
import { passProvider, startProvider, type TestProvider } from '../support/oidc.js';

const PUBLIC_URL = 'http://skillnet.test';

async function ssoEnv(provider: TestProvider, extra: Partial<OidcConfig> = {}): Promise<TestEnv> {
  const db = await testDb();
  const app = createApp({ db, config: testConfig({ oidc: provider.config(extra), publicUrl: PUBLIC_URL }), loginAttempts: 1000, oidc: { retryAfterMs: 0 } });
  return { db, app, async close() { await app.shutdown(); await db.destroy(); } };
}

/** Starts single sign-on on Skillnet and passes the provider; returns the callback path to open on Skillnet. */
async function throughProvider(agent: Agent, subject: string, next = ''): Promise<string> {
  const start = await agent.get(`/login/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  expect(start.status, start.text.slice(0, 200)).to.equal(302);
  const back = await passProvider(start.headers.location!, subject);
  expect(back.origin).to.equal(PUBLIC_URL);
  expect(back.pathname).to.equal('/login/oidc/callback');
  return back.pathname + back.search;
}

const signedIn = async (agent: Agent) => (await agent.get('/people')).status === 200;

describe('single sign-on with a real OpenID Connect provider', function () {
  this.timeout(30000);
  let provider: TestProvider;
  let env: TestEnv;
  before(async () => { provider = await startProvider(PUBLIC_URL); });
  after(async () => { await provider.close(); });
  beforeEach(async () => {
    env = await ssoEnv(provider);
    provider.accounts['sub-ada'] = { email: 'Ada@Example.org', email_verified: true, name: 'Ada' };
  });
  afterEach(async () => { await env.close(); });

  it('the login page links to /login/oidc; the flow uses PKCE, state and nonce and lands signed in, linked by subject', async () => {
    const adaId = await addUser(env.db, 'ada@example.org', 'manager');
    const agent = request.agent(env.app);
    const login = await agent.get('/login');
    expect(login.text).to.contain('href="/login/oidc"').and.contain(`Sign in with ${new URL(provider.issuer).host}`);
    const start = await agent.get('/login/oidc?next=%2Fprojects');
    const authorize = new URL(start.headers.location!);
    expect(authorize.origin).to.equal(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('state')).to.have.length.greaterThan(20);
    expect(authorize.searchParams.get('nonce')).to.have.length.greaterThan(20);
    expect(authorize.searchParams.get('redirect_uri')).to.equal(`${PUBLIC_URL}/login/oidc/callback`);
    const back = await passProvider(start.headers.location!, 'sub-ada');
    const done = await agent.get(back.pathname + back.search);
    expect(done.status).to.equal(302);
    expect(done.headers.location).to.equal('/projects');
    expect(await signedIn(agent)).to.equal(true);
    const identity = await env.db('user_identities').first();
    expect(identity).to.include({ user_id: adaId, issuer: provider.issuer, subject: 'sub-ada', email: 'ada@example.org' });
    expect(await env.db('audit_log').where({ action: 'link_identity', entity_id: adaId }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });

    // the next sign-in finds the user by subject, even after the provider's address changed
    provider.accounts['sub-ada'] = { email: 'ada.lovelace@example.org', email_verified: false };
    const again = request.agent(env.app);
    await again.get(await throughProvider(again, 'sub-ada'));
    expect(await signedIn(again)).to.equal(true);
  });

  it('refuses a tampered state, and nobody is signed in', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const agent = request.agent(env.app);
    const callback = new URL(await throughProvider(agent, 'sub-ada'), PUBLIC_URL);
    callback.searchParams.set('state', 'forged-state-forged-state-forged');
    const res = await agent.get(callback.pathname + callback.search);
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('could not be verified');
    expect(await signedIn(agent)).to.equal(false);
  });

  it('refuses a replayed code: once used, it signs nobody in, not even with a fresh state and session', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const first = request.agent(env.app);
    const used = await throughProvider(first, 'sub-ada');
    expect((await first.get(used)).status).to.equal(302);
    // the same callback again in the same browser: the started sign-in is used up
    const replay = await first.get(used);
    expect(replay.status).to.equal(400);
    // an attacker with the code starts their own sign-in and puts the stolen code into their callback
    const attacker = request.agent(env.app);
    const own = new URL(await throughProvider(attacker, 'sub-ada'), PUBLIC_URL);
    const stolen = new URL(used, PUBLIC_URL);
    own.searchParams.set('code', stolen.searchParams.get('code')!);
    const res = await attacker.get(own.pathname + own.search);
    expect(res.status).to.equal(401);
    expect(await signedIn(attacker)).to.equal(false);
  });

  it('refuses an ID token whose nonce is not the one this session sent', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const agent = request.agent(env.app);
    const callback = await throughProvider(agent, 'sub-ada');
    // the session's nonce changes between the start and the callback (as if another sign-in's token came back)
    const rows = await env.db('sessions').whereRaw(`${jsonTextAt(env.db, 'sess', ['oidcLogin', 'nonce'])} is not null`).select('sid', 'sess');
    expect(rows).to.have.length(1);
    const sess = JSON.parse(rows[0].sess);
    sess.oidcLogin.nonce = 'another-nonce-another-nonce-another';
    await env.db('sessions').where({ sid: rows[0].sid }).update({ sess: JSON.stringify(sess) });
    const res = await agent.get(callback);
    expect(res.status).to.equal(401);
    expect(await signedIn(agent)).to.equal(false);
  });

  it('refuses to link by an unverified e-mail address', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    provider.accounts['sub-ada'] = { email: 'ada@example.org', email_verified: false };
    const agent = request.agent(env.app);
    const res = await agent.get(await throughProvider(agent, 'sub-ada'));
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('is not verified');
    expect(await env.db('user_identities').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await signedIn(agent)).to.equal(false);
  });

  it('refuses a callback that no sign-in started', async () => {
    await addUser(env.db, 'admin@example.org', 'admin');
    const res = await request(env.app).get('/login/oidc/callback?code=abc&state=def');
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('was not started here');
  });

  it('creates no account without the setting; with it, the first sign-in creates one with the default role', async () => {
    await addUser(env.db, 'admin@example.org', 'admin');
    provider.accounts['sub-new'] = { email: 'new@example.org', email_verified: true, name: 'Nina New' };
    const agent = request.agent(env.app);
    const refused = await agent.get(await throughProvider(agent, 'sub-new'));
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('no Skillnet account');
    await env.db('settings').insert({ key: 'oidc_auto_create_role', value: 'viewer' });
    const again = request.agent(env.app);
    await again.get(await throughProvider(again, 'sub-new'));
    expect(await signedIn(again)).to.equal(true);
    expect(await env.db('users').where({ email: 'new@example.org' }).first('role', 'name')).to.deep.equal({ role: 'viewer', name: 'Nina New' });
  });

  it('refuses a deactivated user, linked or not', async () => {
    const id = await addUser(env.db, 'ada@example.org', 'viewer');
    const agent = request.agent(env.app);
    await agent.get(await throughProvider(agent, 'sub-ada'));
    await env.db('users').where({ id }).update({ active: false });
    expect(await signedIn(agent), 'the running session ends').to.equal(false);
    const res = await agent.get(await throughProvider(agent, 'sub-ada'));
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('deactivated');
  });

  it('keeps the return-to address on this site', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example']) {
      const agent = request.agent(env.app);
      const res = await agent.get(await throughProvider(agent, 'sub-ada', next));
      expect(res.headers.location, next).to.equal('/');
    }
  });

  it('logging out ends the Skillnet session and offers the provider’s logout', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const agent = request.agent(env.app);
    await agent.get(await throughProvider(agent, 'sub-ada'));
    const csrf = csrfFrom((await agent.get('/people')).text);
    const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(out.status).to.equal(200);
    const link = /href="([^"]*\/session\/end[^"]*)"/.exec(out.text)?.[1]?.replace(/&amp;/g, '&');
    expect(link, out.text).to.be.a('string');
    const end = new URL(link!);
    expect(end.origin).to.equal(provider.issuer);
    expect(end.searchParams.get('post_logout_redirect_uri')).to.equal(`${PUBLIC_URL}/login`);
    expect(end.searchParams.get('id_token_hint')).to.be.a('string');
    expect(await signedIn(agent)).to.equal(false);
  });
});

describe('single sign-on rules from the configuration', function () {
  this.timeout(30000);
  let provider: TestProvider;
  before(async () => { provider = await startProvider(PUBLIC_URL); });
  after(async () => { await provider.close(); });

  it('OIDC_ALLOWED_DOMAINS: other domains are refused', async () => {
    const env = await ssoEnv(provider, { allowedDomains: ['example.org'] });
    try {
      await addUser(env.db, 'eve@elsewhere.example', 'viewer');
      provider.accounts['sub-eve'] = { email: 'eve@elsewhere.example', email_verified: true };
      const agent = request.agent(env.app);
      const res = await agent.get(await throughProvider(agent, 'sub-eve'));
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('domain');
    } finally { await env.close(); }
  });

  it('OIDC_ROLE_CLAIM sets the role from the provider’s groups at each sign-in; no mapped group, no sign-in', async () => {
    const env = await ssoEnv(provider, { roleClaim: { claim: 'groups', map: { 'sn-admins': 'admin', 'sn-team': 'manager' } } });
    try {
      const id = await addUser(env.db, 'gus@example.org', 'viewer');
      provider.accounts['sub-gus'] = { email: 'gus@example.org', email_verified: true, groups: ['staff-all', 'sn-team'] };
      const agent = request.agent(env.app);
      await agent.get(await throughProvider(agent, 'sub-gus'));
      expect((await env.db('users').where({ id }).first('role')).role).to.equal('manager');
      provider.accounts['sub-gus'] = { email: 'gus@example.org', email_verified: true, groups: ['staff-all'] };
      const other = request.agent(env.app);
      const res = await other.get(await throughProvider(other, 'sub-gus'));
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('no role for Skillnet');
    } finally { await env.close(); }
  });

  it('a provider that is down: a clear message, start-up and password sign-in unaffected; it works once the provider is back', async () => {
    const down = await startProvider(PUBLIC_URL);
    const { port } = new URL(down.issuer);
    await down.close();
    const env = await ssoEnv(down);
    try {
      await addUser(env.db, 'ada@example.org', 'viewer');
      const agent = request.agent(env.app);
      const res = await agent.get('/login/oidc');
      expect(res.status).to.equal(503);
      expect(res.text).to.contain('not reachable at the moment').and.contain('name="password"');
      const csrf = csrfFrom(res.text);
      const pw = await agent.post('/login').type('form').send({ email: 'ada@example.org', password: PASSWORD, _csrf: csrf });
      expect(pw.status).to.equal(302);
      expect(await signedIn(agent)).to.equal(true);
      // the provider comes back on the same address: the next attempt discovers it
      const back = await startProvider(PUBLIC_URL, { port: Number(port) });
      try {
        back.accounts['sub-ada'] = { email: 'ada@example.org', email_verified: true };
        const later = request.agent(env.app);
        await later.get(await throughProvider(later, 'sub-ada'));
        expect(await signedIn(later)).to.equal(true);
        // down again between the provider's page and the callback: the code cannot be exchanged; said so
        const midway = request.agent(env.app);
        const callback = await throughProvider(midway, 'sub-ada');
        await back.close();
        const res = await midway.get(callback);
        expect(res.status).to.equal(503);
        expect(res.text).to.contain('not reachable at the moment');
      } finally { await back.close().catch(() => undefined); }
    } finally { await env.close(); }
  });
});
