import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';

describe('projects screens', () => {
  let env: TestEnv;
  let orgA: number;
  let orgB: number;
  let wp: number;
  let seo: number;
  beforeEach(async () => {
    env = await testEnv();
    orgA = await addOrganisation(env.db, 'Tafel A');
    orgB = await addOrganisation(env.db, 'Verein B');
    wp = await addSkill(env.db, 'WordPress', 'WordPress');
    seo = await addSkill(env.db, 'SEO', 'Suchmaschinenoptimierung');
  });
  afterEach(async () => { await env.close(); });

  const form = (org: number, extra: Record<string, string | string[]> = {}) => ({
    organisation_id: String(org), title: 'Neue Website', kind: 'implementation', status: 'open', start_date: '2026-03-01', end_date: '2026-06-30',
    description: 'Relaunch', ...extra,
  });

  it('a manager creates a project with needed skills and minimum levels', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/projects', form(orgB, { skill_id: [String(wp), '', String(seo)], min_level: ['2', '1', '3'] }));
    expect(res.status).to.equal(302);
    const p = await env.db('projects').first();
    expect(res.headers.location).to.equal(`/projects/${p.id}`);
    expect(p).to.include({ organisation_id: orgB, title: 'Neue Website', start_date: '2026-03-01', end_date: '2026-06-30' });
    const needs = await env.db('project_skills').where({ project_id: p.id }).orderBy('skill_id').select('skill_id', 'min_level');
    expect(needs).to.deep.equal([{ skill_id: wp, min_level: 2 }, { skill_id: seo, min_level: 3 }]);
    const page = await m.agent.get(`/projects/${p.id}`);
    expect(page.text).to.contain('Neue Website').and.contain('WordPress').and.contain('at least Intermediate').and.contain('Verein B');
  });

  it('the end before the start re-renders the form with 422 and a message at the end date', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/projects', form(orgA, { start_date: '2026-06-01', end_date: '2026-05-01', skill_id: [String(wp)], min_level: ['3'] }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="end_date-error"').and.contain('The end cannot be before the start.');
    expect(res.text).to.match(new RegExp(`<option value="${wp}" selected>`));
    expect(await env.db('projects').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('an unknown skill or organisation is a form error, not a 500', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.post('/projects', form(orgA, { skill_id: ['999'], min_level: ['1'] }))).status).to.equal(422);
    expect((await m.post('/projects', form(999))).status).to.equal(422);
    expect((await m.post('/projects', form(orgA, { title: '' }))).status).to.equal(422);
  });

  it('staff create and edit projects of their own organisation only (403 otherwise, on GET form and POST)', async () => {
    const own = await addProject(env.db, orgA, 'Own');
    const other = await addProject(env.db, orgB, 'Other');
    const s = await login(env, 's@example.org', 'staff', orgA);
    const newForm = await s.agent.get('/projects/new');
    expect(newForm.status).to.equal(200);
    expect(newForm.text).to.contain('Tafel A').and.not.contain('Verein B');
    expect((await s.post('/projects', form(orgA))).status).to.equal(302);
    expect((await s.post('/projects', form(orgB))).status).to.equal(403);
    expect((await s.agent.get(`/projects/${own}/edit`)).status).to.equal(200);
    expect((await s.agent.get(`/projects/${other}/edit`)).status).to.equal(403);
    expect((await s.post(`/projects/${other}`, form(orgB, { title: 'Hijacked' }))).status).to.equal(403);
    // moving their own project to another organisation is refused too
    expect((await s.post(`/projects/${own}`, form(orgB))).status).to.equal(403);
    expect((await s.agent.get(`/projects/${other}/delete`)).status).to.equal(403);
    expect((await s.post(`/projects/${other}/delete`, {})).status).to.equal(403);
    expect((await env.db('projects').where({ id: other }).first()).title).to.equal('Other');
    expect((await env.db('projects').where({ id: own }).first()).organisation_id).to.equal(orgA);
    // reading is open to staff everywhere
    expect((await s.agent.get(`/projects/${other}`)).status).to.equal(200);
  });

  it('staff without an organisation cannot open the new-project form', async () => {
    const s = await login(env, 's@example.org', 'staff', null);
    expect((await s.agent.get('/projects/new')).status).to.equal(403);
  });

  it('viewers only read', async () => {
    const p = await addProject(env.db, orgA, 'Readable');
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get('/projects')).status).to.equal(200);
    expect((await v.agent.get(`/projects/${p}`)).text).to.contain('Readable').and.not.contain(`/projects/${p}/edit`);
    expect((await v.agent.get('/projects/new')).status).to.equal(403);
    expect((await v.post('/projects', form(orgA))).status).to.equal(403);
    expect((await v.agent.get(`/projects/${p}/edit`)).status).to.equal(403);
    expect((await v.post(`/projects/${p}`, form(orgA))).status).to.equal(403);
  });

  it('404 for missing projects', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.agent.get('/projects/4242')).status).to.equal(404);
    expect((await m.agent.get('/projects/4242/edit')).status).to.equal(404);
    expect((await m.post('/projects/4242', form(orgA))).status).to.equal(404);
    expect((await m.agent.get('/projects/x1')).status).to.equal(404);
  });

  it('the list filters by status, kind and organisation and pages', async () => {
    await addProject(env.db, orgA, 'Alpha open', { status: 'open', kind: 'consulting' });
    await addProject(env.db, orgB, 'Beta done', { status: 'done', kind: 'implementation' });
    for (let i = 0; i < 26; i++) await addProject(env.db, orgB, `Filler ${i}`, { status: 'idea', kind: 'mixed', start: '2020-01-01' });
    const v = await login(env, 'v@example.org', 'viewer');
    const open = (await v.agent.get('/projects?status=open')).text;
    expect(open).to.contain('Alpha open').and.contain('Projects found: 1');
    expect(open).not.to.contain('Beta done');
    expect((await v.agent.get('/projects?kind=implementation')).text).to.contain('Beta done').and.not.contain('Alpha open');
    expect((await v.agent.get(`/projects?org=${orgA}`)).text).to.contain('Alpha open').and.not.contain('Beta done');
    const all = (await v.agent.get('/projects?status=idea')).text;
    expect(all).to.contain('Projects found: 26').and.contain('Page 1 of 2').and.contain('href="/projects?status=idea&amp;page=2"');
    expect((await v.agent.get('/projects?status=idea&page=2')).status).to.equal(200);
    expect((await v.agent.get('/projects?status=bogus&page=-4')).status).to.equal(200);
  });

  it('an edit replaces the needed skills and is audited', async () => {
    const p = await addProject(env.db, orgA, 'Site', { needs: [[wp, 1]] });
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post(`/projects/${p}`, form(orgA, { title: 'Site 2', status: 'running', skill_id: [String(seo)], min_level: ['2'] }));
    expect(res.status).to.equal(302);
    expect(await env.db('project_skills').where({ project_id: p }).select('skill_id', 'min_level')).to.deep.equal([{ skill_id: seo, min_level: 2 }]);
    const audit = await env.db('audit_log').where({ entity_type: 'project', entity_id: p, action: 'update' }).first();
    expect(JSON.parse(audit.changes).skills).to.deep.equal({ from: 'WordPress (1)', to: 'SEO (2)' });
  });

  it('deleting a project asks first with the engagement count, then removes it', async () => {
    const p = await addProject(env.db, orgA, 'Gone soon');
    const person = await addPerson(env.db, 'Anna', 'A');
    await addEngagement(env.db, person, p);
    const s = await login(env, 's@example.org', 'staff', orgA);
    const confirm = await s.agent.get(`/projects/${p}/delete`);
    expect(confirm.text).to.contain('Its 1 engagement will be deleted with it.');
    const res = await s.post(`/projects/${p}/delete`, {});
    expect(res.headers.location).to.equal(`/organisations/${orgA}`);
    expect(await env.db('projects').where({ id: p }).first()).to.equal(undefined);
    expect(await env.db('engagements').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
