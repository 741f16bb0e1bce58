import type { Knex } from 'knex';

// Duplicates: pairs a manager said are different people (they stay out of the list), e-mail addresses of
// people merged away (imports and the duplicate check still match them), and each merge with what undoing needs.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('duplicate_dismissals', (t) => {
    t.integer('person_low').notNullable().references('people.id').onDelete('CASCADE');
    t.integer('person_high').notNullable().references('people.id').onDelete('CASCADE').index();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
    t.primary(['person_low', 'person_high']);
  });
  await knex.schema.createTable('person_merges', (t) => {
    t.increments('id');
    t.integer('kept_id').notNullable().index();
    t.text('merged_ids').notNullable();
    t.text('snapshot').notNullable();
    t.string('kept_version').notNullable();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
    t.string('undone_at');
  });
  await knex.schema.createTable('person_email_aliases', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE').index();
    t.string('email', 254).notNullable();
    t.string('email_norm', 254).notNullable().unique();
    t.integer('merge_id').references('person_merges.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
  });
  // the duplicate check on the person form looks people up by phone
  await knex.schema.alterTable('people', (t) => {
    t.index(['phone_norm'], 'people_phone_norm');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('people', (t) => {
    t.dropIndex(['phone_norm'], 'people_phone_norm');
  });
  await knex.schema.dropTable('person_email_aliases');
  await knex.schema.dropTable('person_merges');
  await knex.schema.dropTable('duplicate_dismissals');
}
