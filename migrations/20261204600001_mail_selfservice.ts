// Mail (a queue in the database), people's own links, campaigns asking people to confirm, their requests,
// join applications, account links (invitation, password reset) and request counters for rate limits.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('people', (t) => {
    t.string('available_until', 10);
    t.string('locale', 5);
  });
  await knex.schema.createTable('mail_campaigns', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable().defaultTo('confirm');
    t.integer('created_by_user_id').references('users.id').onDelete('SET NULL');
    t.string('status', 10).notNullable().defaultTo('sending');
    t.text('pause_reason');
    t.integer('recipients').notNullable().defaultTo(0);
    t.integer('skipped_dnc').notNullable().defaultTo(0);
    t.integer('skipped_no_email').notNullable().defaultTo(0);
    t.integer('skipped_no_consent').notNullable().defaultTo(0);
    t.string('created_at').notNullable();
  });
  await knex.schema.createTable('mail_outbox', (t) => {
    t.increments('id');
    t.string('kind', 20).notNullable();
    t.string('to_address', 254).notNullable();
    t.string('to_name', 250);
    t.string('locale', 5).notNullable().defaultTo('en');
    t.string('subject', 300).notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.text('headers');
    t.integer('campaign_id').references('mail_campaigns.id').onDelete('CASCADE');
    t.integer('person_id').references('people.id').onDelete('CASCADE');
    t.string('status', 10).notNullable().defaultTo('queued');
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at').notNullable();
    t.text('last_error');
    t.string('message_id', 250);
    t.string('file', 250);
    t.string('created_at').notNullable();
    t.string('sent_at');
    t.index(['status', 'next_attempt_at']);
    t.index(['campaign_id']);
    t.index(['sent_at']);
  });
  await knex.schema.createTable('person_links', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE').index();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at').notNullable();
    t.string('expires_at').notNullable();
    t.string('revoked_at');
    t.string('last_used_at');
  });
  await knex.schema.createTable('campaign_recipients', (t) => {
    t.integer('campaign_id').notNullable().references('mail_campaigns.id').onDelete('CASCADE');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE');
    t.integer('mail_id').references('mail_outbox.id').onDelete('SET NULL');
    t.integer('link_id').references('person_links.id').onDelete('SET NULL');
    t.string('opened_at');
    t.string('confirmed_at');
    t.string('changed_at');
    t.primary(['campaign_id', 'person_id']);
    t.index(['person_id']);
  });
  await knex.schema.createTable('person_requests', (t) => {
    t.increments('id');
    t.integer('person_id').notNullable().references('people.id').onDelete('CASCADE').index();
    t.string('kind', 20).notNullable();
    t.text('payload');
    t.string('status', 10).notNullable().defaultTo('open');
    t.string('created_at').notNullable();
    t.string('decided_at');
    t.integer('decided_by_user_id').references('users.id').onDelete('SET NULL');
    t.index(['status', 'kind']);
  });
  await knex.schema.createTable('join_applications', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique();
    t.string('email', 254).notNullable();
    t.string('email_norm', 254).notNullable().index();
    t.string('locale', 5).notNullable().defaultTo('en');
    t.text('data').notNullable();
    t.string('status', 12).notNullable().defaultTo('unconfirmed');
    t.string('created_at').notNullable();
    t.string('confirmed_at');
    t.string('decided_at');
    t.integer('decided_by_user_id').references('users.id').onDelete('SET NULL');
    t.integer('person_id').references('people.id').onDelete('SET NULL');
    t.index(['status', 'created_at']);
  });
  await knex.schema.createTable('account_links', (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE').index();
    t.string('kind', 10).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at').notNullable();
    t.string('expires_at').notNullable();
    t.string('used_at');
  });
  await knex.schema.createTable('request_counters', (t) => {
    t.string('key', 200).primary();
    t.integer('hits').notNullable().defaultTo(0);
    t.string('reset_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('request_counters');
  await knex.schema.dropTable('account_links');
  await knex.schema.dropTable('join_applications');
  await knex.schema.dropTable('person_requests');
  await knex.schema.dropTable('campaign_recipients');
  await knex.schema.dropTable('person_links');
  await knex.schema.dropTable('mail_outbox');
  await knex.schema.dropTable('mail_campaigns');
  await knex.schema.alterTable('people', (t) => {
    t.dropColumn('locale');
    t.dropColumn('available_until');
  });
}
