import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill, monthsAgo } from '../support/network.js';
import { suggestionCandidates } from '../../src/projects/suggestions.queries.js';

describe('suggested helpers', () => {
  let env: TestEnv;
  let org: number;
  let otherOrg: number;
  let wp: number;
  let seo: number;
  let project: number;
  let ids: Record<string, number>;
  beforeEach(async () => {
    env = await testEnv();
    org = await addOrganisation(env.db, 'Tafel');
    otherOrg = await addOrganisation(env.db, 'Anderer Verein');
    wp = await addSkill(env.db, 'WordPress');
    seo = await addSkill(env.db, 'SEO');
    const design = await addSkill(env.db, 'Design');
    project = await addProject(env.db, org, 'New website', { start: '2026-09-01', needs: [[wp, 2], [seo, 1]] });
    const earlier = await addProject(env.db, org, 'Old website', { status: 'done', start: monthsAgo(8), needs: [[wp, 1]] });
    ids = {
      expert: await addPerson(env.db, 'Erika', 'Expertin', { skills: [[wp, 3], [seo, 2]] }),
      basic: await addPerson(env.db, 'Bernd', 'Basis', { skills: [[wp, 1]] }),
      dnc: await addPerson(env.db, 'Dora', 'Nichtkontakt', { skills: [[wp, 3], [seo, 3]], dnc: true }),
      none: await addPerson(env.db, 'Nils', 'Ohne', { skills: [[design, 3]] }),
      veteran: await addPerson(env.db, 'Vera', 'Veteranin', { skills: [[wp, 2]] }),
      member: await addPerson(env.db, 'Max', 'Mitglied', { skills: [[wp, 2]] }),
    };
    await addEngagement(env.db, ids.veteran!, earlier, { start: monthsAgo(8), end: monthsAgo(7), rating: 5 });
    await addEngagement(env.db, ids.member!, project, { start: '2026-09-01' });
  });
  afterEach(async () => { await env.close(); });

  it('fetches candidates with the facts the ranking needs', async () => {
    const p = { id: project, organisation_id: org };
    const all = await suggestionCandidates(env.db, p, [wp, seo]);
    expect(all.map((c) => c.personId).sort()).to.deep.equal([ids.expert, ids.basic, ids.veteran, ids.member].sort());
    const vera = all.find((c) => c.personId === ids.veteran)!;
    expect(vera).to.include({ orgEngagements: 1, averageRating: 5, lastEngagementAt: monthsAgo(7), onProject: false });
    expect(vera.evidence.map((e) => e.title)).to.deep.equal(['Old website']);
    expect(all.find((c) => c.personId === ids.member)!.onProject).to.equal(true);
    expect(await suggestionCandidates(env.db, p, [])).to.deep.equal([]);
    expect((await suggestionCandidates(env.db, p, [wp, seo], ids.dnc)).length).to.equal(0);
  });

  it('ranks people with reasons; do-not-contact, unskilled and team members never appear', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get(`/projects/${project}/suggestions`);
    expect(res.status).to.equal(200);
    const text = res.text;
    for (const absent of ['Nichtkontakt', 'Nils Ohne', 'Max Mitglied']) expect(text).to.not.contain(absent);
    const order = ['Erika Expertin', 'Vera Veteranin', 'Bernd Basis'].map((n) => text.indexOf(n));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(text).to.contain('covers 2 of 2 needed skills');
    expect(text).to.contain('used in <a href="/projects/');
    expect(text).to.contain('Helped Tafel before (1×)');
    expect(text).to.contain('below the needed level');
    // viewers read but get no button
    expect(text).to.not.contain('Add to the team');
  });

  it('one click turns a suggestion into an engagement, with a default role, then back to the project', async () => {
    const s = await login(env, 's@example.org', 'staff', org);
    expect((await s.agent.get(`/projects/${project}/suggestions`)).text).to.contain('Add to the team');
    const res = await s.post(`/projects/${project}/suggestions`, { person_id: String(ids.expert) });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/projects/${project}`);
    const e = await env.db('engagements').where({ person_id: ids.expert, project_id: project }).first();
    expect(e).to.include({ role: 'WordPress, SEO', start_date: '2026-09-01' });
    const audit = await env.db('audit_log').where({ entity_type: 'engagement', entity_id: e.id }).first();
    expect(JSON.parse(audit.changes).via.source).to.equal('suggestion');
    expect((await s.agent.get(res.headers.location)).text).to.contain('Erika Expertin was added to the team of New website.');
    // now on the team: no longer suggested
    expect((await s.agent.get(`/projects/${project}/suggestions`)).text).to.not.contain('Erika Expertin');
  });

  it('a do-not-contact person, a team member or nonsense cannot be engaged this way', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    for (const person of [String(ids.dnc), String(ids.member), String(ids.none), 'abc', '']) {
      const res = await m.post(`/projects/${project}/suggestions`, { person_id: person });
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/projects/${project}/suggestions`);
    }
    expect(await env.db('engagements').where({ project_id: project }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('staff of another organisation and viewers get 403 on the POST; 404 for a missing project', async () => {
    const s = await login(env, 's@example.org', 'staff', otherOrg);
    expect((await s.agent.get(`/projects/${project}/suggestions`)).text).to.not.contain('Add to the team');
    expect((await s.post(`/projects/${project}/suggestions`, { person_id: String(ids.expert) })).status).to.equal(403);
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.post(`/projects/${project}/suggestions`, { person_id: String(ids.expert) })).status).to.equal(403);
    expect((await v.agent.get('/projects/999/suggestions')).status).to.equal(404);
    expect(await env.db('engagements').where({ person_id: ids.expert }).first()).to.equal(undefined);
  });

  it('a project without needed skills explains why nobody is suggested', async () => {
    const bare = await addProject(env.db, org, 'Bare');
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get(`/projects/${bare}/suggestions`)).text).to.contain('This project has no needed skills yet');
  });
});
