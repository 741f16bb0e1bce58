// findAllPeopleIds (what `skillnet export people` runs) answers a text that matches no one without loading the
// search index, and otherwise exactly as before: words the search box reads as a language, kind, skill alias or
// city still filter, even where no search document contains them.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork } from './network.js';
import { findAllPeopleIds, findPeople, forgetSnapshot, snapshotState } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { onPostgres } from '../support/pg.js';
import { withRawConnection } from '../../src/db.js';
import { loadCitiesOnly } from '../../src/search/snapshot.queries.js';
import { heldSnapshot } from '../../src/search/snapshot.service.js';
import '../../src/features.js';

describe('exporting a search without the index', () => {
  let db: Knex;
  before(async () => {
    db = await testDb();
    await buildNetwork(db);
  });
  after(async () => { await db.destroy(); });
  beforeEach(() => forgetSnapshot(db));

  const ids = (q: Record<string, unknown>) => findAllPeopleIds(db, parsePeopleFilters(q));

  it('a text that matches no one: no ids, and no index loaded', async () => {
    expect(await ids({ q: 'nobody' })).to.deep.equal([]);
    expect(await ids({ q: 'schm zzzqx' })).to.deep.equal([]);
    // (PostgreSQL answers from its own search path; the shortcut is SQLite's, where the CLI would load the index)
    if (!onPostgres) expect(snapshotState(db)).to.equal(null);
  });

  for (const q of [{ q: 'German' }, { q: 'Deutsch schm' }, { q: 'freelancer' }, { q: 'Hamburg' }, { q: 'schm' }, { q: 'seo berlin' }, { q: 'nobody', city: 'Berlin' }]) {
    it(`the same ids as with the index loaded: ${JSON.stringify(q)}`, async () => {
      const fresh = await ids(q);
      await findPeople(db, parsePeopleFilters({})); // loads the index
      expect(await ids(q)).to.deep.equal(fresh);
    });
  }

  it('the cities read without the index are the index\'s own: the first spelling of each, in the same order', async function () {
    if (onPostgres) this.skip(); // the stand-in is SQLite's (PostgreSQL searches through its own snapshot)
    const only = await withRawConnection(db, (conn) => loadCitiesOnly(conn));
    await findPeople(db, parsePeopleFilters({ q: 'schm' }));
    const held = heldSnapshot(db)!;
    expect(only.cities).to.deep.equal(held.cities);
    expect([...only.cityByNorm]).to.deep.equal([...held.cityByNorm]);
    expect(only.cities).to.include('Berlin').and.not.include('berlin'); // Emil's "berlin" comes after Jürgen's "Berlin"
  });

  it('words read as a language find people even though no search document holds them', async () => {
    expect((await ids({ q: 'German' })).length).to.be.greaterThan(0);
    expect((await ids({ q: 'Deutsch' })).length).to.be.greaterThan(0);
  });
});
