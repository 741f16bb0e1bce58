import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('skill_categories', (t) => {
    t.increments('id');
    t.string('slug', 80).notNullable().unique();
    t.string('name_en', 120).notNullable();
    t.string('name_de', 120).notNullable();
    t.integer('position').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('skills', (t) => {
    t.increments('id');
    t.string('name', 120).notNullable();
    t.string('name_de', 120);
    t.string('name_norm', 120).notNullable().unique();
    t.integer('category_id').references('skill_categories.id').onDelete('SET NULL').index();
    t.text('description');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
  });
  // Every other name a skill is found by (German name, spellings, synonyms); alias_norm is unique across skills.
  await knex.schema.createTable('skill_aliases', (t) => {
    t.increments('id');
    t.integer('skill_id').notNullable().references('skills.id').onDelete('CASCADE').index();
    t.string('alias', 120).notNullable();
    t.string('alias_norm', 120).notNullable().unique();
    t.string('lang', 5);
  });
  await knex.schema.createTable('people', (t) => {
    t.increments('id');
    t.string('first_name', 120).notNullable().defaultTo('');
    t.string('last_name', 120).notNullable().defaultTo('');
    t.string('name_norm', 250).notNullable().defaultTo('').index();
    t.string('email', 254);
    t.string('email_norm', 254).unique();
    t.string('phone', 60);
    t.string('phone_norm', 60);
    t.string('city', 120);
    t.string('city_norm', 120).index();
    t.string('postcode', 20);
    t.string('country', 80);
    t.string('languages', 200);
    t.string('kind', 20).notNullable().defaultTo('volunteer');
    t.string('availability', 20).notNullable().defaultTo('available');
    t.string('organisation', 200);
    t.string('job_title', 200);
    t.string('portfolio_url', 500);
    t.text('notes');
    t.string('last_confirmed_at');
    t.boolean('do_not_contact').notNullable().defaultTo(false);
    t.integer('created_by_user_id').references('users.id').onDelete('SET NULL');
    t.integer('created_by_batch_id');
    t.string('created_at').notNullable().index();
    t.string('updated_at').notNullable();
  });
  await knex.raw('CREATE INDEX people_name_sort ON people (last_name, first_name)');
  await knex.schema.createTable('person_skills', (t) => {
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
    t.integer('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.integer('level').notNullable().defaultTo(1);
    t.string('last_used_at');
    t.primary(['person_id', 'skill_id']);
    t.index(['skill_id', 'level', 'person_id']);
  });
  await knex.schema.createTable('tags', (t) => {
    t.increments('id');
    t.string('name', 80).notNullable();
    t.string('name_norm', 80).notNullable().unique();
  });
  await knex.schema.createTable('person_tags', (t) => {
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
    t.integer('tag_id').notNullable().references('tags.id').onDelete('CASCADE');
    t.primary(['person_id', 'tag_id']);
    t.index(['tag_id', 'person_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('person_tags');
  await knex.schema.dropTable('tags');
  await knex.schema.dropTable('person_skills');
  await knex.schema.dropTable('people');
  await knex.schema.dropTable('skill_aliases');
  await knex.schema.dropTable('skills');
  await knex.schema.dropTable('skill_categories');
}
