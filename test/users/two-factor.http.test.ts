// Two-factor sign-in over HTTP with a fixed clock: enrolment with a QR code made on the server, the second step after
// the password (the current, previous and next 30-second code accepted; others and replays refused), recovery codes
// that work once, throttling like the password, the admins' policy and reset.
import { setSetting } from '../../src/settings/settings.queries.js';
import { expect } from 'chai';
import request from 'supertest';
import { generate } from 'otplib';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { addUser, csrfFrom, PASSWORD, testDb, type Agent, type TestEnv } from '../support/app.js';

const T0 = Date.UTC(2026, 11, 4, 21, 0, 5); // 5 s into a 30-second step
let clock = T0;
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

async function env2fa(loginAttempts = 1000): Promise<TestEnv> {
  const db = await testDb();
  const app = createApp({ db, config: testConfig(), loginAttempts, clock: () => clock });
  return { db, app, async close() { await app.shutdown(); await db.destroy(); } };
}

/** Password step; returns the agent and the response (a redirect to /login/2fa when the account has a second factor). */
async function passwordStep(env: TestEnv, email: string, agent: Agent = request.agent(env.app)) {
  const csrf = csrfFrom((await agent.get('/login')).text);
  const res = await agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: csrf });
  return { agent, res };
}

async function secondStep(agent: Agent, code: string) {
  const page = await agent.get('/login/2fa');
  if (page.status !== 200) return page;
  return agent.post('/login/2fa').type('form').send({ code, _csrf: csrfFrom(page.text) });
}

const signedIn = async (agent: Agent) => (await agent.get('/people')).status === 200;

/** Logs in with the password alone and switches two-factor on; returns the secret and the recovery codes shown. */
async function enrol(env: TestEnv, email: string): Promise<{ secret: string; codes: string[] }> {
  const { agent } = await passwordStep(env, email);
  const page = await agent.get('/account/2fa');
  expect(page.status).to.equal(200);
  expect(page.text).to.match(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
  const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page.text)![1]!.replace(/ /g, '');
  const wrong = await agent.post('/account/2fa').type('form').send({ code: '000000', _csrf: csrfFrom(page.text) });
  expect(wrong.status).to.equal(422);
  const ok = await agent.post('/account/2fa').type('form').send({ code: await codeAt(secret, clock), _csrf: csrfFrom(page.text) });
  expect(ok.status).to.equal(200);
  const codes = [...ok.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret, codes };
}

describe('two-factor sign-in (TOTP)', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { clock = T0; env = await env2fa(); });
  afterEach(async () => { await env.close(); });

  it('enrolment keeps the secret and only hashes of the ten recovery codes, shown once', async () => {
    const id = await addUser(env.db, 'ada@example.org', 'manager');
    const { codes } = await enrol(env, 'ada@example.org');
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    const stored = await env.db('user_recovery_codes').where({ user_id: id }).pluck('code_hash');
    expect(stored).to.have.length(10);
    for (const c of codes) expect(stored.join(' ')).not.to.contain(c.replace('-', ''));
    expect((await env.db('users').where({ id }).first()).totp_enabled_at).to.be.a('string');
  });

  it('after the password comes the second step; the current, previous and next codes work, others and replays do not', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const { secret } = await enrol(env, 'ada@example.org');
    clock = T0 + 10 * 60_000;
    const tries: [string, number, number][] = [
      ['two steps back', -60_000, 401], ['two steps ahead', 60_000, 401],
      ['previous step', -30_000, 302], ['the same code again', -30_000, 401],
      ['current step', 0, 302], ['next step', 30_000, 302], ['current again (older than the last used)', 0, 401],
    ];
    for (const [label, offset, status] of tries) {
      const { agent, res } = await passwordStep(env, 'ada@example.org');
      expect(res.headers.location, label).to.equal('/login/2fa');
      expect(await signedIn(agent), `${label}: not signed in before the second step`).to.equal(false);
      const second = await secondStep(agent, await codeAt(secret, clock + offset));
      expect(second.status, label).to.equal(status);
      expect(await signedIn(agent), label).to.equal(status === 302);
    }
  });

  it('a recovery code works once', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const { codes } = await enrol(env, 'ada@example.org');
    const first = await passwordStep(env, 'ada@example.org');
    expect((await secondStep(first.agent, codes[3]!.toUpperCase())).status).to.equal(302);
    expect(await signedIn(first.agent)).to.equal(true);
    const again = await passwordStep(env, 'ada@example.org');
    expect((await secondStep(again.agent, codes[3]!)).status).to.equal(401);
    expect((await secondStep(again.agent, codes[4]!)).status).to.equal(302);
  });

  it('the second step without a right password first leads back to the login', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const agent = request.agent(env.app);
    expect((await agent.get('/login/2fa')).headers.location).to.equal('/login');
    const csrf = csrfFrom((await agent.get('/login')).text);
    const res = await agent.post('/login/2fa').type('form').send({ code: '123456', _csrf: csrf });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/login');
  });

  it('an admin can require it for managers and admins: they are sent to enrol, viewers are not', async () => {
    await addUser(env.db, 'boss@example.org', 'manager');
    await addUser(env.db, 'vera@example.org', 'viewer');
    await setSetting(env.db, 'two_factor_required', 'privileged'); // through the app's own writer (the policy is cached)
    const boss = await passwordStep(env, 'boss@example.org');
    expect((await boss.agent.get('/people')).headers.location).to.equal('/account/2fa');
    expect((await boss.agent.get('/account/2fa')).status).to.equal(200);
    const vera = await passwordStep(env, 'vera@example.org');
    expect(await signedIn(vera.agent)).to.equal(true);
  });

  it('an admin resets a user’s second factor (audited); the user signs in with the password alone', async () => {
    const id = await addUser(env.db, 'ada@example.org', 'viewer');
    await enrol(env, 'ada@example.org');
    await addUser(env.db, 'admin@example.org', 'admin');
    const admin = await passwordStep(env, 'admin@example.org');
    const list = await admin.agent.get('/users');
    expect(list.text).to.contain(`/users/${id}/two-factor/reset`);
    const confirm = await admin.agent.get(`/users/${id}/two-factor/reset`);
    expect(confirm.status).to.equal(200);
    const res = await admin.agent.post(`/users/${id}/two-factor/reset`).type('form').send({ _csrf: csrfFrom(confirm.text) });
    expect(res.status).to.equal(302);
    expect(await env.db('audit_log').where({ action: 'two_factor_reset', entity_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    expect(await env.db('user_recovery_codes').where({ user_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    const ada = await passwordStep(env, 'ada@example.org');
    expect(ada.res.headers.location).to.equal('/');
    expect(await signedIn(ada.agent)).to.equal(true);
  });
});

describe('changing the second factor from the account page', function () {
  this.timeout(30000);
  it('new recovery codes replace the old ones; switching off asks for the password, which is throttled', async () => {
    clock = T0;
    const env = await env2fa(3);
    try {
      const id = await addUser(env.db, 'ada@example.org', 'viewer');
      const { codes: old } = await enrol(env, 'ada@example.org');
      clock = T0 + 60_000;
      const { agent } = await passwordStep(env, 'ada@example.org');
      expect((await secondStep(agent, old[0]!)).status).to.equal(302);
      const page = await agent.get('/account');
      expect(page.text).to.contain('9 of 10 recovery codes left');
      const renewed = await agent.post('/account/2fa/recovery-codes').type('form').send({ password: PASSWORD, _csrf: csrfFrom(page.text) });
      expect(renewed.status).to.equal(200);
      const fresh = [...renewed.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
      expect(fresh).to.have.length(10);
      const other = await passwordStep(env, 'ada@example.org');
      expect((await secondStep(other.agent, old[1]!)).status, 'an old code').to.equal(401);
      expect((await secondStep(other.agent, fresh[0]!)).status, 'a new code').to.equal(302);
      // two wrong passwords (the one wrong code above counted too): then even the right one is refused
      for (const password of ['wrong one', 'wrong two']) {
        await agent.post('/account/2fa/disable').type('form').send({ password, _csrf: csrfFrom(page.text) });
      }
      await agent.post('/account/2fa/disable').type('form').send({ password: PASSWORD, _csrf: csrfFrom(page.text) });
      expect((await env.db('users').where({ id }).first()).totp_enabled_at, 'still on').to.be.a('string');
      await env.db('login_throttle').del();
      const off = await agent.post('/account/2fa/disable').type('form').send({ password: PASSWORD, _csrf: csrfFrom(page.text) });
      expect(off.headers.location).to.equal('/account');
      expect((await env.db('users').where({ id }).first()).totp_enabled_at).to.equal(null);
      expect(await env.db('audit_log').where({ entity_id: id }).whereIn('action', ['two_factor_on', 'recovery_codes', 'two_factor_off']).orderBy('id').pluck('action'))
        .to.deep.equal(['two_factor_on', 'recovery_codes', 'two_factor_off']);
    } finally { await env.close(); }
  });
});

describe('two-factor sign-in is throttled like the password', function () {
  this.timeout(30000);
  it('after the allowed failures even the right code gets 429; admins see the failures on /users', async () => {
    clock = T0;
    const env = await env2fa(3);
    try {
      await addUser(env.db, 'admin@example.org', 'admin');
      await addUser(env.db, 'ada@example.org', 'viewer');
      const { secret } = await enrol(env, 'ada@example.org');
      const admin = await passwordStep(env, 'admin@example.org'); // before the failures: all come from one address
      clock = T0 + 60_000;
      const { agent } = await passwordStep(env, 'ada@example.org');
      for (const code of ['111111', '222222', '333333']) expect((await secondStep(agent, code)).status).to.equal(401);
      const blocked = await secondStep(agent, await codeAt(secret, clock));
      expect(blocked.status).to.equal(429);
      expect(await signedIn(agent)).to.equal(false);
      // the right password again does not buy new guesses: the account's count stands
      const fresh = await passwordStep(env, 'ada@example.org', request.agent(env.app));
      expect(fresh.res.status).to.equal(429);
      const list = await admin.agent.get('/users');
      expect(list.text).to.match(/3 since the last sign-in/);
    } finally { await env.close(); }
  });
});
