// Issue 11, reliability 4: a form opened before an import and saved after it must not silently revert the
// import's change. The form carries the version it edited; a save over a newer version shows both values.
import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { importCsv } from '../imports/helpers.js';

const versionOf = (html: string) => /name="version" value="([^"]+)"/.exec(html)?.[1];

describe('reliability: no lost updates on the person form', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  const ada = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', city: 'London', kind: 'volunteer', availability: 'available' };

  it('a form opened before an import and saved after it shows both values and overwrites nothing; saving again keeps the user\'s choice', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const id = Number((await m.post('/people', ada)).headers.location!.split('/').pop());
    const form = await m.agent.get(`/people/${id}/edit`);
    const opened = versionOf(form.text);
    expect(opened, 'the edit form carries its version').to.be.a('string');

    await new Promise((r) => setTimeout(r, 5));
    const s = await importCsv(env.db, 'Email,City\nada@example.org,Paris\n', { policy: 'update' });
    expect(s.updated).to.equal(1);

    const stale = await m.post(`/people/${id}`, { ...ada, city: 'London', phone: '+44 20 1234', version: opened! });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Saved by someone else meanwhile');
    expect(stale.text).to.match(/City<\/th><td>Paris<\/td><td>London<\/td>/);
    const person = await env.db('people').where({ id }).first();
    expect(person).to.include({ city: 'Paris', phone: null });

    // the re-shown form carries the new version: saving it now is the user's informed choice
    const fresh = versionOf(stale.text);
    expect(fresh).to.equal(person.updated_at);
    const saved = await m.post(`/people/${id}`, { ...ada, city: 'Paris', phone: '+44 20 1234', version: fresh! });
    expect(saved.status).to.equal(302);
    expect(await env.db('people').where({ id }).first()).to.include({ city: 'Paris', phone: '+44 20 1234' });
  });

  it('two users editing the same person: the second save is stopped, not lost', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const other = await login(env, 'staff@example.org', 'staff');
    const id = Number((await m.post('/people', ada)).headers.location!.split('/').pop());
    const v1 = versionOf((await m.agent.get(`/people/${id}/edit`)).text)!;
    const v2 = versionOf((await other.agent.get(`/people/${id}/edit`)).text)!;
    await new Promise((r) => setTimeout(r, 5));
    expect((await m.post(`/people/${id}`, { ...ada, city: 'Bath', version: v1 })).status).to.equal(302);
    const second = await other.post(`/people/${id}`, { ...ada, city: 'York', version: v2 });
    expect(second.status).to.equal(409);
    expect((await env.db('people').where({ id }).first()).city).to.equal('Bath');
  });
});
