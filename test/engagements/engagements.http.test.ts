import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';

describe('engagement screens', () => {
  let env: TestEnv;
  let orgA: number;
  let orgB: number;
  let wp: number;
  let seo: number;
  let design: number;
  let project: number;
  let otherProject: number;
  let anna: number;
  beforeEach(async () => {
    env = await testEnv();
    orgA = await addOrganisation(env.db, 'Tafel A');
    orgB = await addOrganisation(env.db, 'Verein B');
    wp = await addSkill(env.db, 'WordPress');
    seo = await addSkill(env.db, 'SEO');
    design = await addSkill(env.db, 'Design');
    project = await addProject(env.db, orgA, 'Website', { start: '2025-01-01', needs: [[wp, 2], [seo, 1]] });
    otherProject = await addProject(env.db, orgB, 'Elsewhere', { needs: [[wp, 1]] });
    anna = await addPerson(env.db, 'Anna', 'Müller', { skills: [[wp, 3], [design, 2], [seo, 1]] });
    await env.db('person_skills').where({ person_id: anna, skill_id: seo }).update({ last_used_at: '2025-12-01' });
  });
  afterEach(async () => { await env.close(); });

  const form = (extra: Record<string, string> = {}) => ({
    person_id: String(anna), role: 'Developer', start_date: '2025-02-01', end_date: '2025-04-30', hours: '20,5', paid: '1', rate: '40',
    outcome: 'Site live', feedback: 'Great', rating: '5', handover: 'partly', ...extra,
  });

  it('staff record an engagement for their project; the person’s skill evidence moves forward', async () => {
    const s = await login(env, 's@example.org', 'staff', orgA);
    const page = await s.agent.get(`/projects/${project}/engagements/new?person=${anna}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(new RegExp(`<option value="${anna}" selected>`));
    const res = await s.post(`/projects/${project}/engagements`, form());
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/projects/${project}`);
    const e = await env.db('engagements').first();
    expect(e).to.include({ person_id: anna, project_id: project, hours: 20.5, paid: 1, rate: 40, rating: 5, handover: 'partly' });
    const used = Object.fromEntries((await env.db('person_skills').where({ person_id: anna }).select('skill_id', 'last_used_at')).map((r) => [r.skill_id, r.last_used_at]));
    expect(used[wp]).to.equal('2025-04-30'); // needed and had none: set to the end date
    expect(used[seo]).to.equal('2025-12-01'); // needed, but already used later: kept
    expect(used[design]).to.equal(null); // not needed by the project: untouched
    expect(await env.db('audit_log').where({ entity_type: 'engagement', action: 'create' }).first()).to.not.equal(undefined);
    // shown on the project, the person and the organisation
    expect((await s.agent.get(`/projects/${project}`)).text).to.contain('Anna Müller').and.contain('Site live').and.contain('Partly');
    expect((await s.agent.get(`/people/${anna}`)).text).to.contain('Website').and.contain('Developer');
    const orgPage = (await s.agent.get(`/organisations/${orgA}`)).text;
    expect(orgPage.slice(orgPage.indexOf('Past helpers'))).to.contain('Anna Müller').and.contain('WordPress');
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ['the end before the start', { start_date: '2025-05-01', end_date: '2025-04-01' }, 'end_date', 'The end cannot be before the start.'],
    ['a rating of 7', { rating: '7' }, 'rating', 'A rating is a whole number from 1 to 5.'],
    ['a rating of 0', { rating: '0' }, 'rating', 'A rating is a whole number from 1 to 5.'],
    ['negative hours', { hours: '-3' }, 'hours', 'Hours cannot be negative.'],
    ['an unknown person', { person_id: '9999' }, 'person_id', 'This person does not exist (any more).'],
    ['no person', { person_id: '' }, 'person_id', 'Please choose a person.'],
    ['a rate for voluntary work', { paid: '' }, 'rate', 'A rate only applies to paid work'],
    ['an odd handover', { handover: 'someday' }, 'handover', 'Please choose one of the options.'],
  ];
  for (const [name, over, field, message] of bad) {
    it(`${name}: 422 with a message at the field, nothing written`, async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.post(`/projects/${project}/engagements`, form(over));
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`id="${field}-error"`).and.contain(message);
      expect(res.text).to.contain('value="Developer"');
      expect(await env.db('engagements').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    });
  }

  it('staff of another organisation get 403 on the form and the POST; viewers too', async () => {
    const s = await login(env, 's@example.org', 'staff', orgB);
    expect((await s.agent.get(`/projects/${project}/engagements/new`)).status).to.equal(403);
    expect((await s.post(`/projects/${project}/engagements`, form())).status).to.equal(403);
    expect((await s.agent.get(`/projects/${otherProject}/engagements/new`)).status).to.equal(200);
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get(`/projects/${project}/engagements/new`)).status).to.equal(403);
    expect((await v.post(`/projects/${project}/engagements`, form())).status).to.equal(403);
    expect(await env.db('engagements').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('edit and delete: allowed for the own organisation, 403 for others, 404 when missing', async () => {
    const id = await addEngagement(env.db, anna, project, { start: '2025-01-01', role: 'Helper' });
    const other = await login(env, 'o@example.org', 'staff', orgB);
    expect((await other.agent.get(`/engagements/${id}/edit`)).status).to.equal(403);
    expect((await other.post(`/engagements/${id}`, form())).status).to.equal(403);
    expect((await other.agent.get(`/engagements/${id}/delete`)).status).to.equal(403);
    expect((await other.post(`/engagements/${id}/delete`, {})).status).to.equal(403);

    const s = await login(env, 's@example.org', 'staff', orgA);
    const edit = await s.agent.get(`/engagements/${id}/edit`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('value="Helper"');
    expect((await s.post(`/engagements/${id}`, form({ rating: '9' }))).status).to.equal(422);
    const saved = await s.post(`/engagements/${id}`, form({ role: 'Lead developer' }));
    expect(saved.status).to.equal(302);
    expect((await env.db('engagements').where({ id }).first()).role).to.equal('Lead developer');
    expect(await env.db('audit_log').where({ entity_type: 'engagement', entity_id: id, action: 'update' }).first()).to.not.equal(undefined);

    expect((await s.agent.get(`/engagements/${id}/delete`)).text).to.contain('Delete the engagement of Anna Müller on Website?');
    const del = await s.post(`/engagements/${id}/delete`, {});
    expect(del.headers.location).to.equal(`/projects/${project}`);
    expect(await env.db('engagements').where({ id }).first()).to.equal(undefined);

    expect((await s.agent.get('/engagements/777/edit')).status).to.equal(404);
    expect((await s.post('/engagements/777', form())).status).to.equal(404);
    expect((await s.agent.get('/projects/777/engagements/new')).status).to.equal(404);
  });

  it('the person picker finds people by name, ignoring accents', async () => {
    await addPerson(env.db, 'Jörg', 'Schäfer');
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.agent.get(`/projects/${project}/engagements/new?person_id_q=schafer`);
    expect(res.text).to.contain('Schäfer, Jörg').and.not.contain('Müller, Anna');
  });

  it('without JavaScript, Find searches as a step of the form: everything typed stays, nothing is saved', async () => {
    const joerg = await addPerson(env.db, 'Jörg', 'Schäfer');
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post(`/projects/${project}/engagements`, { ...form({ person_id: '', role: 'Typed role', hours: '12,5' }), _find: 'person_id', person_id_q: 'schäf' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('value="Typed role"').and.contain('value="12,5"').and.contain('value="schäf"');
    expect(res.text).to.contain(`<option value="${joerg}">Schäfer, Jörg</option>`).and.contain('1 found.');
    expect(await env.db('engagements').where({ project_id: project })).to.have.length(0);
  });

  it('a future engagement moves skill evidence no further than today', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post(`/projects/${project}/engagements`, form({ start_date: '2099-01-01', end_date: '2099-02-01' }));
    const row = await env.db('person_skills').where({ person_id: anna, skill_id: wp }).first();
    expect(row.last_used_at).to.equal(new Date().toISOString().slice(0, 10));
  });
});
