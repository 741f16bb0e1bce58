// Sessions in the database, touched at most once a minute per session: a page view then only reads its
// session, so pages keep answering while a long batch (an import) holds SQLite's write lock.
// A session read is kept for at most a second per instance (every logged-in request reads it): a write or destroy
// through this store forgets it at once (a logout regenerates the session, i.e. destroys it here), and so does
// sessionsChanged(), which every query that deletes session rows directly calls (deactivation, "end other
// sessions"). A change made by another instance is seen after at most READ_CACHE_MS.
import { createRequire } from 'node:module';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { SessionData } from 'express-session';

/**
 * The session cookie is signed with an HMAC (cookie-signature, as express-session did): to check the cookie a
 * request brings (unsign signs the id again and compares in constant time) and to send it again. The signature
 * of an id under a secret never changes, so sign() is remembered per (secret, id): a request then computes no
 * HMAC for a session seen before. The constant-time comparison stays; a changed or forged signature still fails
 * it. Patched on the module instance express-session requires (the one src/http/session.ts uses).
 */
const SIGNED_MAX = 10_000;
export const cookieSignature = createRequire(createRequire(import.meta.url).resolve('express-session'))('cookie-signature') as {
  sign(val: string, secret: string): string;
  unsign(input: string, secret: string): string | false;
  __remembered?: boolean;
};
if (!cookieSignature.__remembered) {
  const sign = cookieSignature.sign;
  const signed = new Map<string, Map<string, string>>();
  cookieSignature.sign = (val: string, secret: string) => {
    if (typeof val !== 'string' || typeof secret !== 'string') return sign(val, secret);
    let bySecret = signed.get(secret);
    if (!bySecret) signed.set(secret, (bySecret = new Map()));
    let out = bySecret.get(val);
    if (out === undefined) {
      out = sign(val, secret);
      if (bySecret.size >= SIGNED_MAX) bySecret.clear();
      bySecret.set(val, out);
    }
    return out;
  };
  cookieSignature.__remembered = true;
}

const TOUCH_EVERY_MS = 60 * 1000;
const READ_CACHE_MS = 1000;
const MAX_CACHED = 10_000;

/** Bumped by every direct delete of session rows in this process: no store answers from its cache after it. */
let generation = 0;

/** Call after deleting rows of the sessions table without the store (e.g. a user's sessions). */
export function sessionsChanged(): void {
  generation++;
}

interface Cached {
  at: number;
  generation: number;
  /** the session as stored (JSON), or null: no such session; parsed anew for every request */
  json: string | null;
}

/**
 * connect-session-knex hands an error to the callback AND rethrows it from the promise nobody awaits
 * (express-session uses callbacks): an unhandled rejection that ended the process on a busy or full disk.
 * Here the callback alone carries it, so the request answers 503 and the process keeps serving.
 */
export class SessionStore extends ConnectSessionKnexStore {
  private readonly cache = new Map<string, Cached>();
  /** bumped by every set/destroy through this store: a read that started before it is not cached */
  private version = 0;

  override async get(sid: string, callback?: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    const now = Date.now();
    const hit = this.cache.get(sid);
    if (hit && hit.generation === generation && now - hit.at < READ_CACHE_MS) {
      const session = hit.json === null ? null : (JSON.parse(hit.json) as SessionData);
      callback?.(null, session);
      return session;
    }
    const [version, gen] = [this.version, generation];
    let session: SessionData | null;
    try {
      session = await super.get(sid, undefined as never);
    } catch (err) {
      callback?.(err);
      return settle(err, callback);
    }
    if (version === this.version && gen === generation) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(sid, { at: now, generation: gen, json: session ? JSON.stringify(session) : null });
    }
    callback?.(null, session);
    return session;
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    this.forget(sid);
    this.touchedAt.set(sid, Date.now()); // a save moves the expiry on too
    await super.set(sid, session, callback as never).catch((err) => settle(err, callback));
    this.forget(sid);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.forget(sid);
    const n = (await super.destroy(sid, callback as never).catch((err) => settle(err, callback))) ?? 0;
    this.forget(sid);
    return n;
  }

  private forget(sid: string): void {
    this.version++;
    this.cache.delete(sid);
  }

  private readonly touchedAt = new Map<string, number>();

  /**
   * Whether a session in use should have its expiry moved on now: at most once a minute per session (a page view
   * then only reads it). The session layer (src/http/session.ts) then sends the cookie again and calls touch().
   */
  touchDue(sid: string): boolean {
    const now = Date.now();
    if (now - (this.touchedAt.get(sid) ?? 0) < TOUCH_EVERY_MS) return false;
    if (this.touchedAt.size >= 10000) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    return true;
  }

  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
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
