import { expect } from 'chai';
import { testDb } from '../support/app.js';
import { isPostgres, MIGRATIONS_DIR } from '../../src/db.js';
import { buildNetwork } from './network.js';
import { textMatchIds } from '../../src/search/search.queries.js';

const NAME = '20261206700001_fts_prefix_four.ts';
const opts = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: NAME };
const WORDS = ['schm', 'jürg', 'word', 'se', 'ber', 'müller', 'anna'];

describe('migration: the full-text index gains a prefix index of four characters', () => {
  it('keeps every document and every answer, up and down (SQLite makes the table again; PostgreSQL is left as it was)', async () => {
    const db = await testDb();
    try {
      await buildNetwork(db);
      const answers = async () => Object.fromEntries(await Promise.all(WORDS.map(async (w) => [w, await textMatchIds(db, w)] as const)));
      const definition = async () => (isPostgres(db) ? null
        : ((await db.raw(`SELECT sql FROM sqlite_master WHERE name = 'people_fts'`)) as { sql: string }[])[0]!.sql);
      const count = async () => Number((await db('people_fts').count({ n: '*' }))[0]!.n);
      const after = await answers();
      const documents = await count();
      expect(documents).to.be.greaterThan(5);
      expect(after.schm!.length, 'a four-letter prefix finds the Schmidts').to.be.greaterThan(0);
      if (!isPostgres(db)) expect(await definition()).to.contain(`prefix = '2 3 4'`);

      await db.migrate.down(opts);
      expect(await count()).to.equal(documents);
      expect(await answers()).to.deep.equal(after);
      if (!isPostgres(db)) expect(await definition()).to.contain(`prefix = '2 3'`).and.not.contain(`'2 3 4'`);

      await db.migrate.up(opts);
      expect(await count()).to.equal(documents);
      expect(await answers()).to.deep.equal(after);
      if (!isPostgres(db)) expect(await definition()).to.contain(`prefix = '2 3 4'`);
    } finally {
      await db.destroy();
    }
  });
});
