// The session of a web request: what express-session did here, for what this app uses, at a fraction of its cost
// per request (it was about 110 µs of an empty logged-in page's 510 µs: BENCHMARKS.md).
//
// - The cookie is express-session's: `skillnet.sid` = "s:" + id + "." + HMAC-SHA256 (cookie-signature), httpOnly,
//   SameSite=Lax, Secure in production; the rows in the store are the same JSON ({cookie, passport, csrfToken, …}),
//   so sessions survive the change and src/users/sessions.queries.ts reads them as before.
// - A new session is stored, and its cookie sent, only once something was put into it (saveUninitialized: false).
// - A changed session is saved before the response ends (the next request of the browser finds it).
// - 8 hours after its last use a session ends: the row's expiry and the cookie's are moved on together, at most
//   once a minute per session (SessionStore.touchDue), instead of a Set-Cookie header on every answer.
// - regenerate() (every sign-in and sign-out: no session fixation), save() and destroy() work as express-session's
//   do, so passport's req.login/req.logout use them unchanged.
// What it no longer does per request: three SHA-1 hashes of the session, a Cookie and a Session object built
// through prototypes, a random id for every anonymous visit, a Set-Cookie header on every answer.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Session, SessionData } from 'express-session';
import { logError } from '../log.js';
import { readCookie, sameString } from './cookies.js';
import { cookieSignature, type SessionStore } from './session-store.js';

export interface SessionOptions {
  name: string;
  secret: string;
  store: SessionStore;
  /** idle time after which a session ends, ms */
  maxAge: number;
  /** the cookie only over HTTPS (production) */
  secure: boolean;
}

type Stored = SessionData & Record<string, unknown>;
type Callback = (err?: unknown) => void;

/** The `cookie` of a stored session: what connect-session-knex reads (maxAge, expires) and express-session wrote. */
function cookieOf(maxAge: number, secure: boolean): SessionData['cookie'] {
  const expires = new Date(Date.now() + maxAge);
  const cookie = { originalMaxAge: maxAge, expires, secure, httpOnly: true, path: '/', sameSite: 'lax' };
  Object.defineProperty(cookie, 'maxAge', { value: maxAge, enumerable: false });
  return cookie as unknown as SessionData['cookie'];
}

const newId = () => randomBytes(24).toString('base64url');

/**
 * The id a signed cookie value ("id.signature") carries, or undefined when the signature is not ours. Compared in
 * constant time with the remembered signature (cookie-signature's unsign hashes both sides with SHA-1 to compare).
 */
function verifiedId(signed: string, secret: string): string | undefined {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = signed.slice(0, dot);
  return sameString(cookieSignature.sign(id, secret), signed) ? id : undefined;
}

/** req.session: the session's data as its own properties, and the express-session methods passport uses. */
class WebSession {
  declare id: string;
  declare req: Request;
  declare layer: SessionLayer;
  declare cookie: SessionData['cookie'];
  /** the data as JSON when loaded or last saved: a difference at the end means it must be saved */
  declare saved: string;
  /** whether the store holds this session (loaded from it, or saved) */
  declare stored: boolean;

  constructor(layer: SessionLayer, req: Request, id: string, data: Stored | null) {
    // not data: kept out of the stored JSON and out of changed()'s comparison
    Object.defineProperty(this, 'id', { value: id, enumerable: false });
    Object.defineProperty(this, 'req', { value: req, enumerable: false });
    Object.defineProperty(this, 'layer', { value: layer, enumerable: false });
    Object.defineProperty(this, 'cookie', { value: data?.cookie ?? null, enumerable: false, writable: true });
    if (data) for (const key of Object.keys(data)) if (key !== 'cookie') (this as unknown as Stored)[key] = data[key];
    Object.defineProperty(this, 'saved', { value: JSON.stringify(this), enumerable: false, writable: true });
    Object.defineProperty(this, 'stored', { value: data !== null, enumerable: false, writable: true });
  }

  /** whether the data differs from what the store holds (or, for a new session, whether it holds anything) */
  changed(): boolean {
    return JSON.stringify(this) !== this.saved;
  }

  regenerate(callback: Callback): this {
    this.layer.store.destroy(this.id, (err?: unknown) => {
      if (err) return callback(err);
      this.layer.use(this.req);
      callback();
    });
    return this;
  }

  save(callback?: Callback): this {
    const json = JSON.stringify(this);
    const cookie = cookieOf(this.layer.options.maxAge, this.layer.options.secure);
    this.cookie = cookie;
    this.layer.store.set(this.id, { ...(this as unknown as Stored), cookie }, (err?: unknown) => {
      if (!err) {
        this.saved = json;
        this.stored = true;
      }
      callback?.(err);
    });
    return this;
  }

  destroy(callback?: Callback): this {
    delete (this.req as { session?: unknown }).session;
    this.layer.store.destroy(this.id, (err?: unknown) => callback?.(err));
    return this;
  }
}

class SessionLayer {
  constructor(readonly options: SessionOptions) {}

  get store(): SessionStore {
    return this.options.store;
  }

  /** The request's session: one loaded from the store, or a new, empty one (stored only once something is put in). */
  use(req: Request, id: string = newId(), data: Stored | null = null): void {
    const session = new WebSession(this, req, id, data);
    req.session = session as unknown as Session & Partial<SessionData>;
    req.sessionID = session.id;
  }

  /** The cookie's value for a session id. */
  cookieValue(id: string): string {
    return encodeURIComponent(`s:${cookieSignature.sign(id, this.options.secret)}`);
  }

  setCookie(res: ServerResponse, id: string): void {
    const { name, maxAge, secure } = this.options;
    const expires = new Date(Date.now() + maxAge).toUTCString();
    const cookie = `${name}=${this.cookieValue(id)}; Path=/; Expires=${expires}; HttpOnly${secure ? '; Secure' : ''}; SameSite=Lax`;
    const prior = res.getHeader('Set-Cookie');
    res.setHeader('Set-Cookie', prior === undefined ? cookie : [...(Array.isArray(prior) ? prior : [String(prior)]), cookie]);
  }
}

/** The middleware: req.session and req.sessionID for every request below it. */
export function sessions(options: SessionOptions): RequestHandler {
  const layer = new SessionLayer(options);
  const { name, secret, store } = options;

  return (req: Request, res: Response, next: NextFunction) => {
    const raw = readCookie(req.headers.cookie, name);
    const cookieId = raw?.startsWith('s:') ? verifiedId(raw.slice(2), secret) : undefined;
    // what the browser holds: a cookie for this id is only sent again when the id changes or the expiry moves on
    let touchDue = false;
    let headersDone = false;

    const beforeHeaders = () => {
      if (headersDone) return;
      headersDone = true;
      const session = req.session as unknown as WebSession | undefined;
      if (!session) return;
      // Secure cookies only over HTTPS (as express-session: never sent where the browser would drop it)
      if (options.secure && !req.secure) return;
      if (session.id !== cookieId) {
        if (session.stored || session.changed()) layer.setCookie(res, session.id);
      } else if (touchDue || session.changed()) {
        layer.setCookie(res, session.id);
      }
    };

    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      res.writeHead = writeHead;
      beforeHeaders();
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;

    const end = res.end;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      res.end = end;
      const session = req.session as unknown as WebSession | undefined;
      const finish = () => (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      if (!session) return finish();
      if (session.changed()) {
        if (!res.headersSent) beforeHeaders();
        // saved before the answer ends: the browser's next request finds it (as express-session did)
        session.save((err) => {
          // the answer is already under way: the change is lost (logged), the page is not
          if (err) logError(err, { req_id: req.reqId }, 'session not saved');
          finish();
        });
        return this;
      }
      if (touchDue) store.touch(session.id, { cookie: cookieOf(options.maxAge, options.secure) } as SessionData).catch(() => undefined);
      return finish();
    } as typeof res.end;

    if (!cookieId) {
      layer.use(req);
      return next();
    }
    store.get(cookieId, (err: unknown, data?: SessionData | null) => {
      if (err) return next(err);
      if (data) {
        layer.use(req, cookieId, data as Stored);
        touchDue = store.touchDue(cookieId);
      } else {
        layer.use(req);
      }
      next();
    });
  };
}
