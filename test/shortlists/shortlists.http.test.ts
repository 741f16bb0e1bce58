import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';

describe('a project\'s shortlist over HTTP', () => {
  let env: TestEnv;
  let org: number;
  let otherOrg: number;
  let project: number;
  let anna: number;
  let ben: number;
  beforeEach(async () => {
    env = await testEnv();
    org = await addOrganisation(env.db, 'Tafel');
    otherOrg = await addOrganisation(env.db, 'Other');
    const wp = await addSkill(env.db, 'WordPress');
    const seo = await addSkill(env.db, 'SEO', 'Suchmaschinenoptimierung');
    project = await addProject(env.db, org, 'New website', { start: '2026-09-01', needs: [[wp, 2], [seo, 1]] });
    anna = await addPerson(env.db, 'Anna', 'Alt', { skills: [[wp, 3], [seo, 2]] });
    ben = await addPerson(env.db, 'Ben', 'Bauer', { skills: [[wp, 1]] });
  });
  afterEach(async () => { await env.close(); });

  it('shortlisted → asked → accepted records the engagement with a role from the covered skills; every step dated in the history', async () => {
    const s = await login(env, 's@example.org', 'staff', org);
    await s.post(`/projects/${project}/shortlist`, { ids: [String(anna), String(ben)] });
    let page = await s.agent.get(`/projects/${project}/shortlist`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Anna Alt').and.contain('Mark as asked');
    let res = await s.post(`/projects/${project}/shortlist/${anna}`, { state: 'asked' });
    expect(res.headers.location).to.equal(`/projects/${project}/shortlist#entry-${anna}`);
    res = await s.post(`/projects/${project}/shortlist/${anna}`, { state: 'accepted' });
    expect(res.headers.location).to.equal(`/projects/${project}`);
    const e = await env.db('engagements').where({ person_id: anna, project_id: project }).first();
    expect(e).to.include({ role: 'WordPress, SEO', start_date: '2026-09-01' });
    const shown = await s.agent.get(`/projects/${project}`);
    expect(shown.text).to.contain('Anna Alt accepted and is now on the team of New website.');
    expect(shown.text).to.contain("Shortlisted: 1 · Accepted: 1");
    page = await s.agent.get(`/projects/${project}/shortlist`);
    expect(page.text.match(/<time datetime="[^"]+">/g)).to.have.length(4);
    const audits = await env.db('audit_log').where({ entity_type: 'project', entity_id: project }).whereIn('action', ['shortlist.add', 'shortlist.state']).pluck('action');
    expect(audits).to.deep.equal(['shortlist.add', 'shortlist.state', 'shortlist.state']);
  });

  it('in German the accepted engagement\'s role uses the German skill names', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/language', { locale: 'de' });
    await m.post(`/projects/${project}/shortlist`, { person_id: String(anna) });
    await m.post(`/projects/${project}/shortlist/${anna}`, { state: 'accepted' });
    expect(await env.db('engagements').where({ person_id: anna }).first('role')).to.deep.equal({ role: 'WordPress, Suchmaschinenoptimierung' });
  });

  it('declining needs a reason; the reason is shown; a declined person can be shortlisted again; accepted is final', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post(`/projects/${project}/shortlist`, { person_id: String(ben) });
    await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'asked' });
    let res = await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'declined', reason: ' ' });
    expect((await m.agent.get(res.headers.location)).text).to.contain('Please give a reason for the decline.');
    expect(await env.db('shortlist_entries').where({ person_id: ben }).first('state')).to.deep.equal({ state: 'asked' });
    res = await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'declined', reason: 'No time until spring' });
    expect((await m.agent.get(res.headers.location)).text).to.contain('Declined: No time until spring');
    res = await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'shortlisted' });
    expect(await env.db('shortlist_entries').where({ person_id: ben }).first('state', 'reason')).to.deep.equal({ state: 'shortlisted', reason: null });
    await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'accepted' });
    res = await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'declined', reason: 'changed mind' });
    expect((await m.agent.get(res.headers.location)).text).to.contain('This change is not possible from the current state.');
    expect(await env.db('engagements').where({ person_id: ben })).to.have.length(1);
  });

  it('removing asks first and only works before anyone was asked', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post(`/projects/${project}/shortlist`, { ids: [String(anna), String(ben)] });
    const confirm = await m.agent.get(`/projects/${project}/shortlist/${ben}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Remove Ben Bauer from the shortlist of New website?');
    await m.post(`/projects/${project}/shortlist/${ben}/delete`, {});
    expect((await env.db('shortlist_entries').pluck('person_id')).map(Number)).to.deep.equal([anna]);
    await m.post(`/projects/${project}/shortlist/${anna}`, { state: 'asked' });
    expect((await m.agent.get(`/projects/${project}/shortlist/${anna}/delete`)).status).to.equal(403);
    await m.post(`/projects/${project}/shortlist/${anna}/delete`, {});
    expect((await env.db('shortlist_entries').pluck('person_id')).map(Number)).to.deep.equal([anna]);
  });

  it('viewers read the shortlist without buttons; staff of another organisation and viewers cannot change it; unknown entries are 404', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post(`/projects/${project}/shortlist`, { person_id: String(anna) });
    const v = await login(env, 'v@example.org', 'viewer');
    const page = await v.agent.get(`/projects/${project}/shortlist`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Anna Alt').and.not.contain('Mark as asked');
    expect((await v.post(`/projects/${project}/shortlist/${anna}`, { state: 'asked' })).status).to.equal(403);
    const other = await login(env, 'o@example.org', 'staff', otherOrg);
    expect((await other.post(`/projects/${project}/shortlist/${anna}`, { state: 'asked' })).status).to.equal(403);
    expect((await other.agent.get(`/projects/${project}/shortlist/${anna}/delete`)).status).to.equal(403);
    expect((await m.post(`/projects/${project}/shortlist/${ben}`, { state: 'asked' })).status).to.equal(404);
    expect((await m.agent.get('/projects/999/shortlist')).status).to.equal(404);
    expect(await env.db('shortlist_entries').where({ person_id: anna }).first('state')).to.deep.equal({ state: 'shortlisted' });
  });
});
