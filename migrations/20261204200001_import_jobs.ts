import type { Knex } from 'knex';

// Import jobs live in the database so that every instance sees them, their progress survives a restart and
// an interrupted one can be found and rolled back. import_lock is a single row: the job that may write now
// (one commit at a time, across processes and instances); its heartbeat tells a live holder from a dead one.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_jobs', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable(); // preview · commit · undo
    t.string('entity', 20).notNullable().defaultTo('people');
    t.string('source', 20).notNullable().defaultTo('web');
    t.string('draft_key', 64).index();
    t.string('filename', 255).notNullable().defaultTo('');
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('status', 20).notNullable(); // waiting · running · done · failed · interrupted
    t.integer('batch_id');
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.bigInteger('total').notNullable().defaultTo(0);
    t.text('error');
    t.string('owner', 200).notNullable();
    t.string('heartbeat_at').notNullable();
    t.string('created_at').notNullable();
    t.string('finished_at');
    t.index(['status']);
  });
  await knex.schema.createTable('import_lock', (t) => {
    t.integer('id').primary();
    t.integer('job_id');
    t.string('owner', 200);
    t.string('heartbeat_at');
  });
  await knex('import_lock').insert({ id: 1, job_id: null, owner: null, heartbeat_at: null });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_lock');
  await knex.schema.dropTable('import_jobs');
}
