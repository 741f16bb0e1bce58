// Issue 11, reliability 4: a form opened before an import and saved after it must not silently revert the
// import's change. The form carries the version it edited; a save over a newer version shows both values.
import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { importCsv } from '../imports/helpers.js';
import { addEngagement, addOrganisation, addPerson, addProject } from '../support/network.js';

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

// The same protection, by the same mechanism (src/shared/versions.queries.ts, views/partials/conflict.ejs), on
// the other edit forms: two users open the form; the first save wins, the second is stopped with both values
// shown and nothing overwritten; saving the re-shown form (which carries the new version) is an informed choice.
describe('reliability: no lost updates on the organisation, project and engagement forms', () => {
  let env: TestEnv;
  let org = 0;
  let project = 0;
  let engagement = 0;
  let anna = 0;
  beforeEach(async () => {
    env = await testEnv();
    org = await addOrganisation(env.db, 'Tafel Nord', { city: 'Kiel' });
    project = await addProject(env.db, org, 'Website', { start: '2025-01-01' });
    anna = await addPerson(env.db, 'Anna', 'Müller');
    engagement = await addEngagement(env.db, anna, project, { role: 'Developer', start: '2025-02-01', hours: 10 });
  });
  afterEach(async () => { await env.close(); });

  const cases: { what: string; table: string; id: () => number; edit: () => string; post: () => string; form: (v: string) => Record<string, string>; field: string; row: RegExp }[] = [
    {
      what: 'organisation', table: 'organisations', id: () => org, edit: () => `/organisations/${org}/edit`, post: () => `/organisations/${org}`,
      form: (city) => ({ name: 'Tafel Nord', kind: 'association', city }), field: 'city', row: /City<\/th><td>Lübeck<\/td><td>Flensburg<\/td>/,
    },
    {
      what: 'project', table: 'projects', id: () => project, edit: () => `/projects/${project}/edit`, post: () => `/projects/${project}`,
      form: (title) => ({ organisation_id: String(org), title, kind: 'implementation', status: 'open', start_date: '2025-01-01' }), field: 'title',
      row: /Title<\/th><td>Lübeck<\/td><td>Flensburg<\/td>/,
    },
    {
      what: 'engagement', table: 'engagements', id: () => engagement, edit: () => `/engagements/${engagement}/edit`, post: () => `/engagements/${engagement}`,
      form: (role) => ({ person_id: String(anna), role, start_date: '2025-02-01', hours: '10' }), field: 'role',
      row: /Role<\/th><td>Lübeck<\/td><td>Flensburg<\/td>/,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: the second of two users editing it is stopped with both values shown, nothing overwritten`, async () => {
      const m = await login(env, 'manager@example.org', 'manager');
      const other = await login(env, 'manager2@example.org', 'manager');
      const v1 = versionOf((await m.agent.get(c.edit())).text);
      const v2 = versionOf((await other.agent.get(c.edit())).text);
      expect(v1, 'the edit form carries its version').to.be.a('string');
      expect(v2).to.equal(v1);
      await new Promise((r) => setTimeout(r, 5));
      const first = await m.post(c.post(), { ...c.form('Lübeck'), version: v1! });
      expect(first.status, first.text.slice(0, 300)).to.equal(302);

      const second = await other.post(c.post(), { ...c.form('Flensburg'), version: v2! });
      expect(second.status).to.equal(409);
      expect(second.text).to.contain('Saved by someone else meanwhile');
      expect(second.text).to.match(c.row);
      const saved = await env.db(c.table).where({ id: c.id() }).first();
      expect(saved[c.field]).to.equal('Lübeck');

      // the re-shown form carries the new version (and the user's entry): saving it now keeps the user's choice
      const fresh = versionOf(second.text);
      expect(fresh).to.equal(saved.updated_at);
      expect(second.text).to.contain('value="Flensburg"');
      expect((await other.post(c.post(), { ...c.form('Flensburg'), version: fresh! })).status).to.equal(302);
      expect((await env.db(c.table).where({ id: c.id() }).first())[c.field]).to.equal('Flensburg');
    });
  }

  it('German: the conflict is explained in German', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const v = versionOf((await m.agent.get(`/organisations/${org}/edit`)).text)!;
    await env.db('organisations').where({ id: org }).update({ city: 'Lübeck', updated_at: new Date(Date.now() + 1000).toISOString() });
    const token = await m.csrf();
    const res = await m.agent.post(`/organisations/${org}`).set('Accept-Language', 'de').type('form')
      .send({ name: 'Tafel Nord', kind: 'association', city: 'Flensburg', version: v, _csrf: token });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Inzwischen von jemand anderem gespeichert').and.to.match(/Ort<\/th><td>Lübeck<\/td><td>Flensburg<\/td>/);
  });
});
