// Periodic clean-up of the self-service data (run by the mail worker about once a minute).
import type { Knex } from 'knex';
import { purgeExpiredCounters } from '../shared/rate-limit.queries.js';
import { purgeApplications } from '../join/join.queries.js';

export async function selfServiceHousekeeping(db: Knex): Promise<void> {
  await purgeExpiredCounters(db);
  await purgeApplications(db);
}
