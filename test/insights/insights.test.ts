import { expect } from 'chai';
import type { Knex } from 'knex';
import { login, testDb, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill, monthsAgo } from '../support/network.js';
import { coverageChart, niceMax, shiftMonths, skillCoverage } from '../../src/insights/insights.domain.js';
import { skillDemandAndSupply } from '../../src/insights/insights.queries.js';
import { homeCounts } from '../../src/home/home.queries.js';

/**
 * A small known network. Demand: WordPress 3 (open, running, recent), SEO 2 (open, recent idea), Design 1 (recent);
 * Fundraising and Video none (old, cancelled, undated idea). Supply: WordPress 3, SEO 1, Design 0.
 */
async function buildNetwork(db: Knex) {
  const org = await addOrganisation(db, 'Tafel');
  const s = {
    wp: await addSkill(db, 'WordPress'), seo: await addSkill(db, 'SEO', 'Suchmaschinenoptimierung'), design: await addSkill(db, 'Design'),
    video: await addSkill(db, 'Video'), fund: await addSkill(db, 'Fundraising'),
  };
  const p1 = await addProject(db, org, 'P1 open', { status: 'open', kind: 'consulting', needs: [[s.wp, 1], [s.seo, 1]] });
  const p2 = await addProject(db, org, 'P2 running', { status: 'running', start: monthsAgo(5), needs: [[s.wp, 2]] });
  const p3 = await addProject(db, org, 'P3 recent', { status: 'done', start: monthsAgo(3), end: monthsAgo(2), needs: [[s.design, 1], [s.wp, 1]] });
  await addProject(db, org, 'P4 old', { status: 'done', start: monthsAgo(20), needs: [[s.fund, 1]] });
  await addProject(db, org, 'P5 cancelled', { status: 'cancelled', kind: 'mixed', start: monthsAgo(2), needs: [[s.video, 1]] });
  await addProject(db, org, 'P6 idea', { status: 'idea', start: monthsAgo(1), needs: [[s.seo, 2]] });
  await addProject(db, org, 'P7 undated idea', { status: 'idea', needs: [[s.fund, 1]] });
  const p8 = await addProject(db, org, 'P8 long ago', { status: 'done', start: monthsAgo(31), end: monthsAgo(30) });
  void p1;
  const a = await addPerson(db, 'A', 'Active', { skills: [[s.wp, 2]] });
  await addEngagement(db, a, p3, { start: monthsAgo(3), end: monthsAgo(2), hours: 10 });
  const b = await addPerson(db, 'B', 'Confirmed', { skills: [[s.wp, 1], [s.seo, 3]], confirmed: `${monthsAgo(6)}T10:00:00.000Z` });
  await addEngagement(db, b, p8, { start: monthsAgo(31), end: monthsAgo(30), hours: 5.5 });
  const c = await addPerson(db, 'C', 'Dormant', { skills: [[s.wp, 3]] });
  await addEngagement(db, c, p8, { end: monthsAgo(30) });
  const d = await addPerson(db, 'D', 'Donotcontact', { skills: [[s.seo, 2], [s.design, 3]], dnc: true });
  await addEngagement(db, d, p2, { start: monthsAgo(1), hours: 4 });
  await addPerson(db, 'E', 'Stale', { skills: [[s.design, 2]], confirmed: monthsAgo(25) });
  const f = await addPerson(db, 'F', 'Undated', { skills: [[s.wp, 1]] });
  await addEngagement(db, f, p2, {});
  return s;
}

describe('skills coverage on a known network', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  it('counts demand and supply per skill as documented, gaps first', async () => {
    const s = await buildNetwork(db);
    const today = new Date().toISOString().slice(0, 10);
    const counts = await skillDemandAndSupply(db, today);
    const bySkill = Object.fromEntries(counts.map((c) => [c.skillId, [c.demand, c.supply]]));
    expect(bySkill).to.deep.equal({ [s.wp]: [3, 3], [s.seo]: [2, 1], [s.design]: [1, 0] });
    const rows = skillCoverage(counts);
    expect(rows.map((r) => [r.name, r.gap, r.shortfall])).to.deep.equal([['Design', true, 1], ['SEO', true, 1], ['WordPress', false, 0]]);
  });

  it('has nothing to compare on an empty network', async () => {
    expect(await skillDemandAndSupply(db, '2026-01-01')).to.deep.equal([]);
  });

  it('home counts: people, active in the last year, projects by kind, hours given', async () => {
    await buildNetwork(db);
    const c = await homeCounts(db, monthsAgo(12));
    expect(c).to.deep.include({ people: 6, activeLastYear: 3, organisations: 1, projects: 8, hoursGiven: 19.5 });
    expect(c.projectsByKind).to.deep.equal([{ kind: 'consulting', n: 1 }, { kind: 'implementation', n: 6 }, { kind: 'mixed', n: 1 }]);
  });
});

describe('coverage domain', () => {
  it('orders by people per project, then demand, then name', () => {
    const rows = skillCoverage([
      { skillId: 1, name: 'B', name_de: null, demand: 2, supply: 4 },
      { skillId: 2, name: 'A', name_de: null, demand: 4, supply: 8 },
      { skillId: 3, name: 'C', name_de: null, demand: 1, supply: 0 },
      { skillId: 4, name: 'D', name_de: null, demand: 0, supply: 9 },
    ]);
    expect(rows.map((r) => r.skillId)).to.deep.equal([3, 2, 1]);
  });

  const shifts: [string, number, string][] = [
    ['2026-03-31', -1, '2026-02-28'], ['2024-02-29', -12, '2023-02-28'], ['2026-01-15', -24, '2024-01-15'], ['2025-12-10', 1, '2026-01-10'],
  ];
  for (const [from, by, to] of shifts) it(`shiftMonths(${from}, ${by}) = ${to}`, () => expect(shiftMonths(from, by)).to.equal(to));

  it('scales bars on a nice shared axis', () => {
    expect([0, 1, 3, 10, 11, 49, 51].map(niceMax)).to.deep.equal([1, 1, 5, 10, 20, 50, 100]);
    const chart = coverageChart([{ label: 'X', demand: 5, supply: 10, gap: false }, { label: 'Y', demand: 2, supply: 0, gap: true }], { plotWidth: 400 });
    expect(chart.bars.map((b) => [b.demandWidth, b.supplyWidth])).to.deep.equal([[200, 400], [80, 0]]);
    expect(chart.ticks.map((t) => t.value)).to.deep.equal([0, 2, 4, 6, 8, 10]);
    expect(coverageChart([{ label: 'Z', demand: 2, supply: 1, gap: true }]).ticks.map((t) => t.value)).to.deep.equal([0, 1, 2]);
    expect(chart.bars[1]!.y).to.be.greaterThan(chart.bars[0]!.y);
  });
});

describe('/insights and / pages', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('/insights draws an accessible SVG chart with a table beside it, gaps first', async () => {
    await buildNetwork(env.db);
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get('/insights');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(res.text).to.contain('<title id="chart-title">').and.contain('<desc id="chart-desc">');
    expect(res.text).to.not.match(/<script(?! src)/);
    const table = res.text.slice(res.text.indexOf('<table'));
    const order = ['Design', 'SEO', 'WordPress'].map((n) => table.indexOf(`>${n}</a>`));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    expect(res.text).to.contain('3 skills in demand, 2 of them with a gap.');
  });

  it('/insights in German uses the German skill names', async () => {
    await buildNetwork(env.db);
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get('/insights').set('Accept-Language', 'de');
    expect(res.text).to.contain('Suchmaschinenoptimierung').and.contain('Aktive Personen');
  });

  it('/insights explains itself on an empty network', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get('/insights');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('nothing to compare').and.not.contain('<svg xmlns');
  });

  it('the home page shows the counts and the main actions, with a spot for saved searches', async () => {
    await buildNetwork(env.db);
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.agent.get('/');
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<span class="n">6<\/span> <a href="\/people">people/);
    expect(res.text).to.match(/<span class="n">3<\/span> active in the last year/);
    expect(res.text).to.match(/<span class="n">19\.5<\/span> hours given/);
    expect(res.text).to.match(/<span class="n">6<\/span> <a href="\/projects\?kind=implementation">Implementation projects/);
    expect(res.text).to.contain('href="/projects/new"').and.contain('href="/insights"');
    expect(res.text).to.not.contain('Getting started');
  });

  it('the home page of an empty network shows how to start', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.get('/');
    expect(res.text).to.contain('Getting started').and.contain('skillnet seed demo');
  });
});
