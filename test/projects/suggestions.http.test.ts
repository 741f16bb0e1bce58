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

  it('adds a suggestion to the shortlist (not the team), back to the same page, and marks it there', async () => {
    const s = await login(env, 's@example.org', 'staff', org);
    expect((await s.agent.get(`/projects/${project}/suggestions`)).text).to.contain('Add to shortlist');
    const back = `/projects/${project}/suggestions?availability=available`;
    const res = await s.post(`/projects/${project}/shortlist`, { person_id: String(ids.expert), return: back });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(back);
    expect(await env.db('engagements').where({ person_id: ids.expert, project_id: project }).first()).to.equal(undefined);
    expect(await env.db('shortlist_entries').where({ person_id: ids.expert, project_id: project }).first('state')).to.deep.equal({ state: 'shortlisted' });
    const page = (await s.agent.get(back)).text;
    expect(page).to.contain('1 person added to the shortlist of New website.');
    expect(page).to.contain('On the shortlist: Shortlisted');
  });

  it('adds several ticked suggestions at once; do-not-contact, unknown ids and nonsense are not added', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post(`/projects/${project}/shortlist`, { ids: [String(ids.basic), String(ids.veteran), String(ids.dnc), '99999', 'abc'], return: 'https://evil.example/' });
    expect(res.headers.location).to.equal(`/projects/${project}/shortlist`);
    expect((await env.db('shortlist_entries').where({ project_id: project }).orderBy('person_id').pluck('person_id')).map(Number))
      .to.deep.equal([ids.basic, ids.veteran].sort((a, b) => a! - b!));
    const nobody = await m.post(`/projects/${project}/shortlist`, { person_id: 'abc' });
    expect(nobody.status).to.equal(302);
    expect((await m.agent.get(nobody.headers.location)).text).to.contain('Choose at least one person.');
  });

  it('staff of another organisation and viewers get 403 on adding; 404 for a missing project', async () => {
    const s = await login(env, 's@example.org', 'staff', otherOrg);
    expect((await s.agent.get(`/projects/${project}/suggestions`)).text).to.not.contain('Add to shortlist');
    expect((await s.post(`/projects/${project}/shortlist`, { person_id: String(ids.expert) })).status).to.equal(403);
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.post(`/projects/${project}/shortlist`, { person_id: String(ids.expert) })).status).to.equal(403);
    expect((await v.agent.get('/projects/999/suggestions')).status).to.equal(404);
    expect(await env.db('shortlist_entries').where({ person_id: ids.expert }).first()).to.equal(undefined);
  });

  it('pages through every candidate and narrows by city or remote, availability and coverage', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      first_name: 'Extra', last_name: `Person${String(i).padStart(2, '0')}`, name_norm: `extra person${i}`, city: i < 5 ? 'Köln' : 'Bonn',
      city_norm: i < 5 ? 'koln' : 'bonn', availability: i % 2 ? 'limited' : 'available', created_at: 'x', updated_at: 'x',
    }));
    await env.db('people').insert(rows);
    const extra = (await env.db('people').where('first_name', 'Extra').orderBy('last_name').pluck('id')).map(Number);
    await env.db('person_skills').insert(extra.map((id) => ({ person_id: id, skill_id: wp, level: 2 })));
    const [tag] = await env.db('tags').insert({ name: 'Remote only', name_norm: 'remote only' }).returning('id');
    await env.db('person_tags').insert({ person_id: extra[39], tag_id: typeof tag === 'object' ? tag.id : tag });
    const v = await login(env, 'v@example.org', 'viewer');
    const names = (html: string) => [...html.matchAll(/<h2><a href="\/people\/(\d+)">/g)].map((m) => Number(m[1]));
    const p1 = await v.agent.get(`/projects/${project}/suggestions`);
    expect(p1.text).to.contain('Suggestions 1–30 of 43');
    const p2 = await v.agent.get(`/projects/${project}/suggestions?page=2`);
    expect(p2.text).to.contain('Suggestions 31–43 of 43');
    expect(new Set([...names(p1.text), ...names(p2.text)]).size).to.equal(43);
    const koeln = names((await v.agent.get(`/projects/${project}/suggestions?city=KOLN`)).text);
    expect(koeln.sort()).to.deep.equal(extra.slice(0, 5).sort());
    const orRemote = names((await v.agent.get(`/projects/${project}/suggestions?city=K%C3%B6ln&remote=1`)).text);
    expect(orRemote.sort()).to.deep.equal([...extra.slice(0, 5), extra[39]].sort());
    const limited = names((await v.agent.get(`/projects/${project}/suggestions?city=koln&availability=limited`)).text);
    expect(limited.sort()).to.deep.equal([extra[1], extra[3]].sort());
    const both = await v.agent.get(`/projects/${project}/suggestions?cover=2`);
    expect(names(both.text)).to.deep.equal([ids.expert]);
    expect(both.text).to.contain('<option value="2" selected>');
    const none = await v.agent.get(`/projects/${project}/suggestions?city=Atlantis`);
    expect(none.text).to.contain('Nobody matches these filters.');
  });

  it('a planned engagement reads "planned for", a past one "… ago"; people asked for another project lately are marked', async () => {
    const future = await addProject(env.db, otherOrg, 'Next year', { start: '2099-03-01' });
    await addEngagement(env.db, ids.basic!, future, { start: '2099-03-01' });
    const other = await addProject(env.db, otherOrg, 'Festival');
    await env.db('shortlist_entries').insert({ project_id: other, person_id: ids.expert, state: 'asked', asked_at: new Date().toISOString(), created_at: 'x', updated_at: 'x' });
    const v = await login(env, 'v@example.org', 'viewer');
    const html = (await v.agent.get(`/projects/${project}/suggestions`)).text;
    expect(html).to.contain('Engagement planned for 01/03/2099');
    expect(html).to.not.contain('0 months ago');
    expect(html).to.match(/Last engagement \d\d\/\d\d\/\d{4} \(\d+ months ago\)/);
    expect(html).to.contain('Asked for Festival on');
  });

  it('a project without needed skills explains why nobody is suggested', async () => {
    const bare = await addProject(env.db, org, 'Bare');
    const v = await login(env, 'v@example.org', 'viewer');
    expect((await v.agent.get(`/projects/${bare}/suggestions`)).text).to.contain('This project has no needed skills yet');
  });
});
