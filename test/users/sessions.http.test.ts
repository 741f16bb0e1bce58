// A user's sessions on /account: device, address and last use; ending one or all others; a password or role change
// ends the others.
import { expect } from 'chai';
import request from 'supertest';
import { jsonTextAt } from '../../src/db.js';
import { sessionHandle } from '../../src/users/security.routes.js';
import { addUser, csrfFrom, login, PASSWORD, testEnv, type Agent, type TestEnv } from '../support/app.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

async function loginWith(env: TestEnv, email: string, ua: string): Promise<Agent> {
  const agent = request.agent(env.app);
  const page = await agent.get('/login').set('User-Agent', ua);
  const res = await agent.post('/login').set('User-Agent', ua).type('form').send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
  expect(res.status).to.equal(302);
  return agent;
}

const signedIn = async (agent: Agent) => (await agent.get('/people')).status === 200;

describe('sessions on the account page', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('lists the user’s own sessions with device, address and last use, and ends another one', async () => {
    await addUser(env.db, 'ada@example.org', 'staff');
    const bobId = await addUser(env.db, 'bob@example.org', 'viewer');
    const laptop = await loginWith(env, 'ada@example.org', FIREFOX);
    const phone = await loginWith(env, 'ada@example.org', IPHONE);
    const bob = await loginWith(env, 'bob@example.org', FIREFOX);
    const page = await laptop.get('/account');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Firefox on Windows').and.contain('Safari on iPhone').and.contain('This session');
    expect(page.text).to.contain('127.0.0.1');
    const handles = [...page.text.matchAll(/action="\/account\/sessions\/([A-Za-z0-9_-]+)\/delete"/g)].map((m) => m[1]);
    expect(handles, 'only the other session of Ada can be ended here').to.have.length(1);
    for (const sid of await env.db('sessions').pluck('sid')) expect(page.text, 'no session id on the page').not.to.contain(sid);
    const res = await laptop.post(`/account/sessions/${handles[0]}/delete`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(302);
    expect(await signedIn(phone)).to.equal(false);
    expect(await signedIn(laptop)).to.equal(true);
    expect(await signedIn(bob)).to.equal(true);
    // someone else's session is not found by its handle
    const bobsSid = (await env.db('sessions').whereRaw(`${jsonTextAt(env.db, 'sess', ['passport', 'user'])} = ?`, [String(bobId)]).first('sid')).sid;
    const foreign = await laptop.post(`/account/sessions/${sessionHandle(bobsSid)}/delete`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(foreign.status).to.equal(404);
    expect(await signedIn(bob)).to.equal(true);
  });

  it('“end all other sessions” keeps only this one', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const a = await loginWith(env, 'ada@example.org', FIREFOX);
    const b = await loginWith(env, 'ada@example.org', IPHONE);
    const c = await loginWith(env, 'ada@example.org', IPHONE);
    const page = await a.get('/account');
    await a.post('/account/sessions/delete-others').type('form').send({ _csrf: csrfFrom(page.text) });
    expect([await signedIn(a), await signedIn(b), await signedIn(c)]).to.deep.equal([true, false, false]);
  });

  it('a role change by an admin ends the user’s sessions', async () => {
    const id = await addUser(env.db, 'ada@example.org', 'viewer');
    const ada = await loginWith(env, 'ada@example.org', FIREFOX);
    const admin = await login(env, 'admin@example.org', 'admin');
    const res = await admin.post(`/users/${id}`, { name: 'Ada', role: 'manager', active: '1' });
    expect(res.status).to.equal(302);
    expect(await signedIn(ada)).to.equal(false);
    // an edit that keeps the role keeps the sessions
    const again = await loginWith(env, 'ada@example.org', FIREFOX);
    await admin.post(`/users/${id}`, { name: 'Ada L.', role: 'manager', active: '1' });
    expect(await signedIn(again)).to.equal(true);
  });

  it('a password change ends the user’s other sessions', async () => {
    await addUser(env.db, 'ada@example.org', 'viewer');
    const other = await loginWith(env, 'ada@example.org', IPHONE);
    const me = await loginWith(env, 'ada@example.org', FIREFOX);
    const form = await me.get('/account/password');
    const newPassword = 'quiet orchard lantern 42';
    await me.post('/account/password').type('form').send({ current: PASSWORD, password: newPassword, password_confirm: newPassword, _csrf: csrfFrom(form.text) });
    expect(await signedIn(other)).to.equal(false);
  });
});
