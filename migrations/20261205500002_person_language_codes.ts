import type { Knex } from 'knex';
import { formatLanguages, parseLanguages, storeLanguages } from '../src/people/languages.domain.js';

// Languages become ISO 639-1 codes ("German, Englisch" → "de, en", src/people/languages.domain.ts). What names
// no language ("Gebärdensprache", "Klingonisch") is taken out of the field and kept in language_reviews with
// the original text, for a manager to look at on /people/languages. Works per distinct value, so a million
// people with a few hundred spellings take a few hundred updates.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('language_reviews', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE').index();
    t.string('original', 200).notNullable();
    t.string('unmapped', 200).notNullable();
    t.string('created_at').notNullable();
    t.string('resolved_at');
    t.integer('resolved_by_user_id').references('users.id').onDelete('SET NULL');
    t.index(['resolved_at', 'id'], 'language_reviews_open');
  });
  const now = new Date().toISOString();
  const values: string[] = (await knex('people').whereNotNull('languages').distinct('languages').pluck('languages')) as string[];
  for (const original of values) {
    const { codes, unknown } = parseLanguages(original);
    const stored = storeLanguages(codes);
    if (unknown.length) {
      await knex.raw(
        'INSERT INTO language_reviews (person_id, original, unmapped, created_at) SELECT id, ?, ?, ? FROM people WHERE languages = ?',
        [original.slice(0, 200), unknown.join(', ').slice(0, 200), now, original],
      );
    }
    if (stored !== original) await knex('people').where('languages', original).update({ languages: stored });
  }
}

export async function down(knex: Knex): Promise<void> {
  // codes back to English names, with what could not be mapped put back beside them
  const values: string[] = (await knex('people').whereNotNull('languages').distinct('languages').pluck('languages')) as string[];
  for (const stored of values) {
    const names = formatLanguages(stored, 'en');
    if (names && names !== stored) await knex('people').where('languages', stored).update({ languages: names });
  }
  const open: { person_id: number; original: string }[] = await knex('language_reviews').whereNull('resolved_at').select('person_id', 'original');
  for (const r of open) await knex('people').where('id', r.person_id).update({ languages: r.original });
  await knex.schema.dropTable('language_reviews');
}
