// A user's sessions, read from the session store's table (connect-session-knex: sid, sess as JSON, expired).
import type { Knex } from 'knex';
import { jsonTextAt } from '../db.js';
import { sessionsChanged } from '../http/session-store.js';

export interface SessionRow {
  sid: string;
  sess: Record<string, unknown>;
  expired: Date;
}

/** The unexpired sessions a user is signed in with. */
export async function sessionsOfUser(db: Knex, userId: number): Promise<SessionRow[]> {
  const rows: { sid: string; sess: string | Record<string, unknown>; expired: string | Date }[] = await db('sessions')
    .whereRaw(`${jsonTextAt(db, 'sess', ['passport', 'user'])} = ?`, [String(userId)])
    .select('sid', 'sess', 'expired');
  const now = Date.now();
  return rows
    .map((r) => ({ sid: r.sid, sess: typeof r.sess === 'string' ? JSON.parse(r.sess) as Record<string, unknown> : r.sess, expired: new Date(r.expired) }))
    .filter((r) => r.expired.getTime() > now);
}

/** Ends one session of this user (never another user's). */
export async function deleteSessionOfUser(db: Knex, userId: number, sid: string): Promise<void> {
  await db('sessions').where({ sid }).whereRaw(`${jsonTextAt(db, 'sess', ['passport', 'user'])} = ?`, [String(userId)]).del();
  sessionsChanged();
}
