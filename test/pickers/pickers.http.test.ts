import { expect } from 'chai';
import request from 'supertest';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addOrganisation, addPerson, addProject } from '../support/network.js';

describe('pickers: type-ahead over the whole directory', () => {
  let env: TestEnv;
  let tafel: number;
  let other: number;
  beforeEach(async () => {
    env = await testEnv();
    tafel = await addOrganisation(env.db, 'Leipziger Tafel');
    other = await addOrganisation(env.db, 'Bürgerverein Süd');
    const rows = Array.from({ length: 30 }, (_, i) => ({
      first_name: 'Test', last_name: `Person${String(i).padStart(2, '0')}`, name_norm: `test person${i}`, created_at: 'x', updated_at: 'x',
    }));
    await env.db('people').insert(rows);
    await addPerson(env.db, 'Jörg', 'Schäfer');
    await addPerson(env.db, 'Anna Maria', 'von der Heide');
    await addProject(env.db, tafel, 'Neue Website');
    await addProject(env.db, tafel, 'Spendenaktion');
    await addProject(env.db, other, 'Website relaunch');
  });
  afterEach(async () => { await env.close(); });

  it('people: any name word by its start, accents ignored, words in any order; at most 20 listed and the total said', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const get = async (q: string) => (await v.agent.get(`/pickers/people?q=${encodeURIComponent(q)}`).expect(200)).body;
    expect((await get('schaf')).options.map((o: { label: string }) => o.label)).to.deep.equal(['Schäfer, Jörg']);
    expect((await get('SCHÄF jö')).total).to.equal(1);
    expect((await get('jorg schafer')).total).to.equal(1);
    expect((await get('afer')).total).to.equal(0);
    expect((await get('maria heide')).options[0].label).to.equal('von der Heide, Anna Maria');
    const many = await get('test');
    expect(many.options).to.have.length(20);
    expect(many.total).to.equal(30);
    expect(many.status).to.equal('Showing 20 of 30: type more to narrow it down.');
    expect(many.options[0].label).to.equal('Person00, Test');
    expect((await get('test person29')).options.map((o: { label: string }) => o.label)).to.deep.equal(['Person29, Test']);
    expect((await get('zzz')).status).to.equal('Nothing found for “zzz”.');
  });

  it('people: a change is found at once (the snapshot follows writes)', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.agent.get('/pickers/people?q=schaf')).body.total).to.equal(1);
    await env.db('people').where({ last_name: 'Schäfer' }).update({ last_name: 'Neumann' });
    expect((await m.agent.get('/pickers/people?q=schaf')).body.total).to.equal(0);
    expect((await m.agent.get('/pickers/people?q=neum')).body.total).to.equal(1);
  });

  it('organisations by any part of the name; projects by title words, optionally of one organisation', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get('/pickers/organisations?q=burger')).body.options.map((o: { label: string }) => o.label)).to.deep.equal(['Bürgerverein Süd']);
    expect((await v.agent.get('/pickers/organisations?q=tafel')).body.total).to.equal(1);
    const sites = (await v.agent.get('/pickers/projects?q=WEBSITE')).body;
    expect(sites.total).to.equal(2);
    const own = (await v.agent.get(`/pickers/projects?q=website&org=${tafel}`)).body;
    expect(own.options.map((o: { label: string; hint: string }) => [o.label, o.hint])).to.deep.equal([['Neue Website', 'Leipziger Tafel']]);
  });

  it('in German the line under the list is German; an unknown kind is 404; without a login there is no answer', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    await v.post('/language', { locale: 'de' });
    expect((await v.agent.get('/pickers/people?q=test')).body.status).to.equal('20 von 30 angezeigt: weiter tippen, um einzugrenzen.');
    expect((await v.agent.get('/pickers/unicorns?q=x')).status).to.equal(404);
    const anon = await request(env.app).get('/pickers/people?q=test');
    expect(anon.status).to.equal(302);
    expect(anon.headers.location).to.match(/^\/login/);
  });

  it('/projects searches by title and filters by organisation with the same picker (no silent cap)', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get(`/projects?q=website&org=${tafel}`);
    expect(res.text).to.contain('Neue Website').and.not.contain('Website relaunch').and.not.contain('Spendenaktion');
    expect(res.text).to.match(new RegExp(`<option value="${tafel}" selected>Leipziger Tafel`));
    const found = await v.agent.get('/projects?org_q=burger');
    expect(found.text).to.contain(`<option value="${other}">Bürgerverein Süd`).and.contain('1 found.');
  });
});

describe('pickers sort by the interface language', () => {
  it('organisations: Böhm before Busch in German', async () => {
    const env = await testEnv();
    try {
      for (const name of ['Busch e.V.', 'Böhm Stiftung', 'Bach Verein']) await addOrganisation(env.db, name);
      const v = await login(env, 'v@example.org', 'viewer');
      await v.post('/language', { locale: 'de' });
      const labels = (await v.agent.get('/pickers/organisations?q=b')).body.options.map((o: { label: string }) => o.label);
      expect(labels).to.deep.equal(['Bach Verein', 'Böhm Stiftung', 'Busch e.V.']);
    } finally {
      await env.close();
    }
  });
});

describe('pickers: more than 1,000 people match', () => {
  it('says "more than 1,000" in the JSON and the line under the list, in both languages, and without JavaScript', async () => {
    const env = await testEnv();
    try {
      const rows = Array.from({ length: 1005 }, (_, i) => ({
        first_name: 'Many', last_name: `Person${String(i).padStart(4, '0')}`, name_norm: `many person${i}`, created_at: 'x', updated_at: 'x',
      }));
      for (let i = 0; i < rows.length; i += 200) await env.db('people').insert(rows.slice(i, i + 200));
      const v = await login(env, 'v@example.org', 'viewer');
      const many = (await v.agent.get('/pickers/people?q=many').expect(200)).body;
      expect(many.options).to.have.length(20);
      expect(many.options[0].label).to.equal('Person0000, Many');
      expect([many.total, many.more]).to.deep.equal([1000, true]);
      expect(many.status).to.equal('Showing 20 of more than 1,000: type more to narrow it down.');
      const fewer = (await v.agent.get('/pickers/people?q=many person09').expect(200)).body;
      expect([fewer.total, fewer.more]).to.deep.equal([100, false]);
      // the engagement form's search step (no JavaScript) says the same
      const project = await addProject(env.db, await addOrganisation(env.db, 'Leipziger Tafel'), 'Neue Website');
      const m = await login(env, 'm@example.org', 'manager');
      const form = await m.agent.get(`/projects/${project}/engagements/new?person_id_q=many`);
      expect(form.status).to.equal(200);
      expect(form.text).to.contain('Showing 20 of more than 1,000: type more to narrow it down.');
      await v.post('/language', { locale: 'de' });
      expect((await v.agent.get('/pickers/people?q=many')).body.status).to.equal('20 von mehr als 1.000 angezeigt: weiter tippen, um einzugrenzen.');
    } finally {
      await env.close();
    }
  });
});
