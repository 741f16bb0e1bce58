import type { Knex } from 'knex';

// Bulk actions on a people search (src/people/bulk.*): each run is one row, with the people it changed, so
// its result page can undo exactly that change (a tag added or removed, do-not-contact set, a shortlist).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bulk_changes', (t) => {
    t.increments('id');
    t.string('action', 40).notNullable();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.integer('tag_id').references('tags.id').onDelete('SET NULL');
    t.integer('project_id');
    t.string('label', 200);
    /** how many people were chosen, and the ids it changed (JSON array) */
    t.integer('chosen').notNullable();
    t.text('changed_ids').notNullable();
    t.string('query', 4000);
    t.string('created_at').notNullable();
    t.string('undone_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bulk_changes');
}
