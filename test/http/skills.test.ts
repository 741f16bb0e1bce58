import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';

describe('skills screens over HTTP', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a manager adds a skill with a German name and aliases; all names find it', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/skills', { name: 'Search engine optimisation', name_de: 'Suchmaschinenoptimierung', aliases: 'SEO, seo, Search engine optimisation' });
    expect(res.status).to.equal(302);
    const aliases = await env.db('skill_aliases').orderBy('alias').pluck('alias');
    expect(aliases).to.deep.equal(['SEO', 'Suchmaschinenoptimierung']);
    const list = await m.agent.get('/skills');
    expect(list.text).to.contain('Suchmaschinenoptimierung');
  });

  it('refuses a name that is already another skill’s alias (422)', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/skills', { name: 'WordPress', aliases: 'WP' });
    const res = await m.post('/skills', { name: 'wp' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('already the name or alias');
    expect(await env.db('skills').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('merges "Wordpress" into "WordPress": links move, the old name becomes an alias', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/skills', { name: 'WordPress' });
    await m.post('/skills', { name: 'Word-Press site building' });
    const [into, from] = await env.db('skills').orderBy('id').pluck('id');
    await m.post('/people', { first_name: 'Ana', last_name: 'López', skill_id: [String(from)], skill_level: ['2'] });
    await m.post('/people', { first_name: 'Ben', last_name: 'Braun', skill_id: [String(from), String(into)], skill_level: ['3', '1'] });
    const confirm = await m.agent.get(`/skills/${from}/merge`);
    expect(confirm.status).to.equal(200);
    const res = await m.post(`/skills/${from}/merge`, { into: String(into) });
    expect(res.status).to.equal(302);
    expect(await env.db('skills').where({ id: from }).first()).to.equal(undefined);
    const links = await env.db('person_skills').where({ skill_id: into }).orderBy('person_id').select('level');
    expect(links.map((l) => l.level)).to.deep.equal([2, 3]);
    expect(await env.db('skill_aliases').where({ skill_id: into }).pluck('alias')).to.include('Word-Press site building');
    const found = await m.agent.get('/people?skill=Word-Press%20site%20building');
    expect(found.text).to.contain('Ana López');
    expect(found.text).to.contain('Ben Braun');
    const byText = await m.agent.get('/people?q=site%20building');
    expect(byText.text).to.contain('Ana López');
  });

  it('merging into itself or nothing is a form error', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/skills', { name: 'SEO' });
    const id = (await env.db('skills').first()).id;
    expect((await m.post(`/skills/${id}/merge`, { into: String(id) })).status).to.equal(422);
    expect((await m.post(`/skills/${id}/merge`, { into: '' })).status).to.equal(422);
  });

  it('delete asks first and says how many people use the skill', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/skills', { name: 'SEO' });
    const id = (await env.db('skills').first()).id;
    await m.post('/people', { first_name: 'Ana', last_name: 'L', skill_id: [String(id)], skill_level: ['2'] });
    const page = await m.agent.get(`/skills/${id}/delete`);
    expect(page.text).to.contain('1 people');
    await m.post(`/skills/${id}/delete`, {});
    expect(await env.db('skills').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await env.db('person_skills').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('staff and viewers read skills but cannot change them', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get('/skills')).status).to.equal(200);
    expect((await v.agent.get('/skills/new')).status).to.equal(403);
    expect((await v.post('/skills', { name: 'X' })).status).to.equal(403);
  });
});
