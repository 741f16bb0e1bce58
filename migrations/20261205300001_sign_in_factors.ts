import type { Knex } from 'knex';

// Single sign-on and two-factor sign-in:
// - users: the TOTP secret once confirmed, the last time step used (a code works once), and failed sign-ins since the
//   last successful one (the admins' user list shows them);
// - user_recovery_codes: ten single-use codes per user, only their SHA-256 stored;
// - user_identities: the OpenID Connect accounts (issuer, subject) linked to a user.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('totp_secret', 128).nullable();
    t.string('totp_enabled_at').nullable();
    t.bigInteger('totp_last_step').nullable();
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('last_failed_login_at').nullable();
  });
  await knex.schema.createTable('user_recovery_codes', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.string('used_at').nullable();
    t.string('created_at').notNullable();
    t.unique(['user_id', 'code_hash']);
  });
  await knex.schema.createTable('user_identities', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE').index();
    t.string('issuer', 500).notNullable();
    t.string('subject', 255).notNullable();
    t.string('email', 320).nullable();
    t.string('created_at').notNullable();
    t.string('last_used_at').nullable();
    t.unique(['issuer', 'subject']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_identities');
  await knex.schema.dropTable('user_recovery_codes');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('last_failed_login_at');
    t.dropColumn('failed_logins');
    t.dropColumn('totp_last_step');
    t.dropColumn('totp_enabled_at');
    t.dropColumn('totp_secret');
  });
}
