import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_batches', (t) => {
    t.increments('id');
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('source', 20).notNullable().defaultTo('web');
    t.string('entity', 20).notNullable().defaultTo('people');
    t.string('filename', 255).notNullable();
    t.string('policy', 10).notNullable().defaultTo('skip');
    t.text('mapping');
    t.string('status', 20).notNullable().defaultTo('committed');
    t.integer('rows').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.integer('errors').notNullable().defaultTo(0);
    t.string('created_at').notNullable();
    t.string('undone_at');
  });
  // One row per person the batch created or changed: enough to undo it, updates included.
  await knex.schema.createTable('import_changes', (t) => {
    t.increments('id');
    t.integer('batch_id').notNullable().references('import_batches.id').onDelete('CASCADE');
    t.integer('person_id');
    t.string('action', 10).notNullable();
    t.text('before');
    t.text('after');
    t.string('applied_at').notNullable();
    t.index(['batch_id']);
    t.index(['person_id']);
  });
  await knex.schema.createTable('import_mappings', (t) => {
    t.increments('id');
    t.string('name', 120).notNullable();
    t.string('header_signature', 64).notNullable().index();
    t.text('mapping').notNullable();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
  });
  // Append-only: a withdrawal is a new row, never an edit.
  await knex.schema.createTable('consents', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE').index();
    t.string('purpose', 120).notNullable();
    t.string('status', 10).notNullable();
    t.string('method', 120);
    t.text('notice_text');
    t.integer('recorded_by_user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('actor', 254);
    t.string('action', 40).notNullable();
    t.string('entity_type', 40).notNullable();
    t.integer('entity_id');
    t.string('source', 40).notNullable().defaultTo('web');
    t.text('changes');
    t.string('created_at').notNullable();
    t.index(['entity_type', 'entity_id', 'id']);
  });
  await knex.schema.createTable('suppressions', (t) => {
    t.string('email_hash', 64).primary();
    t.string('erased_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('suppressions');
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('consents');
  await knex.schema.dropTable('import_mappings');
  await knex.schema.dropTable('import_changes');
  await knex.schema.dropTable('import_batches');
}
