import type { Knex } from 'knex';

// Webhooks: endpoints admins register, one delivery per event and endpoint (a queue the background worker
// drains, with retries), and every attempt with its answer and response time (the delivery log).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.increments('id');
    t.string('url', 500).notNullable();
    t.string('description', 200);
    t.string('secret', 100).notNullable();
    /** JSON list of event types */
    t.text('events').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('created_by_user_id').references('users.id').onDelete('SET NULL');
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.increments('id');
    t.integer('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    /** the webhook-id header: the same on every attempt, so a receiver processes a delivery once */
    t.string('message_id', 60).notNullable().unique();
    t.string('event', 40).notNullable();
    t.text('payload').notNullable();
    t.string('status', 12).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at');
    t.integer('last_status_code');
    t.integer('last_response_ms');
    t.string('last_error', 300);
    t.string('created_at').notNullable();
    t.string('delivered_at');
    t.index(['status', 'next_attempt_at'], 'webhook_deliveries_due');
    t.index(['endpoint_id', 'id'], 'webhook_deliveries_endpoint');
  });
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.increments('id');
    t.integer('delivery_id').notNullable().references('webhook_deliveries.id').onDelete('CASCADE').index();
    t.string('at').notNullable();
    t.integer('status_code');
    t.integer('response_ms').notNullable();
    t.string('error', 300);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_attempts');
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhook_endpoints');
}
