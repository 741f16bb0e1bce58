// Failed-login counters in the database (table login_throttle): shared by every instance, kept per window.
import type { Knex } from 'knex';

/** Failures of each key within the window that started after `since`; keys without a current window count 0. */
export async function failureCounts(db: Knex, keys: string[], since: string): Promise<number[]> {
  const rows: { key: string; failures: number }[] = await db('login_throttle').whereIn('key', keys).where('window_start', '>=', since).select('key', 'failures');
  return keys.map((k) => Number(rows.find((r) => r.key === k)?.failures ?? 0));
}

/** Counts one failure for each key; a key whose window has passed starts a new one. */
export async function recordFailures(db: Knex, keys: string[], now: string, since: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('login_throttle').where('window_start', '<', since).del();
    for (const key of keys) {
      await trx('login_throttle').insert({ key, failures: 1, window_start: now }).onConflict('key')
        .merge({ failures: trx.raw('?? + 1', ['login_throttle.failures']) });
    }
  });
}

export async function clearFailures(db: Knex, keys: string[]): Promise<void> {
  await db('login_throttle').whereIn('key', keys).del();
}
