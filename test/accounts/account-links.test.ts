import { expect } from 'chai';
import request from 'supertest';
import { addUser, csrfFrom, login, PASSWORD, testEnv, type TestEnv } from '../support/app.js';

const NEW_PASSWORD = 'Quiet harbour lantern 47';

describe('accounts by mail: invitations and forgotten passwords', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
  });
  afterEach(() => env.close());

  const linkIn = (text: string) => /http:\/\/skillnet\.test(\/password\/set\/[A-Za-z0-9_-]{43})/.exec(text)![1]!;

  async function choose(link: string, password: string, confirm = password) {
    const agent = request.agent(env.app);
    const page = await agent.get(link);
    if (page.status !== 200) return page;
    return agent.post(link).type('form').send({ _csrf: csrfFrom(page.text), password, password_confirm: confirm });
  }

  async function canLogin(email: string, password: string): Promise<boolean> {
    const agent = request.agent(env.app);
    const page = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ email, password, _csrf: csrfFrom(page.text) });
    return res.status === 302 && res.headers.location !== '/login';
  }

  it('an invitation arrives by mail with a single-use link to choose a password; nothing secret on screen', async () => {
    const admin = await login(env, 'admin@example.org');
    const res = await admin.post('/users', { email: 'New@Example.org', name: 'Nora New', role: 'manager' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Invitation sent').and.not.contain('<code>');
    const mail = await env.db('mail_outbox').first();
    expect(mail).to.deep.include({ kind: 'invite', to_address: 'new@example.org', subject: 'You are invited to Skillnet' });
    expect(mail.text_body).to.contain('Hello Nora New,').and.contain('admin has created a Skillnet account for you');
    const link = linkIn(mail.text_body);
    const weak = await choose(link, 'short');
    expect(weak.status).to.equal(422);
    const ok = await choose(link, NEW_PASSWORD);
    expect(ok.status).to.equal(302);
    expect(ok.headers.location).to.equal('/login');
    expect(await canLogin('new@example.org', NEW_PASSWORD)).to.equal(true);
    expect((await choose(link, 'Another fine passphrase 12')).status, 'single use').to.equal(404);
    const audit = await env.db('audit_log').where({ entity_type: 'user', action: 'password' }).first();
    expect(JSON.parse(audit.changes)).to.deep.equal({ via: 'invitation link' });
  });

  it('"forgotten password": the same answer whether the address exists; a reset link that expires and works once', async () => {
    await addUser(env.db, 'staff@example.org', 'viewer');
    const ask = async (email: string) => {
      const agent = request.agent(env.app);
      const page = await agent.get('/password/forgot');
      const res = await agent.post('/password/forgot').type('form').send({ _csrf: csrfFrom(page.text), email });
      return { status: res.status, text: res.text.replace(/name="_csrf" value="[^"]*"/g, '') };
    };
    const known = await ask('Staff@Example.org');
    const unknown = await ask('nobody@example.org');
    expect(known).to.deep.equal(unknown);
    expect(known.text).to.contain('If there is an account with this address');
    const mails = await env.db('mail_outbox').select('to_address', 'kind', 'text_body');
    expect(mails.map((m) => [m.to_address, m.kind])).to.deep.equal([['staff@example.org', 'reset']]);
    const link = linkIn(mails[0].text_body);
    expect(await canLogin('staff@example.org', PASSWORD), 'asking alone changes nothing').to.equal(true);
    await env.db('account_links').update({ expires_at: new Date(Date.now() - 1000).toISOString() });
    expect((await choose(link, NEW_PASSWORD)).status, 'expired').to.equal(404);
    await ask('staff@example.org');
    const fresh = linkIn((await env.db('mail_outbox').orderBy('id', 'desc').first()).text_body);
    expect((await choose(fresh, NEW_PASSWORD)).status).to.equal(302);
    expect(await canLogin('staff@example.org', PASSWORD)).to.equal(false);
    expect(await canLogin('staff@example.org', NEW_PASSWORD)).to.equal(true);
    expect((await choose(fresh, 'Yet another passphrase 99')).status).to.equal(404);
  });

  it('is rate-limited per account (no mail flood) and per client address (429), with the same answer meanwhile', async () => {
    await addUser(env.db, 'staff@example.org', 'viewer');
    const agent = request.agent(env.app);
    const csrf = csrfFrom((await agent.get('/password/forgot')).text);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await agent.post('/password/forgot').type('form').send({ _csrf: csrf, email: 'staff@example.org' })).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).to.equal(true);
    expect(statuses.slice(20).every((s) => s === 429)).to.equal(true);
    expect(await env.db('mail_outbox').count({ n: '*' }).first()).to.deep.equal({ n: 5 });
    expect(await env.db('account_links').whereNull('used_at').count({ n: '*' }).first(), 'only the newest link works').to.deep.equal({ n: 1 });
  });

  it('an admin’s "reset password" stops the old one and mails a link', async () => {
    const id = await addUser(env.db, 'v@example.org', 'viewer');
    const admin = await login(env, 'admin@example.org');
    const res = await admin.post(`/users/${id}/reset-password`, {});
    expect(res.text).to.contain('Reset link sent').and.not.contain('<code>');
    expect(await canLogin('v@example.org', PASSWORD)).to.equal(false);
    const link = linkIn((await env.db('mail_outbox').first()).text_body);
    expect((await choose(link, NEW_PASSWORD)).status).to.equal(302);
    expect(await canLogin('v@example.org', NEW_PASSWORD)).to.equal(true);
  });

  it('a forged or malformed link gets the plain page; nothing else under /password is public', async () => {
    for (const t of ['x', 'A'.repeat(43)]) expect((await request(env.app).get(`/password/set/${t}`)).status).to.equal(404);
    for (const p of ['/password', '/password/set', '/password/other']) {
      const r = await request(env.app).get(p);
      expect(r.status, p).to.equal(302);
      expect(r.headers.location, p).to.match(/^\/login/);
    }
  });
});
