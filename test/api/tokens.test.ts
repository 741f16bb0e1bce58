// API tokens: made on /account/tokens (shown once, stored hashed), service tokens and revoking on /users/tokens,
// the last use recorded, and the CLI's token commands, whose token then works against the API.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createDb } from '../../src/db.js';
import { csrfFrom, login, type TestEnv } from '../support/app.js';
import { apiEnv, call } from './support.js';
import { onPostgres } from '../support/pg.js';

const secretOf = (html: string) => /<code class="token-secret" id="token-secret">(skn_[A-Za-z0-9_-]{43})<\/code>/.exec(html)?.[1];

describe('API tokens on the web', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { env = await apiEnv(); });
  afterEach(() => env.close());

  it('a viewer makes a read token: shown once, stored as a hash, usable, its use recorded, then revoked', async () => {
    const viewer = await login(env, 'viewer@example.org', 'viewer');
    const page = await viewer.agent.get('/account/tokens');
    expect(page.status).to.equal(200);
    const made = await viewer.agent.post('/account/tokens').type('form').send({ _csrf: csrfFrom(page.text), name: 'Newsletter sync', scope: 'read', expires_days: '30' });
    expect(made.status).to.equal(201);
    const token = secretOf(made.text)!;
    expect(token).to.be.a('string');
    const row = await env.db('api_tokens').where({ name: 'Newsletter sync' }).first();
    expect(row.token_hash).to.equal(createHash('sha256').update(token.slice(4)).digest('hex'));
    expect(JSON.stringify(row)).to.not.contain(token.slice(4));
    expect(row.expires_at > new Date().toISOString()).to.equal(true);
    // not shown again
    expect((await viewer.agent.get('/account/tokens')).text).to.not.contain(token);

    expect((await call(env, 'GET', '/api/v1/skills', { token })).status).to.equal(200);
    const used = await env.db('api_tokens').where({ id: row.id }).first();
    expect(used.last_used_at).to.be.a('string');
    expect(used.last_used_ip).to.match(/127\.0\.0\.1|::/);
    // a second use within the minute writes nothing
    await call(env, 'GET', '/api/v1/skills', { token });
    expect((await env.db('api_tokens').where({ id: row.id }).first()).last_used_at).to.equal(used.last_used_at);

    const list = await viewer.agent.get('/account/tokens');
    expect(list.text).to.contain('Newsletter sync');
    const revoked = await viewer.agent.post(`/account/tokens/${row.id}/revoke`).type('form').send({ _csrf: csrfFrom(list.text) });
    expect(revoked.status).to.equal(302);
    expect((await call(env, 'GET', '/api/v1/skills', { token })).status).to.equal(401);
    const audit = await env.db('audit_log').where({ entity_type: 'api_token', entity_id: row.id }).orderBy('id').pluck('action');
    expect(audit).to.deep.equal(['create', 'revoke']);
  });

  it('refuses a form without a name, and nobody revokes another user’s token', async () => {
    const a = await login(env, 'a@example.org', 'manager');
    const b = await login(env, 'b@example.org', 'manager');
    const page = await a.agent.get('/account/tokens');
    expect((await a.agent.post('/account/tokens').type('form').send({ _csrf: csrfFrom(page.text), name: '', scope: 'write' })).status).to.equal(422);
    const made = await a.agent.post('/account/tokens').type('form').send({ _csrf: csrfFrom(page.text), name: 'Mine', scope: 'write' });
    const id = (await env.db('api_tokens').where({ name: 'Mine' }).first()).id;
    expect(made.status).to.equal(201);
    const bPage = await b.agent.get('/account/tokens');
    expect(bPage.text).to.not.contain('Mine');
    expect((await b.agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrfFrom(bPage.text) })).status).to.equal(403);
    expect((await env.db('api_tokens').where({ id }).first()).revoked_at).to.equal(null);
  });

  it('admins see every token, make service tokens (no person, a role of their own) and revoke any token', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const manager = await login(env, 'm@example.org', 'manager');
    expect((await manager.agent.get('/users/tokens')).status).to.equal(403);
    const page = await admin.agent.get('/users/tokens');
    const made = await admin.agent.post('/users/tokens').type('form').send({ _csrf: csrfFrom(page.text), name: 'Website helpers', scope: 'read', role: 'viewer' });
    expect(made.status).to.equal(201);
    const token = secretOf(made.text)!;
    const row = await env.db('api_tokens').where({ name: 'Website helpers' }).first();
    expect(row).to.include({ user_id: null, role: 'viewer', scope: 'read' });
    expect((await call(env, 'GET', '/api/v1/people', { token })).status).to.equal(200);
    expect((await call(env, 'POST', '/api/v1/people', { token, body: { last_name: 'No' } })).status).to.equal(403);
    const list = await admin.agent.get('/users/tokens');
    expect(list.text).to.contain('service token (Viewer)');
    await admin.agent.post(`/users/tokens/${row.id}/revoke`).type('form').send({ _csrf: csrfFrom(list.text) });
    expect((await call(env, 'GET', '/api/v1/people', { token })).status).to.equal(401);
  });
});

describe('skillnet token create / list / revoke', function () {
  this.timeout(120000);
  if (onPostgres) return; // the CLI test drives a SQLite file
  let dir: string;
  const run = (args: string[]) => spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SKILLNET_PASSWORD: 'a long password here' }, encoding: 'utf8', timeout: 60000,
  });
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-token-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the token alone on the last line; it works until revoked by name', async () => {
    expect(run(['user', 'add', 'ops@example.org', '--role', 'manager']).status).to.equal(0);
    const made = run(['token', 'create', 'ops@example.org', '--name', 'CRM', '--scope', 'write', '--expires', '90']);
    expect(made.status, made.stderr).to.equal(0);
    const token = made.stdout.trim().split('\n').pop()!;
    expect(token).to.match(/^skn_[A-Za-z0-9_-]{43}$/);
    const bad = run(['token', 'create', 'nobody@example.org', '--name', 'X']);
    expect(bad.status).to.not.equal(0);
    expect(bad.stderr).to.contain('no user with e-mail nobody@example.org');
    expect(run(['token', 'create', 'ops@example.org', '--name', 'X', '--scope', 'admin']).stderr).to.contain('--scope must be one of read, write');

    const db = createDb({ databaseFile: path.join(dir, 'db.sqlite') });
    const app = createApp({ db, config: testConfig({ databaseFile: path.join(dir, 'db.sqlite') }) });
    try {
      const ok = await request(app).post('/api/v1/people').set('Authorization', `Bearer ${token}`).send({ last_name: 'FromCli' });
      expect(ok.status).to.equal(201);
      const list = run(['token', 'list']);
      expect(list.stdout).to.match(/\tCRM\tops@example\.org\twrite\tactive\t/);
      const revoked = run(['token', 'revoke', 'CRM']);
      expect(revoked.stdout).to.match(/Token #\d+ "CRM" revoked\./);
      expect((await request(app).get('/api/v1/people').set('Authorization', `Bearer ${token}`)).status).to.equal(401);
      expect(run(['token', 'revoke', 'CRM']).stderr).to.contain('no active token');
    } finally {
      await app.shutdown();
      await db.destroy();
    }
  });
});
