import type { Knex } from 'knex';

// The wizard's progress page counts rows, not only bytes: rows done so far, the rows in all when known (a
// commit knows them from its preview) and when the job began to run (waiting for another import does not
// count), so the time left can be estimated from the rate so far.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.bigInteger('rows_done').notNullable().defaultTo(0);
    t.bigInteger('rows_total');
    t.string('started_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('started_at');
    t.dropColumn('rows_total');
    t.dropColumn('rows_done');
  });
}
