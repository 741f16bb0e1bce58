import type { Knex } from 'knex';

// A project's shortlist: people considered for it, each in one state (suggested → shortlisted → asked →
// accepted / declined with a reason); every change is a dated event. asked_at is kept on the entry so "asked
// recently for another project" is one indexed lookup.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shortlist_entries', (t) => {
    t.increments('id');
    t.integer('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
    t.string('state', 20).notNullable();
    t.string('reason', 500);
    t.string('asked_at');
    t.integer('engagement_id').references('engagements.id').onDelete('SET NULL');
    t.integer('created_by_user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.unique(['project_id', 'person_id']);
    t.index(['person_id', 'asked_at'], 'shortlist_entries_person_asked');
  });
  await knex.schema.createTable('shortlist_events', (t) => {
    t.increments('id');
    t.integer('entry_id').notNullable().references('shortlist_entries.id').onDelete('CASCADE').index();
    t.string('from_state', 20);
    t.string('to_state', 20).notNullable();
    t.string('reason', 500);
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('actor', 200);
    t.string('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shortlist_events');
  await knex.schema.dropTable('shortlist_entries');
}
