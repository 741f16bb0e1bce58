import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork, type Network } from './network.js';
import { findAllPeopleIds, findPeople } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { resultOrders } from '../../src/search/results.domain.js';

const QUERIES: Record<string, unknown>[] = [
  {}, { q: 'schm' }, { q: 'seo' }, { skill: 'SEO' }, { skill: ['SEO', 'WordPress'], match: 'any' }, { city: 'Berlin' }, { dnc: '1' },
];
const SORTS = ['relevance', 'name', 'city', 'availability', 'recently_added', 'recent_engagement'];
const PAGE = 2;

// Results kept with their whole order (results.domain.ts) give the same pages as results sorted page by page.
describe('search results keep their order: the same pages as sorting each page', () => {
  let db: Knex;
  let net: Network;
  const saved = { ...resultOrders };
  before(async () => {
    db = await testDb();
    net = await buildNetwork(db);
  });
  after(async () => {
    Object.assign(resultOrders, saved);
    await db.destroy();
  });

  /** Every page of a question, last page first (so the order is kept by a later page and reused by the first). */
  async function pages(params: Record<string, unknown>): Promise<number[]> {
    const first = await findPeople(db, parsePeopleFilters(params), { pageSize: PAGE });
    const out: number[][] = [];
    for (let p = first.pages; p >= 1; p--) out[p - 1] = (await findPeople(db, parsePeopleFilters({ ...params, page: String(p) }), { pageSize: PAGE })).rows.map((r) => r.id);
    return out.flat();
  }

  async function allAnswers(): Promise<Record<string, number[]>> {
    const out: Record<string, number[]> = {};
    for (const params of QUERIES) for (const sort of SORTS) out[JSON.stringify({ ...params, sort })] = await pages({ ...params, sort });
    return out;
  }

  it('every question in every order, before and after a change of names and dates', async () => {
    for (const round of [0, 1]) {
      if (round) {
        // changes every order: a name, a city, an availability, a date and a skill level; the kept orders must not be reused
        await db('people').where({ id: net.people.ben }).update({ last_name: 'Aaberg', city: 'Aachen', city_norm: 'aachen', availability: 'unavailable', created_at: '2030-01-01T00:00:00.000Z' });
        await db('person_skills').where({ person_id: net.people.fatma, skill_id: net.skills.seo }).update({ level: 1 });
      }
      Object.assign(resultOrders, { from: 1, share: 0 });
      const kept = await allAnswers();
      Object.assign(resultOrders, { from: Infinity });
      const sorted = await allAnswers();
      for (const [key, ids] of Object.entries(kept)) {
        expect(ids, key).to.deep.equal(sorted[key]);
        const { sort, ...params } = JSON.parse(key) as Record<string, unknown>;
        expect(ids, `${key}: all ids in order`).to.deep.equal(await findAllPeopleIds(db, parsePeopleFilters({ ...params, sort })));
      }
      if (round) expect(kept[JSON.stringify({ sort: 'name' })]![0], 'the renamed person comes first by name').to.equal(net.people.ben);
    }
  });
});
