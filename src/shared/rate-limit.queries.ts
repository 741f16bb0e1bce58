// Request counters in the database (shared by every instance): how often a key (an address, an e-mail) was
// seen in the current window.
import type { Knex } from 'knex';

/** Counts one hit for `key` and returns the hits in the current window of `windowMs`. */
export async function countHit(db: Knex, key: string, windowMs: number, now = Date.now()): Promise<number> {
  const nowIso = new Date(now).toISOString();
  return db.transaction(async (trx) => {
    const row = await trx('request_counters').where({ key }).first('hits', 'reset_at');
    if (!row || row.reset_at <= nowIso) {
      await trx('request_counters').insert({ key, hits: 1, reset_at: new Date(now + windowMs).toISOString() })
        .onConflict('key').merge(['hits', 'reset_at']);
      return 1;
    }
    await trx('request_counters').where({ key }).increment('hits', 1);
    return Number(row.hits) + 1;
  });
}
