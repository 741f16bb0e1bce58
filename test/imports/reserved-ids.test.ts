// New people of an import get their ids reserved ahead and are written a hundred at a time at the step's end (on
// both databases): never an id used before, not even one whose person was deleted, and in file order.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { counts, csvFile, importCsv } from './helpers.js';

const people = (from: number, n: number) => 'Name,Email\n' + Array.from({ length: n }, (_, i) => `Person ${from + i},p${from + i}@example.org`).join('\n');

describe('import: ids of new people', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  it('more new people than one reservation holds (500) in a step of up to 2,000 rows: each gets its own id, in file order', async function () {
    this.timeout(60_000);
    expect(counts(await importCsv(db, csvFile(people(0, 3000)))).created).to.equal(3000);
    const rows = await db('people').orderBy('id').select('id', 'email');
    expect(rows).to.have.length(3000);
    expect(new Set(rows.map((r) => r.id)).size).to.equal(3000);
    expect(rows.map((r) => r.email)).to.deep.equal(Array.from({ length: 3000 }, (_, i) => `p${i}@example.org`));
  });

  it('an id whose person was deleted is never given again', async function () {
    this.timeout(60_000);
    await importCsv(db, csvFile(people(0, 20)));
    const highest = Number((await db('people').max({ m: 'id' }).first())!.m);
    await db('people').where('id', '>', highest - 5).del();
    await importCsv(db, csvFile(people(100, 10)));
    const fresh = (await db('people').where('email', 'like', 'p1__@example.org').orderBy('id').pluck('id')).map(Number);
    expect(fresh).to.have.length(10);
    expect(Math.min(...fresh)).to.be.above(highest);
    // and what the database itself gives next comes after them
    const [made] = await db('people').insert({ first_name: 'After', last_name: 'Import', kind: 'volunteer', created_at: '2026-12-06', updated_at: '2026-12-06' }).returning('id');
    expect(Number((made as { id: number }).id ?? made)).to.be.above(Math.max(...fresh));
  });
});
