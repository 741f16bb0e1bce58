// Sessions are created only when needed: anonymous visitors (the login and set-up forms included) write no rows.
import { expect } from 'chai';
import request from 'supertest';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { addUser, csrfFrom, PASSWORD, testEnv, type TestEnv } from '../support/app.js';
import { cookieSignature } from '../../src/http/session-store.js';

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

  it('the session cookie\'s signature is remembered per id, and a changed or forged one is still refused', async () => {
    // the patched module is the one express-session itself requires
    const theirs = createRequire(createRequire(import.meta.url).resolve('express-session'))('cookie-signature');
    expect(theirs).to.equal(cookieSignature);
    expect(cookieSignature.__remembered).to.equal(true);
    const hmac = (v: string, k: string) => `${v}.${createHmac('sha256', k).update(v).digest('base64').replace(/=+$/, '')}`;
    for (let i = 0; i < 2; i++) {
      expect(cookieSignature.sign('abc', 'secret one')).to.equal(hmac('abc', 'secret one'));
      expect(cookieSignature.sign('abc', 'secret two')).to.equal(hmac('abc', 'secret two'));
      expect(cookieSignature.unsign(hmac('abc', 'secret one'), 'secret one')).to.equal('abc');
      expect(cookieSignature.unsign(hmac('abc', 'secret one'), 'secret two')).to.equal(false);
      expect(cookieSignature.unsign(`${hmac('abc', 'secret one').slice(0, -1)}A`, 'secret one')).to.equal(false);
    }
    // the cookie a sign-in sets (a page view sends it again only when its expiry moves on: test/http/session-layer)
    await addUser(env.db, 'viewer@example.org', 'viewer');
    const agent = request.agent(env.app);
    const token = csrfFrom((await agent.get('/login')).text);
    const signedIn = await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: PASSWORD, _csrf: token });
    expect(signedIn.status).to.equal(302);
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('skillnet.sid=')) ?? '';
    const value = decodeURIComponent(/skillnet\.sid=([^;]+)/.exec(cookie)?.[1] ?? '');
    expect(value).to.match(/^s:/);
    const forged = `s:${value.slice(2, value.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    const res = await request(env.app).get('/people').set('Cookie', `skillnet.sid=${encodeURIComponent(forged)}`);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.match(/^\/login/);
    const good = await request(env.app).get('/people').set('Cookie', `skillnet.sid=${encodeURIComponent(value)}`);
    expect(good.status).to.equal(200);
  });
});
