import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';

describe('organisations screens', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  const valid = { name: 'Jugendclub Süd', kind: 'youth_club', city: 'Köln', website: 'jugendclub-sued.de', contact_name: 'Ömer', contact_email: 'info@jc-sued.de', notes: 'Friday evenings' };

  it('a manager creates an organisation: stored with a folded name, audited, shown', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/organisations', valid);
    expect(res.status).to.equal(302);
    const row = await env.db('organisations').first();
    expect(res.headers.location).to.equal(`/organisations/${row.id}`);
    expect(row).to.include({ name: 'Jugendclub Süd', name_norm: 'jugendclub sud', kind: 'youth_club', website: 'https://jugendclub-sued.de/' });
    const audit = await env.db('audit_log').where({ entity_type: 'organisation', entity_id: row.id }).first();
    expect(audit.action).to.equal('create');
    const page = await m.agent.get(res.headers.location);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Jugendclub Süd').and.contain('href="https://jugendclub-sued.de/"').and.contain('Youth club');
  });

  it('an invalid form comes back with 422, the values and a message at each field', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/organisations', { ...valid, name: '', website: 'javascript:alert(1)', contact_email: 'x', kind: 'castle' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="name-error"').and.contain('id="website-error"').and.contain('id="contact_email-error"').and.contain('id="kind-error"');
    expect(res.text).to.contain('value="Köln"');
    expect(await env.db('organisations').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('a second organisation with the same (folded) name is refused with 422', async () => {
    await addOrganisation(env.db, 'Tafel Köln');
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/organisations', { ...valid, name: 'tafel koln' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('There is already an organisation with this name.');
  });

  for (const role of ['staff', 'viewer'] as const) {
    it(`${role}: 403 on the form pages and their POSTs`, async () => {
      const orgId = await addOrganisation(env.db, 'Tafel');
      const u = await login(env, `${role}@example.org`, role, role === 'staff' ? orgId : null);
      for (const path of ['/organisations/new', `/organisations/${orgId}/edit`, `/organisations/${orgId}/delete`]) {
        expect((await u.agent.get(path)).status, path).to.equal(403);
      }
      expect((await u.post('/organisations', valid)).status).to.equal(403);
      expect((await u.post(`/organisations/${orgId}`, valid)).status).to.equal(403);
      expect((await u.post(`/organisations/${orgId}/delete`, {})).status).to.equal(403);
      expect((await env.db('organisations').where({ id: orgId }).first()).name).to.equal('Tafel');
      expect((await u.agent.get(`/organisations/${orgId}`)).status).to.equal(200);
    });
  }

  it('404 for a missing or malformed id', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get('/organisations/999')).status).to.equal(404);
    expect((await v.agent.get('/organisations/abc')).status).to.equal(404);
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.post('/organisations/999', valid)).status).to.equal(404);
  });

  it('the list searches names ignoring case and accents, and pages', async () => {
    for (let i = 1; i <= 30; i++) await addOrganisation(env.db, `Verein ${String(i).padStart(2, '0')}`);
    await addOrganisation(env.db, 'Flüchtlingshilfe Müngersdorf');
    const v = await login(env, 'v@example.org', 'viewer');
    const hit = await v.agent.get('/organisations?q=MUNGERSDORF');
    expect(hit.text).to.contain('Flüchtlingshilfe Müngersdorf').and.not.contain('Verein 01');
    expect((await v.agent.get('/organisations?q=%25')).text).to.contain('No organisation matches');
    const p1 = await v.agent.get('/organisations');
    expect(p1.text).to.contain('Organisations found: 31').and.contain('Page 1 of 2');
    const p2 = await v.agent.get('/organisations?page=2');
    expect(p2.text).to.contain('Verein 30').and.not.contain('Verein 01');
  });

  it('an edit is saved and shows in the history', async () => {
    const id = await addOrganisation(env.db, 'Tafel');
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post(`/organisations/${id}`, { ...valid, name: 'Tafel Nord', kind: 'food_bank' });
    expect(res.status).to.equal(302);
    expect(await env.db('organisations').where({ id }).first()).to.include({ name: 'Tafel Nord', name_norm: 'tafel nord' });
    const page = await m.agent.get(`/organisations/${id}`);
    expect(page.text).to.contain('Changed').and.contain('Tafel Nord');
  });

  it('the page lists projects and past helpers, most recent first, by project and skill; filters by skill', async () => {
    const org = await addOrganisation(env.db, 'Tafel');
    const wp = await addSkill(env.db, 'WordPress');
    const seo = await addSkill(env.db, 'SEO');
    const old = await addProject(env.db, org, 'Old website', { status: 'done', start: '2019-01-01', needs: [[wp, 1]] });
    const recent = await addProject(env.db, org, 'Search visibility', { status: 'done', start: '2025-01-01', needs: [[seo, 1]] });
    const anna = await addPerson(env.db, 'Anna', 'Älter', { skills: [[wp, 2]] });
    const ben = await addPerson(env.db, 'Ben', 'Neuer', { skills: [[seo, 3]], dnc: true });
    await addEngagement(env.db, anna, old, { start: '2019-01-01', end: '2019-03-01', role: 'Developer' });
    await addEngagement(env.db, ben, recent, { start: '2025-01-01', end: '2025-02-01' });
    const v = await login(env, 'v@example.org', 'viewer');
    const page = (await v.agent.get(`/organisations/${org}`)).text;
    const helpers = page.slice(page.indexOf('Past helpers'));
    expect(helpers.indexOf('Ben Neuer')).to.be.greaterThan(-1);
    expect(helpers.indexOf('Ben Neuer')).to.be.lessThan(helpers.indexOf('Anna Älter'));
    expect(helpers).to.contain('Old website').and.contain('(Developer)').and.contain('do not contact');
    expect(page).to.contain('Search visibility');
    const filtered = (await v.agent.get(`/organisations/${org}?skill=${wp}`)).text;
    const fh = filtered.slice(filtered.indexOf('Past helpers'));
    expect(fh).to.contain('Anna Älter').and.not.contain('Ben Neuer');
  });

  it('deleting asks first, says what goes with it, then removes projects and engagements', async () => {
    const org = await addOrganisation(env.db, 'Tafel');
    const p1 = await addProject(env.db, org, 'A');
    await addProject(env.db, org, 'B');
    const person = await addPerson(env.db, 'Anna', 'A');
    await addEngagement(env.db, person, p1);
    await addEngagement(env.db, person, p1);
    const m = await login(env, 'm@example.org', 'manager');
    const confirm = await m.agent.get(`/organisations/${org}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Its 2 projects and their 2 engagements will be deleted with it.');
    expect(await env.db('projects').count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    const res = await m.post(`/organisations/${org}/delete`, {});
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/organisations');
    expect(await env.db('projects').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await env.db('engagements').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    const audit = await env.db('audit_log').where({ entity_type: 'organisation', action: 'delete' }).first();
    expect(JSON.parse(audit.changes).deleted_with).to.deep.equal({ projects: 2, engagements: 2, staff: 0 });
  });

  it('an organisation without projects says nothing else goes', async () => {
    const org = await addOrganisation(env.db, 'Leer');
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.agent.get(`/organisations/${org}/delete`)).text).to.contain('It has no projects; nothing else is deleted.');
  });
});
