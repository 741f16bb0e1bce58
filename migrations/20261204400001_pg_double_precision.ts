import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';

// knex's float() is a 4-byte `real` on PostgreSQL but an 8-byte REAL on SQLite: hours and rates would lose
// digits on PostgreSQL (0.1 + 0.2 came back as 0.3) and exports would differ. Double precision on both.
const COLUMNS: [string, string][] = [['engagements', 'hours'], ['engagements', 'rate']];

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const [table, column] of COLUMNS) await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE double precision`);
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const [table, column] of COLUMNS) await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE real`);
}
