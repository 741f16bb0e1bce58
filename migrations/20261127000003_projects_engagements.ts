import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projects', (t) => {
    t.increments('id');
    t.integer('organisation_id').notNullable().references('organisations.id').onDelete('CASCADE').index();
    t.string('title', 200).notNullable();
    t.string('kind', 20).notNullable().defaultTo('implementation');
    t.string('status', 20).notNullable().defaultTo('idea');
    t.string('start_date', 10);
    t.string('end_date', 10);
    t.text('description');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['status']);
  });
  await knex.schema.createTable('project_skills', (t) => {
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.integer('skill_id').notNullable().references('skills.id').onDelete('CASCADE');
    t.integer('min_level').notNullable().defaultTo(1);
    t.primary(['project_id', 'skill_id']);
    t.index(['skill_id']);
  });
  await knex.schema.createTable('engagements', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE').index();
    t.string('role', 200);
    t.string('start_date', 10);
    t.string('end_date', 10);
    t.float('hours');
    t.boolean('paid').notNullable().defaultTo(false);
    t.float('rate');
    t.text('outcome');
    t.text('feedback');
    t.integer('rating');
    t.string('handover', 10);
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['person_id', 'end_date']);
  });
  await knex.schema.createTable('saved_searches', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE').index();
    t.string('name', 120).notNullable();
    t.text('query').notNullable();
    t.string('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saved_searches');
  await knex.schema.dropTable('engagements');
  await knex.schema.dropTable('project_skills');
  await knex.schema.dropTable('projects');
}
