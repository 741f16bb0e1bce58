// Request counters in the database (shared by every instance): how often a key (an address, an e-mail) was
// seen in the current window.
import type { Knex } from 'knex';

/** Forgets the counters whose window has ended. */
export async function purgeExpiredCounters(db: Knex, nowIso = new Date().toISOString()): Promise<void> {
  await db('request_counters').where('reset_at', '<', nowIso).del();
}

/**
 * Counts one hit for `key` and returns the hits in the current window of `windowMs`. One atomic upsert: two
 * instances (or two connections of one) counting at once never both see the same number.
 */
export async function countHit(db: Knex, key: string, windowMs: number, now = Date.now()): Promise<number> {
  return (await countHitWindow(db, key, windowMs, now)).hits;
}

/** countHit, with the end of the current window too (for RateLimit-Reset headers). */
export async function countHitWindow(db: Knex, key: string, windowMs: number, now = Date.now()): Promise<{ hits: number; resetAt: string }> {
  const nowIso = new Date(now).toISOString();
  const expired = 'request_counters.reset_at <= ?';
  const [row] = await db('request_counters')
    .insert({ key, hits: 1, reset_at: new Date(now + windowMs).toISOString() })
    .onConflict('key')
    .merge({
      hits: db.raw(`case when ${expired} then 1 else request_counters.hits + 1 end`, [nowIso]),
      reset_at: db.raw(`case when ${expired} then excluded.reset_at else request_counters.reset_at end`, [nowIso]),
    })
    .returning(['hits', 'reset_at']);
  const r = row as { hits: number; reset_at: string };
  return { hits: Number(r.hits), resetAt: r.reset_at };
}
