import type { Knex } from 'knex';

// API tokens: personal ones (user_id; they act with the user's current role) and service tokens (no user; the role
// an admin gave them). Only the SHA-256 of the secret is kept; `prefix` is what lists show to tell tokens apart.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.integer('user_id').references('users.id').onDelete('CASCADE').index();
    t.string('name', 100).notNullable();
    /** service tokens only: the role they act with */
    t.string('role', 20);
    t.string('scope', 10).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('prefix', 16).notNullable();
    t.integer('created_by_user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
    t.string('expires_at');
    t.string('revoked_at');
    t.string('last_used_at');
    t.string('last_used_ip', 64);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_tokens');
}
