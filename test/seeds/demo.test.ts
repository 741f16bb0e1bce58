import { expect } from 'chai';
import type { Knex } from 'knex';
import { rawRows } from '../../src/db.js';
import { reindexPeople } from '../../src/search/index.queries.js';
import { textMatchIds } from '../../src/search/search.queries.js';
import { DemoRefusedError, demoScale, seedDemo, type DemoSummary } from '../../seeds/demo.js';
import { TAXONOMY_SKILLS } from '../../seeds/taxonomy.js';
import { testDb } from '../support/app.js';

const TODAY = '2026-11-27';
const one = async (db: Knex, sql: string, bindings: Knex.RawBinding[] = []) => Object.values((await rawRows(db, sql, bindings))[0] ?? {})[0];

describe('seeds: demo network (300 people)', () => {
  let db: Knex;
  let summary: DemoSummary;
  before(async () => {
    db = await testDb();
    summary = await seedDemo(db, { people: 300, seed: 7, today: TODAY });
  });
  after(async () => { await db.destroy(); });

  it('builds 300 people, 30 organisations, 80 projects and engagements, with the taxonomy', async () => {
    expect(await one(db, 'select count(*) from people')).to.equal(300);
    expect(await one(db, 'select count(*) from organisations')).to.equal(30);
    expect(await one(db, 'select count(*) from projects')).to.equal(80);
    const engagements = Number(await one(db, 'select count(*) from engagements'));
    expect(engagements).to.be.within(150, 400);
    expect(summary).to.include({ people: 300, organisations: 30, projects: 80, engagements });
    expect(await one(db, 'select count(*) from skills')).to.equal(TAXONOMY_SKILLS.length);
    expect(demoScale(100_000)).to.deep.equal({ organisations: 2000, projects: 26667 });
  });

  it('gives every person 1–6 skills with levels 1–4, and unique e-mails', async () => {
    expect(await one(db, 'select count(*) from people p where (select count(*) from person_skills s where s.person_id = p.id) not between 1 and 6')).to.equal(0);
    expect(await one(db, 'select count(*) from person_skills where level not between 1 and 4')).to.equal(0);
    const levels = await db('person_skills').distinct('level').pluck('level');
    expect(levels.sort()).to.deep.equal([1, 2, 3, 4]);
    const withEmail = Number(await one(db, 'select count(*) from people where email is not null'));
    expect(withEmail).to.be.greaterThan(250);
    expect(await one(db, 'select count(distinct email_norm) from people')).to.equal(withEmail);
    expect(await one(db, 'select count(*) from people where email_norm != lower(email)')).to.equal(0);
  });

  it('has names with umlauts and accents, several cities and all three kinds', async () => {
    const names: string[] = (await db('people').select('first_name', 'last_name')).map((p) => `${p.first_name} ${p.last_name}`);
    expect(names.filter((n) => /[^\x00-\x7f]/.test(n)).length).to.be.greaterThan(50);
    expect(names.some((n) => /Müller$/.test(n))).to.equal(true);
    expect(Number(await one(db, 'select count(distinct city) from people'))).to.be.greaterThan(10);
    expect((await db('people').distinct('kind').pluck('kind')).sort()).to.deep.equal(['both', 'freelancer', 'volunteer']);
    expect(await one(db, "select count(*) from people where city = 'München' and city_norm = 'munchen'")).to.be.greaterThan(0);
  });

  it('keeps ratings within 1–5, handover within yes/partly/no, and engagement dates inside their project', async () => {
    expect(await one(db, 'select count(*) from engagements where rating is not null and rating not between 1 and 5')).to.equal(0);
    expect(Number(await one(db, 'select count(*) from engagements where rating is not null'))).to.be.greaterThan(50);
    expect(await one(db, "select count(*) from engagements where handover is not null and handover not in ('yes', 'partly', 'no')")).to.equal(0);
    expect(await one(db, `select count(*) from engagements e join projects p on p.id = e.project_id
      where e.start_date is null or p.start_date is null or e.start_date < p.start_date or e.start_date > p.end_date
         or (e.end_date is not null and (e.end_date > p.end_date or e.end_date < e.start_date))`)).to.equal(0);
    expect(await one(db, 'select count(*) from engagements where not paid and rate is not null')).to.equal(0);
    expect(Number(await one(db, 'select count(*) from engagements where paid and rate > 0'))).to.be.greaterThan(0);
  });

  it('gives projects statuses that fit their dates, and needed skills', async () => {
    expect(await one(db, `select count(*) from projects where
      (status = 'done' and end_date > ?) or (status = 'running' and (start_date > ? or end_date < ?))
      or (status in ('idea', 'open') and start_date <= ?) or (status = 'cancelled' and end_date > ?)`, [TODAY, TODAY, TODAY, TODAY, TODAY])).to.equal(0);
    const statuses = await db('projects').distinct('status').pluck('status');
    expect(statuses).to.include.members(['done', 'running']);
    expect(await one(db, 'select count(*) from projects p where not exists (select 1 from project_skills s where s.project_id = p.id)')).to.equal(0);
    expect(await one(db, 'select min(start_date) from projects')).to.match(/^2021-/);
  });

  it('usually engages people who have a needed skill, and records when they last used it', async () => {
    const total = Number(await one(db, 'select count(*) from engagements'));
    const matching = Number(await one(db, `select count(*) from engagements e where exists (select 1 from person_skills ps
      join project_skills pk on pk.skill_id = ps.skill_id where ps.person_id = e.person_id and pk.project_id = e.project_id)`));
    expect(matching / total).to.be.greaterThan(0.8);
    expect(Number(await one(db, 'select count(*) from person_skills where last_used_at is not null'))).to.be.greaterThan(50);
    // last_used_at is the latest end (or today) of an engagement on a project needing that skill
    expect(await one(db, `select count(*) from person_skills ps where ps.last_used_at is not null and ps.last_used_at != (
      select max(case when coalesce(e.end_date, ?) < ? then coalesce(e.end_date, ?) else ? end) from engagements e join project_skills pk on pk.project_id = e.project_id
      where e.person_id = ps.person_id and pk.skill_id = ps.skill_id and e.start_date <= ?)`, [TODAY, TODAY, TODAY, TODAY, TODAY])).to.equal(0);
  });

  it('indexes everyone for search: muller finds a Müller, and the document is the one reindexPeople writes', async () => {
    expect(await one(db, 'select count(*) from people_fts')).to.equal(300);
    const hits = await textMatchIds(db, 'muller');
    expect(hits.length).to.be.greaterThan(0);
    const lastNames = await db('people').whereIn('id', hits).pluck('last_name');
    expect(lastNames).to.include('Müller');
    const ids = await db('people').orderBy('id').limit(20).pluck('id');
    const before = await db('people_fts').whereIn('rowid', ids).orderBy('rowid').select('rowid', 'doc');
    await reindexPeople(db, ids);
    const after = await db('people_fts').whereIn('rowid', ids).orderBy('rowid').select('rowid', 'doc');
    const lines = (rows: { rowid: number; doc: string }[]) => rows.map((r) => [r.rowid, r.doc.split(' \n ').sort()]);
    expect(lines(before)).to.deep.equal(lines(after));
  });

  it('refuses to run on a database that has people', async () => {
    let err: unknown;
    try {
      await seedDemo(db, { people: 10 });
    } catch (e) { err = e; }
    expect(err).to.be.instanceOf(DemoRefusedError);
    expect((err as Error).message).to.match(/without people.*has 300/);
    expect(await one(db, 'select count(*) from people')).to.equal(300);
  });
});

describe('seeds: demo network is deterministic', () => {
  const snapshot = async (seed: number) => {
    const db = await testDb();
    try {
      await seedDemo(db, { people: 120, seed, today: TODAY });
      return {
        people: await db('people').orderBy('id').select('first_name', 'last_name', 'email', 'city', 'kind', 'created_at', 'last_confirmed_at'),
        skills: await db('person_skills').orderBy(['person_id', 'skill_id']).select('person_id', 'skill_id', 'level', 'last_used_at'),
        projects: await db('projects').orderBy('id').select('organisation_id', 'title', 'status', 'start_date', 'end_date'),
        engagements: await db('engagements').orderBy('id').select('person_id', 'project_id', 'role', 'hours', 'rating'),
      };
    } finally {
      await db.destroy();
    }
  };

  it('the same seed gives the same network; another seed a different one', async () => {
    const a = await snapshot(42);
    const b = await snapshot(42);
    const c = await snapshot(43);
    expect(a).to.deep.equal(b);
    expect(a.people).to.not.deep.equal(c.people);
    expect(a.people).to.have.length(120);
  });

  it('rejects a people count that is not a positive whole number', async () => {
    const db = await testDb();
    try {
      for (const people of [0, -1, 1.5]) {
        let err: unknown;
        try { await seedDemo(db, { people }); } catch (e) { err = e; }
        expect(err, String(people)).to.be.instanceOf(RangeError);
      }
      expect(await db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    } finally {
      await db.destroy();
    }
  });
});
