import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';
import { createTextIndexPg, dropTextIndexPg } from '../src/search/schema.queries.js';

// Full-text index over each person's searchable text (names, e-mail, city, notes, tags, skills with
// aliases). The application writes one document per person (src/search/index.queries.ts): it spans tables,
// which triggers cannot express cleanly. rowid = people.id.
// PostgreSQL: a tsvector column with a GIN index instead (src/search/schema.queries.ts).
export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return createTextIndexPg(knex);
  await knex.raw(`CREATE VIRTUAL TABLE people_fts USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`);
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return dropTextIndexPg(knex);
  await knex.raw('DROP TABLE people_fts');
}
