// Sessions in the database, touched at most once a minute per session: a page view then only reads its
// session, so pages keep answering while a long batch (an import) holds SQLite's write lock.
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { SessionData } from 'express-session';

const TOUCH_EVERY_MS = 60 * 1000;

export class SessionStore extends ConnectSessionKnexStore {
  private readonly touchedAt = new Map<string, number>();

  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(sid) ?? 0) < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.touchedAt.set(sid, now);
    if (this.touchedAt.size > 10000) this.touchedAt.clear();
    try {
      await super.touch(sid, session);
    } catch {
      // a missed touch only shortens the session's life in the store; never fail the page for it
    }
    callback?.();
  }
}
