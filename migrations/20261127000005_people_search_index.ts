import type { Knex } from 'knex';

// Full-text index over each person's searchable text (names, e-mail, city, notes, tags, skills with
// aliases). The application writes one document per person (src/search/search.index.ts): it spans tables,
// which triggers cannot express cleanly. rowid = people.id.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE VIRTUAL TABLE people_fts USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE people_fts');
}
