import { expect } from 'chai';
import { testDb } from '../support/app.js';
import { MIGRATIONS_DIR } from '../../src/db.js';

const NAME = '20261205500002_person_language_codes.ts';
const opts = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: NAME };

describe('migration: free-text languages become codes', () => {
  it('maps German, Deutsch, Englisch, EN …; keeps what it cannot map for a manager; down brings text back', async () => {
    const db = await testDb();
    try {
      await db.migrate.down(opts);
      const base = { created_at: 'x', updated_at: 'x', first_name: 'P' };
      await db('people').insert([
        { ...base, last_name: 'A', languages: 'German' },
        { ...base, last_name: 'B', languages: 'Deutsch' },
        { ...base, last_name: 'C', languages: 'Englisch, EN, german' },
        { ...base, last_name: 'D', languages: 'Deutsch, Gebärdensprache' },
        { ...base, last_name: 'E', languages: null },
        { ...base, last_name: 'F', languages: 'Deutsch, Gebärdensprache' },
      ]);
      await db.migrate.up(opts);
      const rows = await db('people').orderBy('last_name').pluck('languages');
      expect(rows).to.deep.equal(['de', 'de', 'en, de', 'de', null, 'de']);
      const reviews = await db('language_reviews').join('people', 'people.id', 'language_reviews.person_id').orderBy('last_name')
        .select('last_name', 'original', 'unmapped', 'resolved_at');
      expect(reviews).to.deep.equal([
        { last_name: 'D', original: 'Deutsch, Gebärdensprache', unmapped: 'Gebärdensprache', resolved_at: null },
        { last_name: 'F', original: 'Deutsch, Gebärdensprache', unmapped: 'Gebärdensprache', resolved_at: null },
      ]);
      await db.migrate.down(opts);
      expect(await db('people').orderBy('last_name').pluck('languages'))
        .to.deep.equal(['German', 'German', 'English, German', 'Deutsch, Gebärdensprache', null, 'Deutsch, Gebärdensprache']);
      await db.migrate.up(opts);
    } finally {
      await db.destroy();
    }
  });
});
