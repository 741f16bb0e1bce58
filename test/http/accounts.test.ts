import { expect } from 'chai';
import request from 'supertest';
import { addUser, csrfFrom, login, PASSWORD, testEnv, type TestEnv } from '../support/app.js';

describe('accounts over HTTP', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  describe('first run', () => {
    it('leads every page to /setup on an empty install', async () => {
      for (const p of ['/', '/people', '/login', '/nowhere']) {
        const res = await request(env.app).get(p);
        expect(res.status, p).to.equal(302);
        expect(res.headers.location, p).to.equal('/setup');
      }
    });

    it('creates the first admin, then /setup is gone', async () => {
      const agent = request.agent(env.app);
      const page = await agent.get('/setup');
      expect(page.status).to.equal(200);
      const res = await agent.post('/setup').type('form').send({
        _csrf: csrfFrom(page.text), name: 'Ada', email: 'Ada@Example.org', password: 'long enough pw', password_confirm: 'long enough pw',
      });
      expect(res.status).to.equal(302);
      // signed in at once, on a fresh session (no fixation), landing on the start page with the first steps
      expect(res.headers.location).to.equal('/');
      expect(res.headers['set-cookie']?.[0]).to.match(/^skillnet\.sid=/);
      const start = await agent.get('/');
      expect(start.status).to.equal(200);
      expect(start.text).to.contain('you are signed in').and.contain('href="/imports"').and.contain('href="/people/new"').and.contain('href="/users/new"');
      const user = await env.db('users').first();
      expect(user.email).to.equal('ada@example.org');
      expect(user.role).to.equal('admin');
      expect(user.password_hash).to.match(/^\$argon2id\$/);
      expect((await agent.get('/setup')).status).to.equal(404);
    });

    it('re-renders setup with 422 and messages on bad input, keeping typed values', async () => {
      const agent = request.agent(env.app);
      const page = await agent.get('/setup');
      const res = await agent.post('/setup').type('form').send({ _csrf: csrfFrom(page.text), name: 'Ada', email: 'not-an-email', password: 'short', password_confirm: 'other' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('value="Ada"');
      expect(res.text).to.contain('valid e-mail');
      expect(res.text).to.contain('at least 10 characters');
      expect(await env.db('users').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    });
  });

  describe('login and logout', () => {
    beforeEach(async () => { await addUser(env.db, 'staff@example.org', 'viewer'); });

    it('requires login for app pages and returns to them after login', async () => {
      const agent = request.agent(env.app);
      const res = await agent.get('/people?q=x');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/login?next=%2Fpeople%3Fq%3Dx');
      const page = await agent.get(res.headers.location!);
      const ok = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, next: '/people?q=x', _csrf: csrfFrom(page.text) });
      expect(ok.headers.location).to.equal('/people?q=x');
    });

    it('never redirects off-site after login', async () => {
      const agent = request.agent(env.app);
      const page = await agent.get('/login');
      const ok = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, next: '//evil.example', _csrf: csrfFrom(page.text) });
      expect(ok.headers.location).to.equal('/');
    });

    it('rejects a wrong password with 401 and the form again', async () => {
      const agent = request.agent(env.app);
      const page = await agent.get('/login');
      const res = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: 'wrong password', _csrf: csrfFrom(page.text) });
      expect(res.status).to.equal(401);
      expect(res.text).to.contain('not right');
    });

    it('refuses a login form without or with a forged CSRF token (403)', async () => {
      const agent = request.agent(env.app);
      await agent.get('/login');
      const none = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD });
      expect(none.status).to.equal(403);
      const forged = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, _csrf: 'forged' });
      expect(forged.status).to.equal(403);
      expect(forged.text).to.contain('expired');
    });

    it('a deactivated account cannot log in', async () => {
      await env.db('users').where({ email: 'staff@example.org' }).update({ active: false });
      const agent = request.agent(env.app);
      const page = await agent.get('/login');
      const res = await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, _csrf: csrfFrom(page.text) });
      expect(res.status).to.equal(401);
    });

    it('logout needs POST with CSRF and ends the session', async () => {
      const s = await login(env, 'staff@example.org');
      expect((await s.agent.get('/people')).status).to.equal(200);
      expect((await s.agent.post('/logout')).status).to.equal(403);
      const out = await s.post('/logout', {});
      expect(out.headers.location).to.equal('/login');
      expect((await s.agent.get('/people')).status).to.equal(302);
    });

    it('sessions live in the database', async () => {
      await login(env, 'staff@example.org');
      const rows = await env.db('sessions').select('sess');
      expect(rows.some((r) => JSON.parse(r.sess).passport?.user)).to.equal(true);
    });

    it('rate-limits failed logins (429)', async () => {
      const limited = await testEnv({ loginAttempts: 3 });
      try {
        await addUser(limited.db, 'x@example.org', 'viewer');
        const agent = request.agent(limited.app);
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const page = await agent.get('/login');
          statuses.push((await agent.post('/login').type('form').send({ email: 'x@example.org', password: 'nope nope nope', _csrf: csrfFrom(page.text) })).status);
        }
        expect(statuses).to.deep.equal([401, 401, 401, 429, 429]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('/users (admins)', () => {
    it('an admin invites a user: no password on screen, an invitation mail instead (see test/accounts)', async () => {
      const admin = await login(env, 'admin@example.org', 'admin');
      const res = await admin.post('/users', { email: 'new@example.org', name: 'New', role: 'manager' });
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain('<code>');
      expect(await env.db('mail_outbox').pluck('kind')).to.deep.equal(['invite']);
      const audit = await env.db('audit_log').where({ entity_type: 'user' }).pluck('action');
      expect(audit).to.include.members(['create']);
    });

    it('refuses a duplicate e-mail with 422', async () => {
      const admin = await login(env, 'admin@example.org', 'admin');
      const res = await admin.post('/users', { email: 'ADMIN@example.org', role: 'viewer' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('already an account');
    });

    it('staff need an organisation', async () => {
      const admin = await login(env, 'admin@example.org', 'admin');
      const res = await admin.post('/users', { email: 's@example.org', role: 'staff' });
      expect(res.status).to.equal(422);
    });

    it('changes a role and deactivates, but never the last admin', async () => {
      const admin = await login(env, 'admin@example.org', 'admin');
      const adminId = (await env.db('users').where({ email: 'admin@example.org' }).first()).id;
      const last = await admin.post(`/users/${adminId}`, { role: 'viewer', active: '1' });
      expect(last.status).to.equal(422);
      expect(last.text).to.contain('last active admin');
      const vid = await addUser(env.db, 'v@example.org', 'viewer');
      const ok = await admin.post(`/users/${vid}`, { role: 'manager', name: 'V' });
      expect(ok.status).to.equal(302);
      const row = await env.db('users').where({ id: vid }).first();
      expect(row.role).to.equal('manager');
      expect(row.active).to.equal(0);
    });

    for (const role of ['manager', 'staff', 'viewer'] as const) {
      it(`${role} gets 403 on the users screens and their POSTs`, async () => {
        const u = await login(env, `${role}@example.org`, role, role === 'staff' ? null : null);
        expect((await u.agent.get('/users')).status).to.equal(403);
        expect((await u.agent.get('/users/new')).status).to.equal(403);
        expect((await u.post('/users', { email: 'x@example.org', role: 'admin' })).status).to.equal(403);
        expect(await env.db('users').where({ email: 'x@example.org' }).first()).to.equal(undefined);
      });
    }
  });

  describe('errors', () => {
    it('an unknown route is a 404 page without a stack trace', async () => {
      const u = await login(env, 'v@example.org', 'viewer');
      const res = await u.agent.get('/no/such/page');
      expect(res.status).to.equal(404);
      expect(res.text).to.contain('Not found');
      expect(res.text).to.not.match(/at .*\.ts:\d+/);
    });

    it('a malformed id is a 404, not a 500', async () => {
      const u = await login(env, 'v@example.org', 'viewer');
      expect((await u.agent.get('/people/abc')).status).to.equal(404);
      expect((await u.agent.get('/people/99999')).status).to.equal(404);
    });

    it('switches language for the session and the account', async () => {
      const u = await login(env, 'v@example.org', 'viewer');
      const res = await u.post('/language', { locale: 'de', next: '/people' });
      expect(res.headers.location).to.equal('/people');
      const page = await u.agent.get('/people');
      expect(page.text).to.contain('<html lang="de">');
      expect(page.text).to.contain('Personen');
      expect((await env.db('users').where({ email: 'v@example.org' }).first()).locale).to.equal('de');
    });

    it('uses Accept-Language when nobody chose', async () => {
      const page = await request(env.app).get('/login').set('Accept-Language', 'de-DE,de;q=0.9');
      // no users yet → setup redirect; create one first
      expect(page.status).to.equal(302);
      await addUser(env.db, 'z@example.org', 'viewer');
      const fresh = await testEnvLogin(env);
      expect(fresh).to.contain('Anmelden');
    });
  });
});

async function testEnvLogin(env: TestEnv): Promise<string> {
  return (await request(env.app).get('/login').set('Accept-Language', 'de-DE,de;q=0.9')).text;
}
