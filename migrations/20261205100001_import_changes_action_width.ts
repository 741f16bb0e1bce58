import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';

// import_changes.action was declared varchar(10), but the engagements import records `engagement_update`
// (17 characters). SQLite does not enforce a declared length (the column has TEXT affinity), so only
// PostgreSQL refused the row — and with it the engagements import, its undo and its rollback. Widen it to 32.
// On SQLite there is nothing to change: rebuilding the table would only copy it.
export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.raw('ALTER TABLE import_changes ALTER COLUMN action TYPE varchar(32)');
}

// Narrowing fails (and changes nothing) while a recorded action is longer than 10 characters: nothing is cut.
export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.raw('ALTER TABLE import_changes ALTER COLUMN action TYPE varchar(10)');
}
