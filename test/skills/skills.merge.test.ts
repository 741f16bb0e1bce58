import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { createSkill, listSkillsWithUsage, mergeSkills } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { findPeople } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';

describe('skill hygiene: merging skills', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  const skill = (name: string, name_de: string | null = null, aliases: string[] = []) =>
    createSkill(env.db, SYSTEM_ACTOR, { name, name_de, category_id: null, description: null, aliases });

  async function person(last: string, links: [number, number, string | null][]): Promise<number> {
    const now = new Date().toISOString();
    const [row] = await env.db('people').insert({ first_name: 'P', last_name: last, created_at: now, updated_at: now }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    for (const [skill_id, level, last_used_at] of links) await env.db('person_skills').insert({ person_id: id, skill_id, level, last_used_at });
    return id;
  }

  it('"Suchmaschinenoptimierung" into "SEO": links move, higher level and later use win, names become aliases', async () => {
    const seo = await skill('SEO', null, ['Search engine optimisation']);
    const such = await skill('Suchmaschinenoptimierung', 'Suchmaschinen-Optimierung', ['SuMa']);
    const only = await person('OnlyOld', [[such, 2, null]]);
    const both = await person('Both', [[such, 3, '2024-05-01'], [seo, 1, '2025-01-01']]);
    const neither = await person('NoUse', [[such, 1, null], [seo, 2, null]]);
    const now = new Date().toISOString();
    const org = (await env.db('organisations').insert({ name: 'O', name_norm: 'o', created_at: now, updated_at: now }).returning('id'))[0].id;
    const proj = (await env.db('projects').insert({ organisation_id: org, title: 'P', created_at: now, updated_at: now }).returning('id'))[0].id;
    await env.db('project_skills').insert([{ project_id: proj, skill_id: such, min_level: 2 }, { project_id: proj, skill_id: seo, min_level: 1 }]);

    const moved = await mergeSkills(env.db, SYSTEM_ACTOR, such, seo);
    expect(moved).to.deep.equal({ people: 3, projects: 1 });
    expect(await env.db('skills').where({ id: such }).first()).to.equal(undefined);
    const links = await env.db('person_skills').where({ skill_id: seo }).orderBy('person_id').select('person_id', 'level', 'last_used_at');
    expect(links).to.deep.equal([
      { person_id: only, level: 2, last_used_at: null },
      { person_id: both, level: 3, last_used_at: '2025-01-01' },
      { person_id: neither, level: 2, last_used_at: null },
    ]);
    expect(await env.db('project_skills').where({ project_id: proj }).select('skill_id', 'min_level')).to.deep.equal([{ skill_id: seo, min_level: 2 }]);
    expect((await env.db('skill_aliases').where({ skill_id: seo }).orderBy('alias').pluck('alias')))
      .to.deep.equal(['Search engine optimisation', 'SuMa', 'Suchmaschinen-Optimierung', 'Suchmaschinenoptimierung']);
    for (const name of ['seo', 'suchmaschinenoptimierung', 'SUMA', 'suchmaschinen-optimierung']) {
      expect((await findPeople(env.db, parsePeopleFilters({ skill: name }))).total, name).to.equal(3);
    }
    expect((await findPeople(env.db, parsePeopleFilters({ q: 'suma' }))).total).to.equal(3);
    const usage = await listSkillsWithUsage(env.db);
    expect(usage.map((u) => [u.name, u.people, u.projects])).to.deep.equal([['SEO', 3, 1]]);
    const audit = await env.db('audit_log').where({ action: 'merge' }).first();
    expect(JSON.parse(audit.changes)).to.include({ people: 3, projects: 1 });
  });

  it('refuses to merge a skill into itself', async () => {
    const a = await skill('A');
    let err: unknown;
    await mergeSkills(env.db, SYSTEM_ACTOR, a, a).catch((e) => (err = e));
    expect(String(err)).to.match(/itself/);
  });

  it('over HTTP: a manager merges after a confirmation page; staff and viewers get 403', async () => {
    const wp = await skill('WordPress');
    const old = await skill('Wordpress Websites');
    await person('X', [[old, 2, null]]);
    const s = await login(env, 's@example.org', 'staff');
    expect((await s.agent.get(`/skills/${old}/merge`)).status).to.equal(403);
    expect((await s.post(`/skills/${old}/merge`, { into: String(wp) })).status).to.equal(403);
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.post(`/skills/${old}/merge`, { into: String(wp) })).status).to.equal(403);
    const m = await login(env, 'm@example.org', 'manager');
    const confirm = await m.agent.get(`/skills/${old}/merge`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('1 people and 0 projects move');
    expect((await m.post(`/skills/${old}/merge`, { into: 'nope' })).status).to.equal(422);
    expect((await m.agent.get('/skills/999/merge')).status).to.equal(404);
    const res = await m.post(`/skills/${old}/merge`, { into: String(wp) });
    expect(res.status).to.equal(302);
    const list = await m.agent.get('/skills');
    expect(list.text).to.contain('Wordpress Websites');
    expect((await m.agent.get('/people?skill=Wordpress%20Websites')).text).to.contain('data-total="1"');
  });
});
