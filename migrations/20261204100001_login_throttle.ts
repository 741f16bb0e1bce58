import type { Knex } from 'knex';

// Failed logins per client address and per account, in the database so that several instances share the count.
// Keys are "ip:ADDRESS" or "account:SHA-256 of the e-mail" (no e-mail addresses are stored).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 100).primary();
    t.integer('failures').notNullable();
    t.string('window_start').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle');
}
