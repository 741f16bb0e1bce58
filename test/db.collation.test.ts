// Names sort by the interface language's collation (accents and case ignored: Böhm before Busch), in SQL on
// both databases (byName in src/db.ts) and in the search's in-memory order alike.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from './support/app.js';
import { byName } from '../src/db.js';
import { createPerson } from '../src/people/people.queries.js';
import { validatePerson } from '../src/people/people.domain.js';
import { SYSTEM_ACTOR } from '../src/audit/audit.queries.js';
import { findPeople, forgetSnapshot } from '../src/search/search.queries.js';
import { parsePeopleFilters } from '../src/search/search.domain.js';
import { pickPeople } from '../src/search/picker.queries.js';

const NAMES = ['Busch', 'Böhm', 'bauer', 'Zimmer', 'Ångström', 'böll', 'Ösel', 'Otto'];
const EXPECTED = ['Ångström', 'bauer', 'Böhm', 'böll', 'Busch', 'Ösel', 'Otto', 'Zimmer'];

describe('names in collation order', () => {
  let db: Knex;
  before(async () => {
    db = await testDb();
    for (const last of NAMES) {
      const v = validatePerson({ first_name: 'A', last_name: last, kind: 'volunteer', availability: 'available' });
      if (!v.ok) throw new Error('invalid');
      await createPerson(db, SYSTEM_ACTOR, v.value);
    }
  });
  after(async () => { await db.destroy(); });

  for (const locale of ['en', 'de']) {
    it(`SQL (${locale}): Böhm before Busch; accents and case ignored (Ösel sorts as Osel, before Otto)`, async () => {
      const rows = await db('people').orderBy(byName(db, 'last_name', locale)).orderBy('id').pluck('last_name');
      expect(rows).to.deep.equal(EXPECTED);
    });
  }

  it('the person picker lists in that order', async () => {
    const picked = await pickPeople(db, 'a', 100); // every test person's first name is A
    expect(picked.rows.map((r) => r.last_name)).to.deep.equal(EXPECTED);
  });

  it('the search index sorts by name the same way (fresh and after a change)', async () => {
    const order = async () => (await findPeople(db, parsePeopleFilters({ sort: 'name' }), { pageSize: 100 })).rows.map((r) => r.last_name);
    forgetSnapshot(db);
    expect(await order()).to.deep.equal(EXPECTED);
    const v = validatePerson({ first_name: 'A', last_name: 'Bühler', kind: 'volunteer', availability: 'available' });
    if (!v.ok) throw new Error('invalid');
    await createPerson(db, SYSTEM_ACTOR, v.value);
    expect(await order()).to.deep.equal(['Ångström', 'bauer', 'Böhm', 'böll', 'Bühler', 'Busch', 'Ösel', 'Otto', 'Zimmer']);
  });
});
