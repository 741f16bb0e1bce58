import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork, type Network } from './network.js';
import { findPeople, searchSnapshot } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { PAGE_SKILLS_SQL, snapshotSkills, type PageSkill } from '../../src/search/rows.queries.js';
import { withRawConnection } from '../../src/db.js';
import { onPostgres } from '../support/pg.js';

// A result page's skills come from the search snapshot (rows.queries.ts: snapshotSkills), not from a join: they must
// equal what PAGE_SKILLS_SQL reads, in its order (level, then name by UTF-8 bytes, then id), after any change.
describe('result page skills from the snapshot equal the SQL', () => {
  let db: Knex;
  let net: Network;
  before(async function () {
    if (onPostgres) this.skip(); // SQLite's page rows only; PostgreSQL reads PAGE_SKILLS_SQL itself
    db = await testDb();
    net = await buildNetwork(db);
  });
  after(async () => { await db?.destroy(); });

  async function compare(): Promise<PageSkill[]> {
    await findPeople(db, parsePeopleFilters({})); // brings the snapshot up to date
    const s = await searchSnapshot(db);
    const ids = Object.values(net.people);
    return withRawConnection(db, (conn) => {
      const sql = conn.prepare(PAGE_SKILLS_SQL(ids.length)).all(...ids) as PageSkill[];
      const mine = snapshotSkills(conn, s, ids);
      const perPerson = (rows: PageSkill[]) => ids.map((id) => rows.filter((r) => r.person_id === id));
      expect(perPerson(mine)).to.deep.equal(perPerson(sql));
      expect(mine.length).to.equal(sql.length);
      return mine;
    });
  }

  it('as loaded, and after levels, names (bytes order, not UTF-16) and a deleted skill change', async () => {
    expect((await compare()).length).to.be.greaterThan(10);
    await db('person_skills').where({ person_id: net.people.fatma, skill_id: net.skills.seo }).update({ level: 1 });
    await db('person_skills').insert({ person_id: net.people.anna, skill_id: net.skills.seo, level: 2 });
    // same level for Anna: WordPress 1, Newsletter 2, SEO 2 → by name; then names that UTF-16 and UTF-8 order differently
    await db('skills').where({ id: net.skills.seo }).update({ name: '\uFF21 full width' });
    await db('skills').where({ id: net.skills.newsletter }).update({ name: '\u{1F600} emoji' });
    const after = await compare();
    const anna = after.filter((r) => r.person_id === net.people.anna).map((r) => r.id);
    expect(anna, 'by UTF-8 bytes: U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80)').to.deep.equal([net.skills.seo, net.skills.newsletter, net.skills.wp]);
    await db('skills').where({ id: net.skills.photo }).del();
    await compare();
  });
});
