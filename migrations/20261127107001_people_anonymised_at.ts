import type { Knex } from 'knex';

// When a person was anonymised (stale-record review): such rows keep skills, city and kind for statistics,
// hold no personal data any more, and leave the review list.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('people', (t) => {
    t.string('anonymised_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('people', (t) => {
    t.dropColumn('anonymised_at');
  });
}
