import type { Knex } from 'knex';
import { dialectType } from '../src/db.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('name_norm', 200).notNullable().index();
    t.string('kind', 40).notNullable().defaultTo('initiative');
    t.string('city', 120);
    t.string('website', 500);
    t.string('contact_name', 200);
    t.string('contact_email', 254);
    t.text('notes');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
  });
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).notNullable().defaultTo('');
    t.string('password_hash').notNullable();
    t.string('role', 20).notNullable();
    t.integer('organisation_id').references('organisations.id').onDelete('SET NULL');
    t.boolean('active').notNullable().defaultTo(true);
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.string('locale', 5);
    t.string('last_login_at');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
  });
  await knex.raw(`CREATE TABLE sessions (sid varchar(255) PRIMARY KEY, sess text NOT NULL, expired ${dialectType(knex, 'datetime')} NOT NULL)`);
  await knex.raw('CREATE INDEX sessions_expired_index ON sessions (expired)');
  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('settings');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('organisations');
}
