// The export's ids without the search index (search/plain.queries.ts): for every filter one statement can answer,
// exactly the ids, in exactly the order, that the index gives — names with accents, ligatures, private-use and
// astral characters (where SQLite's byte order and JavaScript's string order part) and namesakes (ties by id) —
// and without loading the index; the filters it cannot answer are left to the index.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork } from './network.js';
import { findAllPeopleIds, findPeople, forgetSnapshot, snapshotState } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { answerableWithoutIndex, utf16Ordered } from '../../src/search/plain.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { withRawConnection } from '../../src/db.js';
import { onPostgres } from '../support/pg.js';
import '../../src/features.js';

const NAMES: [string, string][] = [
  ['Zoë', 'Ångström'], ['zoe', 'angstrom'], ['Ærø', 'Øster'], ['😀 Smile', 'Emoji'], ['\uE000x', 'Private'], ['ﬀ', 'Ligature'],
  ['Ａ', 'Fullwidth'], ['Anna', 'Schmidt'], ['Anna', 'Schmidt'], ['Ölaf', 'Ödegaard'], ['Ｚ', '\uFFFDend'], ['𝒜', '𝒜stral'],
  ['Jo', 'Émile-Weber'], ['Jo', 'Emile Weber'], ['ǅ', 'dž'], ['I', 'İstanbul'],
];

describe('exporting without the index (one statement)', function () {
  let db: Knex;
  before(async function () {
    if (onPostgres) this.skip(); // SQLite's path: PostgreSQL answers from its own search path
    db = await testDb();
    await buildNetwork(db);
    let i = 0;
    for (const [first, last] of NAMES) {
      const r = validatePerson({ first_name: first, last_name: last, availability: ['available', 'limited', 'unavailable'][i % 3], kind: ['volunteer', 'freelancer', 'both'][i % 3],
        city: ['Berlin', 'berlin', 'Köln', ''][i % 4], do_not_contact: i % 5 === 0 ? '1' : '', tags: i % 2 ? 'web' : '' });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      await createPerson(db, SYSTEM_ACTOR, r.value);
      i++;
    }
  });
  after(async () => { await db?.destroy(); });
  beforeEach(() => forgetSnapshot(db));

  const QUESTIONS: Record<string, unknown>[] = [
    {}, { dnc: '1' }, { sort: 'name' }, { city: 'Berlin' }, { city: 'KÖLN', dnc: '1' }, { kind: 'volunteer' }, { kind: 'freelancer', dnc: '1' },
    { availability: 'limited' }, { tag: 'web' }, { tag: 'WEB', dnc: '1' }, { tag: 'nosuchtag' }, { skill: 'WordPress', sort: 'name' }, { skill: ['wp', 'SEO'], sort: 'name' },
    { skill: ['WordPress', 'SEO'], match: 'any', level: '2', sort: 'name' }, { skill: 'nosuchskill', sort: 'name' },
    { skill: ['nosuchskill', 'SEO'], match: 'any', sort: 'name' }, { q: 'schm', sort: 'name' }, { q: 'anna', sort: 'name', dnc: '1' },
    { q: 'Berlin' }, { q: 'freelancer' }, { q: 'web' }, { q: 'seo berlin', sort: 'name' }, { id: ['1', '3', '9', '12'], dnc: '1' },
  ];

  for (const q of QUESTIONS) {
    it(`the index's ids in the index's order: ${JSON.stringify(q)}`, async () => {
      const plain = await findAllPeopleIds(db, parsePeopleFilters(q), new Date(), { oneOff: true });
      expect(snapshotState(db), 'no index loaded').to.equal(null);
      await findPeople(db, parsePeopleFilters({})); // loads the index
      expect(plain).to.deep.equal(await findAllPeopleIds(db, parsePeopleFilters(q)));
    });
  }

  it('everyone, in name order: the ties (namesakes) by id, and the two orders do differ for these names', async () => {
    const plain = await findAllPeopleIds(db, parsePeopleFilters({ dnc: '1' }), new Date(), { oneOff: true });
    const total = await db('people').count({ n: '*' }).first();
    expect(plain).to.have.length(Number(total!.n));
    // SQLite's own order of the raw names is not the index's: the comparison above is not trivially true
    const raw = await db('people').orderBy([{ column: 'last_name' }, { column: 'first_name' }, { column: 'id' }]).pluck('id');
    expect(raw).to.not.deep.equal(plain);
  });

  it('what one statement cannot answer goes to the index (languages, organisations, activity, relevance of words or skills, other sorts)', () => {
    for (const q of [{ language: 'German' }, { org: '1' }, { active: '1' }, { project_kind: 'consulting' }, { q: 'schm' }, { skill: 'SEO' },
      { sort: 'city' }, { sort: 'recently_added' }, { sort: 'availability' }, { sort: 'recent_engagement' }]) {
      expect(answerableWithoutIndex(parsePeopleFilters(q)), JSON.stringify(q)).to.equal(false);
    }
    expect(answerableWithoutIndex(parsePeopleFilters({ skill: 'SEO', sort: 'name', city: 'x', tag: 'y', dnc: '1' }))).to.equal(true);
  });

  it('a filter the statement cannot answer still gives the index\'s answer in a one-off process', async () => {
    const q = { q: 'schm' };
    const oneOff = await findAllPeopleIds(db, parsePeopleFilters(q), new Date(), { oneOff: true });
    expect(snapshotState(db)).to.not.equal(null);
    expect(oneOff).to.deep.equal(await findAllPeopleIds(db, parsePeopleFilters(q)));
  });

  it('utf16Ordered: SQLite sorts the keys as JavaScript sorts the strings', async () => {
    const pool = ['a', 'b', 'z', 'é', 'ﬀ', '\uE000', '\uFFFD', '\uFFFF', '😀', '𝒜', '\uD7FF', 'a😀', 'a\uFFFD', 'a\uE000b', '', 'ab', 'a\u0001b'];
    const strings: string[] = [];
    for (let i = 0; i < 300; i++) strings.push(Array.from({ length: 1 + (i % 4) }, (_, k) => pool[(i * 7 + k * 13 + (i >> 3)) % pool.length]).join(''));
    const js = [...strings].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const sqlite = await withRawConnection(db, (conn) => {
      conn.exec('CREATE TEMP TABLE IF NOT EXISTS utf16_keys (s TEXT)');
      conn.exec('DELETE FROM utf16_keys');
      const ins = conn.prepare('INSERT INTO utf16_keys (s) VALUES (?)');
      for (const s of strings) ins.run(s);
      conn.function('utf16_ordered', { deterministic: true }, (s: unknown) => utf16Ordered(String(s)));
      return conn.prepare('SELECT s FROM utf16_keys ORDER BY utf16_ordered(s)').pluck().all() as string[];
    });
    expect(sqlite).to.deep.equal(js);
    // without it, SQLite's order differs for these strings (the check above is not trivially true)
    const bare = await withRawConnection(db, (conn) => conn.prepare('SELECT s FROM utf16_keys ORDER BY s').pluck().all() as string[]);
    expect(bare).to.not.deep.equal(js);
  });
});
