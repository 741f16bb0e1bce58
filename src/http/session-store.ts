// Sessions in the database, touched at most once a minute per session: a page view then only reads its
// session, so pages keep answering while a long batch (an import) holds SQLite's write lock.
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { SessionData } from 'express-session';

const TOUCH_EVERY_MS = 60 * 1000;

/**
 * connect-session-knex hands an error to the callback AND rethrows it from the promise nobody awaits
 * (express-session uses callbacks): an unhandled rejection that ended the process on a busy or full disk.
 * Here the callback alone carries it, so the request answers 503 and the process keeps serving.
 */
export class SessionStore extends ConnectSessionKnexStore {
  override async get(sid: string, callback?: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    return super.get(sid, callback as never).catch((err) => settle(err, callback));
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    await super.set(sid, session, callback as never).catch((err) => settle(err, callback));
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    return (await super.destroy(sid, callback as never).catch((err) => settle(err, callback))) ?? 0;
  }

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

/** With a callback, the error has been delivered to it: resolve. Without one, the caller awaits: rethrow. */
function settle(err: unknown, callback: unknown): never | null {
  if (typeof callback === 'function') return null;
  throw err;
}
