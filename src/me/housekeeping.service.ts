// Periodic clean-up of the self-service data (run by the mail worker about once a minute).
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { purgeApplications } from '../join/join.queries.js';

export async function selfServiceHousekeeping(db: Knex): Promise<void> {
  await db('request_counters').where('reset_at', '<', nowIso()).del();
  await purgeApplications(db);
}
