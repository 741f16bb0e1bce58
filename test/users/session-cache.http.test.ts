// What every logged-in request reads — the signed-in user and the settings' policy — is cached for at most a
// second (src/shared/ttl-cache.ts). These tests hold the promise the cache makes: a change made through this
// instance is seen by the very next request; a change made elsewhere (another instance, written straight into the
// database here) within 2 s; a deactivation or role change ends the sessions at once, cache or not.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { setSetting } from '../../src/settings/settings.queries.js';

const who = (html: string) => /class="who"[^>]*>([^<]*)</.exec(html)?.[1]?.trim() ?? '';

describe('the per-request cache of user and policy', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a change through this instance shows on the next request', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const mia = await login(env, 'mia@example.org', 'manager');
    const id = (await env.db('users').where({ email: 'mia@example.org' }).first()).id;
    const token = await admin.csrf();
    expect(who((await mia.agent.get('/people')).text)).to.contain('mia'); // cached now
    const res = await admin.agent.post(`/users/${id}`).type('form').send({ _csrf: token, name: 'Mia Renamed', role: 'manager', organisation_id: '', active: '1' });
    expect(res.status).to.equal(302);
    expect(who((await mia.agent.get('/people')).text)).to.contain('Mia Renamed');
  });

  it('a change made by another instance shows within 2 s, and a cached read does not outlive it', async () => {
    const mia = await login(env, 'mia@example.org', 'manager');
    expect(who((await mia.agent.get('/people')).text)).to.contain('mia');
    // another instance writes (here: straight into the shared database, bypassing this process)
    await env.db('users').where({ email: 'mia@example.org' }).update({ name: 'Mia Elsewhere' });
    await sleep(1100);
    expect(who((await mia.agent.get('/people')).text)).to.contain('Mia Elsewhere');
  });

  it('deactivation elsewhere ends the session at once (the sessions are deleted in the database)', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const mia = await login(env, 'mia@example.org', 'manager');
    expect((await mia.agent.get('/people')).status).to.equal(200); // cached now
    const id = (await env.db('users').where({ email: 'mia@example.org' }).first()).id;
    await admin.post(`/users/${id}`, { name: 'mia', role: 'manager', organisation_id: '', active: '0' });
    const after = await mia.agent.get('/people');
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.match(/^\/login/);
  });

  it('the export restriction: at once through this instance, within 2 s from another', async () => {
    const staff = await login(env, 'sam@example.org', 'staff');
    expect((await staff.agent.get('/people.csv')).status).to.equal(200);
    await setSetting(env.db, 'exports_restricted', '1');
    expect((await staff.agent.get('/people.csv')).status).to.equal(403);
    await env.db('settings').where({ key: 'exports_restricted' }).update({ value: '0' }); // another instance
    await sleep(1100);
    expect((await staff.agent.get('/people.csv')).status).to.equal(200);
  });
});
