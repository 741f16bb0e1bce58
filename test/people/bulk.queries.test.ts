import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { addPerson, addSkill } from '../support/network.js';
import { bulkTag, findBulkChange, undoBulkChange } from '../../src/people/bulk.queries.js';
import { reindexPeople } from '../../src/search/index.queries.js';
import { findPeople } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';

const actor = { userId: null, label: 'test', source: 'cli' as const };

describe('bulk tag queries: one statement per step, in id order, the search index in step', function () {
  this.timeout(20000);
  let db: Knex;
  let ids: number[];
  beforeEach(async () => {
    db = await testDb();
    const seo = await addSkill(db, 'SEO', 'Suchmaschinenoptimierung');
    ids = [];
    for (const [first, last] of [['Ada', 'Lovelace'], ['Bo', 'Berg'], ['Cem', 'Çelik'], ['Dora', 'Dörr']]) ids.push(await addPerson(db, first, last, { skills: [[seo, 2]] }));
    await reindexPeople(db, ids);
  });
  afterEach(() => db.destroy());

  const found = async (q: string) => (await findPeople(db, parsePeopleFilters({ q }))).rows.map((r) => r.id).sort((a, b) => a - b);
  const tagged = async (name: string) => (await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('t.name', name).orderBy('pt.person_id').pluck('pt.person_id')) as number[];

  it('adds a tag to the chosen people in any order (and no one twice), finds them by it, and undo takes exactly that back', async () => {
    const [a, b, c, d] = ids as [number, number, number, number];
    await bulkTag(db, actor, [b], 'Websitebau', true, 'first');
    const change = await bulkTag(db, actor, [d, b, a, 999_999], 'Websitebau', true, 'q=x');
    expect(await tagged('Websitebau')).to.deep.equal([a, b, d]);
    const row = (await findBulkChange(db, change))!;
    expect(JSON.parse(row.changed_ids)).to.deep.equal([a, d]); // b had it already; 999999 does not exist
    expect(row.chosen).to.equal(4);
    expect(await found('websiteb')).to.deep.equal([a, b, d]); // the search document holds the tag
    expect(await found('çelik suchmasch')).to.deep.equal([c]); // and still the rest: names, skills in both languages
    expect(await undoBulkChange(db, actor, row)).to.equal(true);
    expect(await undoBulkChange(db, actor, (await findBulkChange(db, change))!)).to.equal(false);
    expect(await tagged('Websitebau')).to.deep.equal([b]);
    expect(await found('websiteb')).to.deep.equal([b]);
    expect(await found('dorr')).to.deep.equal([d]);
  });

  it('removes a tag from those who have it, and undo puts it back on them only', async () => {
    const [a, b, c] = ids as [number, number, number, number];
    await bulkTag(db, actor, [a, c], 'Alt', true, '');
    const change = await bulkTag(db, actor, [c, b, a], 'Alt', false, '');
    expect(JSON.parse((await findBulkChange(db, change))!.changed_ids)).to.deep.equal([a, c]);
    expect(await tagged('Alt')).to.deep.equal([]);
    expect(await found('alt')).to.deep.equal([]);
    await undoBulkChange(db, actor, (await findBulkChange(db, change))!);
    expect(await tagged('Alt')).to.deep.equal([a, c]);
    expect(await found('alt')).to.deep.equal([a, c]);
  });
});
