// Response headers and client addresses: no-store on logged-in pages, a strict style-src, TRUST_PROXY, and login
// throttling per address and per account (in the database).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { ConfigError, parseTrustProxy, testConfig } from '../../src/config.js';
import { helmetOptions, securityHeaders } from '../../src/http/security-headers.js';
import { addUser, csrfFrom, login, testDb, testEnv, type TestEnv } from '../support/app.js';

function viewFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? viewFiles(p) : p.endsWith('.ejs') ? [p] : [];
  });
}

async function failLogin(app: TestEnv['app'], email: string, forwardedFor?: string) {
  const agent = request.agent(app);
  const token = csrfFrom((await agent.get('/login')).text);
  const req = agent.post('/login').type('form');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return (await req.send({ email, password: 'wrong wrong wrong', _csrf: token })).status;
}

describe('headers and throttling', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('logged-in pages and downloads are Cache-Control: no-store', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    for (const p of ['/', '/people', '/users', '/people.csv', '/account/password', '/nowhere']) {
      expect((await admin.agent.get(p)).headers['cache-control'], p).to.equal('no-store');
    }
  });

  it('no ETag hashed from a page\'s body (no-store pages are never revalidated); static files keep theirs', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    for (const p of ['/', '/people', '/about', '/people.csv']) expect((await admin.agent.get(p)).headers.etag, p).to.equal(undefined);
    expect((await request(env.app).get('/login')).headers.etag, '/login').to.equal(undefined);
    const css = await request(env.app).get('/app.css');
    expect(css.status).to.equal(200);
    expect(css.headers.etag).to.match(/^W\/"/);
    expect((await request(env.app).get('/app.css').set('If-None-Match', css.headers.etag!)).status).to.equal(304);
  });

  it('styles come only from our own files: style-src \'self\', and no view has a style attribute or element', async () => {
    const csp = String((await request(env.app).get('/login')).headers['content-security-policy']);
    const styleSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('style-src '));
    expect(styleSrc).to.equal("style-src 'self'");
    for (const file of viewFiles(path.resolve('views'))) {
      expect(readFileSync(file, 'utf8'), file).to.not.match(/\sstyle=|<style[\s>]/i);
    }
  });

  it('every answer carries exactly the headers helmet itself sets per request (computed once at start-up)', async () => {
    const express = (await import('express')).default;
    const helmet = (await import('helmet')).default;
    for (const env of ['production', 'development'] as const) {
      const plain = express().use(helmet(helmetOptions({ env }))).get('/x', (_req, res) => { res.send('x'); });
      const ours = express().use(securityHeaders({ env })).get('/x', (_req, res) => { res.send('x'); });
      const pick = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !/^(date|etag|content-|connection|keep-alive|x-powered-by)/.test(k) || k === 'content-security-policy'));
      const want = pick((await request(plain).get('/x')).headers);
      expect(Object.keys(want)).to.include.members(['content-security-policy', 'x-frame-options', 'referrer-policy']);
      expect(pick((await request(ours).get('/x')).headers), env).to.deep.equal(want);
    }
    const page = await request(env.app).get('/login');
    expect(page.headers['x-powered-by']).to.equal(undefined);
    expect(page.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('TRUST_PROXY: nothing by default; hop counts, addresses, networks and names; a bad value is one clear error', () => {
    expect(parseTrustProxy(undefined)).to.equal(false);
    expect(parseTrustProxy('')).to.equal(false);
    expect(parseTrustProxy('false')).to.equal(false);
    expect(parseTrustProxy('1')).to.equal(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,::1')).to.deep.equal(['loopback', '10.0.0.0/8', '::1']);
    for (const bad of ['true', 'proxy.example', '10.0.0.0/33', '0', '1.2.3']) {
      expect(() => parseTrustProxy(bad), bad).to.throw(ConfigError, /TRUST_PROXY/);
    }
  });

  it('by default X-Forwarded-For is ignored: changing it does not escape the per-address limit', async () => {
    const limited = createApp({ db: env.db, config: testConfig(), loginAttempts: 3 });
    await addUser(env.db, 'someone@example.org', 'viewer');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await failLogin(limited, `nobody${i}@example.org`, `203.0.113.${i}`));
    expect(statuses).to.deep.equal([401, 401, 401, 429, 429]);
    await limited.shutdown();
  });

  it('with TRUST_PROXY the forwarded address counts; one account is still limited across addresses', async () => {
    const limited = createApp({ db: env.db, config: testConfig({ trustProxy: ['loopback'] }), loginAttempts: 3 });
    await addUser(env.db, 'target@example.org', 'viewer');
    // different accounts from different (forwarded) addresses: never limited
    const spread = [];
    for (let i = 0; i < 5; i++) spread.push(await failLogin(limited, `nobody${i}@example.org`, `203.0.113.${i}`));
    expect(spread).to.deep.equal([401, 401, 401, 401, 401]);
    // one account from many addresses: limited after 3, even with the right password
    const one = [];
    for (let i = 0; i < 4; i++) one.push(await failLogin(limited, 'Target@Example.org', `198.51.100.${i}`));
    expect(one).to.deep.equal([401, 401, 401, 429]);
    const agent = request.agent(limited);
    const token = csrfFrom((await agent.get('/login')).text);
    const right = await agent.post('/login').type('form').set('X-Forwarded-For', '192.0.2.99').send({ email: 'target@example.org', password: 'correct horse battery', _csrf: token });
    expect(right.status).to.equal(429);
    // the count lives in the database: a second instance on the same database sees it
    const other = createApp({ db: env.db, config: testConfig({ trustProxy: ['loopback'] }), loginAttempts: 3 });
    expect(await failLogin(other, 'target@example.org', '192.0.2.100')).to.equal(429);
    const rows = await env.db('login_throttle').select('key');
    expect(rows.map((r) => r.key).join(' ')).to.not.contain('target@');
    await limited.shutdown();
    await other.shutdown();
  });

  it('a successful login clears the account\'s count', async () => {
    const db = await testDb();
    const app = createApp({ db, config: testConfig(), loginAttempts: 3 });
    try {
      await addUser(db, 'ok@example.org', 'viewer');
      expect(await failLogin(app, 'ok@example.org')).to.equal(401);
      expect(await failLogin(app, 'ok@example.org')).to.equal(401);
      const agent = request.agent(app);
      const token = csrfFrom((await agent.get('/login')).text);
      expect((await agent.post('/login').type('form').send({ email: 'ok@example.org', password: 'correct horse battery', _csrf: token })).status).to.equal(302);
      expect(await db('login_throttle').where('key', 'like', 'account:%').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    } finally {
      await app.shutdown();
      await db.destroy();
    }
  });
});
