import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { onPostgres } from '../support/pg.js';
import { buildNetwork, type Network } from './network.js';
import { findPeople, forgetSnapshot, snapshotState } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { reindexPeople } from '../../src/search/index.queries.js';
import { mergeSkills, updateSkill } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';

const QUERIES: Record<string, unknown>[] = [
  {}, { q: 'schm' }, { skill: 'SEO' }, { skill: ['SEO', 'WordPress'], match: 'any' }, { skill: ['SEO', 'WordPress'] }, { city: 'Berlin' },
  { tag: 'web' }, { language: 'german' }, { org: '1' }, { active: '5' }, { dnc: '1' }, { kind: 'volunteer' }, { skill: 'Newsletter', level: '2' },
];
const SORTS = ['relevance', 'name', 'recently_added', 'recent_engagement'];

describe('search snapshot: patched in place equals loaded afresh', () => {
  let db: Knex;
  let net: Network;
  before(async () => {
    db = await testDb();
    net = await buildNetwork(db);
  });
  after(async () => { await db.destroy(); });

  async function answers(): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const params of QUERIES) {
      for (const sort of SORTS) {
        const r = await findPeople(db, parsePeopleFilters({ ...params, sort }), { pageSize: 3, today: new Date('2026-11-27T12:00:00Z') });
        const all = await findPeople(db, parsePeopleFilters({ ...params, sort, page: '2' }), { pageSize: 3, today: new Date('2026-11-27T12:00:00Z') });
        out.push({ params, sort, total: r.total, ids: r.rows.map((x) => x.id), page2: all.rows.map((x) => x.id), facets: r.facets });
      }
    }
    return out;
  }

  it('after edits, additions, deletions and a merge', async () => {
    await answers(); // loads the snapshot
    const now = new Date().toISOString();
    await db('people').where({ id: net.people.anna }).update({ last_name: 'Aaberg', city: 'Hamburg', city_norm: 'hamburg', created_at: '2030-01-01T00:00:00.000Z' });
    await db('people').where({ id: net.people.ben }).update({ do_not_contact: 1 });
    await db('people').where({ id: net.people.emil }).update({ do_not_contact: 0, languages: 'German, Polish' });
    await db('person_skills').where({ person_id: net.people.clara }).del();
    await db('person_skills').insert({ person_id: net.people.clara, skill_id: net.skills.seo, level: 2 });
    const newIds: number[] = [];
    for (const [first, last] of [['Zoë', 'Schmal'], ['Ali', 'Özdemir'], ['Bea', 'Schmitt']]) {
      const [row] = await db('people').insert({ first_name: first, last_name: last, city: 'Berlin', city_norm: 'berlin', languages: 'German', created_at: now, updated_at: now }).returning('id');
      newIds.push(typeof row === 'object' ? row.id : row);
    }
    await db('person_skills').insert([{ person_id: newIds[0], skill_id: net.skills.wp, level: 3 }, { person_id: newIds[1], skill_id: net.skills.newsletter, level: 2 }]);
    const webTag = (await db('tags').where({ name_norm: 'web' }).first()).id;
    await db('person_tags').insert({ person_id: newIds[2], tag_id: webTag });
    const project = (await db('projects').first()).id;
    await db('engagements').insert({ person_id: newIds[1], project_id: project, start_date: '2026-01-01', end_date: '2026-02-01', created_at: now, updated_at: now });
    await db('people').where({ id: net.people.greta }).del();
    await mergeSkills(db, SYSTEM_ACTOR, net.skills.photo, net.skills.seo);
    await reindexPeople(db, [...Object.values(net.people), ...newIds]);

    const patched = await answers();
    const state = snapshotState(db);
    expect(state!.patched, 'the snapshot was patched, not reloaded').to.be.greaterThan(5);
    forgetSnapshot(db);
    const fresh = await answers();
    expect(snapshotState(db)!.patched).to.equal(0);
    patched.forEach((p, i) => expect(p, JSON.stringify((p as { params: unknown; sort: string }).params) + (p as { sort: string }).sort).to.deep.equal(fresh[i]));
    // and the edits show
    const berlin = await findPeople(db, parsePeopleFilters({ city: 'Berlin', sort: 'name' }), { pageSize: 50 });
    expect(berlin.rows.map((r) => r.last_name)).to.deep.equal(['Müller', 'Özdemir', 'Schmal', 'Schmitt', 'Weber']);
  });

  it('a renamed skill is found by its new name at once (text-only changes move the version too)', async () => {
    const q = parsePeopleFilters({ q: 'elektropost' });
    expect((await findPeople(db, q)).total).to.equal(0);
    expect((await findPeople(db, q)).total).to.equal(0); // now cached
    await updateSkill(db, SYSTEM_ACTOR, net.skills.newsletter, { name: 'Newsletter', name_de: 'Rundbrief', category_id: null, description: null, aliases: ['Elektropost'] });
    expect((await findPeople(db, q)).rows.map((r) => r.first_name).sort()).to.deep.equal(['Ali', 'Anna', 'Fatma']);
  });

  it('stays correct (reloading every time) when a migration dropped the change triggers', async () => {
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      await db.raw(onPostgres ? 'ALTER TABLE people DISABLE TRIGGER search_changes_people' : 'DROP TRIGGER search_changes_people_update');
      forgetSnapshot(db);
      const q = parsePeopleFilters({ city: 'Atlantis' });
      expect((await findPeople(db, q)).total).to.equal(0);
      await db('people').where({ id: net.people.jurgen }).update({ city: 'Atlantis', city_norm: 'atlantis' });
      expect((await findPeople(db, q)).rows.map((r) => r.first_name)).to.deep.equal(['Jürgen']);
      expect(String(logged[0])).to.match(/triggers .* are missing/);
    } finally {
      console.error = original;
      await db.raw(onPostgres ? 'ALTER TABLE people ENABLE TRIGGER search_changes_people'
        : `CREATE TRIGGER search_changes_people_update AFTER UPDATE ON people BEGIN INSERT INTO search_changes (person_id) VALUES (NEW.id); END`);
      forgetSnapshot(db);
    }
  });

  it('many changes at once reload instead of patching', async () => {
    await findPeople(db, parsePeopleFilters({}));
    const now = new Date().toISOString();
    const rows = Array.from({ length: 2100 }, (_, i) => ({ first_name: `N${i}`, last_name: 'Many', created_at: now, updated_at: now }));
    await db.batchInsert('people', rows, 200);
    const r = await findPeople(db, parsePeopleFilters({ sort: 'name' }));
    expect(snapshotState(db)!.patched).to.equal(0);
    expect(r.total).to.be.greaterThan(2100);
  });
});
