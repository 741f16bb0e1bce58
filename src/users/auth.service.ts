// Sign-in and session: passport-local, the guards every route uses (requireLogin, authorize(action)), the acting user
// for the audit log, and what the views may show (res.locals.can). Lives with users so that src/http/ knows no feature.
import { createRequire } from 'node:module';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Knex } from 'knex';
import { can, type Action, type Role } from './roles.domain.js';
import { findSessionUser, findUserByEmail } from './users.queries.js';
import { verifyPassword } from './passwords.service.js';
import { forbidden } from '../http/errors.js';
import type { Actor } from '../audit/audit.queries.js';
import { getPolicy } from '../settings/settings.queries.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User {
      id: number;
      email: string;
      name: string;
      role: Role;
      organisation_id: number | null;
      locale: string | null;
      must_change_password: number;
      totp_enabled_at?: string | null;
    }
  }
}

// A hash to compare against when the e-mail is unknown, so timing does not reveal which accounts exist.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0mGWf1Jq6Y1S9cQ3i2Vx3cQW2x6o0A3yq8W1nN3x9rE';

export function createPassport(db: Knex) {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      (async () => {
        const user = await findUserByEmail(db, String(email));
        const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, String(password));
        if (!user || !ok || !user.active) return done(null, false);
        const { password_hash: _ignored, totp_secret: _secret, totp_last_step: _step, ...rest } = user;
        return done(null, rest as Express.User);
      })().catch(done);
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  return passport;
}

type PassportInstance = ReturnType<typeof createPassport>;

/**
 * What passport.initialize() and passport.session() did on every request, once: req.login/req.logout (which
 * regenerate the session) are put on the app's request prototype instead of onto each request, and the signed-in
 * user is read by sessionUser below instead of passport's session strategy (a strategy object per request).
 */
export function installPassport(app: { request: object }, passport: PassportInstance): void {
  const ext = createRequire(import.meta.url)('passport/lib/http/request.js') as Record<string, unknown>;
  Object.assign(app.request, {
    login: ext.logIn, logIn: ext.logIn, logout: ext.logOut, logOut: ext.logOut,
    isAuthenticated: ext.isAuthenticated, isUnauthenticated: ext.isUnauthenticated,
    _sessionManager: (passport as unknown as { _sm: unknown })._sm,
  });
}

/**
 * req.user from the session (the user id passport's login put there): read through the users cache, at most a
 * second old from another instance and never stale from this one (src/users/users.queries.ts). A deactivated or
 * deleted user is signed out of this session, as passport's session strategy did.
 */
export function sessionUser(db: Knex): RequestHandler {
  return (req, _res, next) => {
    const held = (req.session as { passport?: { user?: unknown } } | undefined)?.passport;
    if (!held || held.user === undefined || held.user === null) return next();
    findSessionUser(db, Number(held.user))
      .then((u) => {
        if (u && u.active) req.user = u as Express.User;
        else delete held.user;
        next();
      })
      .catch(next);
  };
}

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  const nextUrl = req.method === 'GET' ? req.originalUrl : '/';
  res.redirect(`/login?next=${encodeURIComponent(nextUrl)}`);
}

/** 403 unless the logged-in user's role may do this; on form pages and their POSTs alike. */
export function authorize(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(forbidden());
    getPolicy(req.app.locals.db)
      .then((policy) => (can(req.user!.role, action, policy) ? next() : next(forbidden())))
      .catch(next);
  };
}

export function actorOf(req: Request): Actor {
  return req.user
    ? { userId: req.user.id, label: req.user.email, source: 'web' }
    : { userId: null, label: 'anonymous', source: 'web' };
}

/** Lets the views ask can('action') for the logged-in user (the settings' policy included). */
export function permissionsContext(req: Request, res: Response, next: NextFunction): void {
  if (!req.user) {
    res.locals.can = (action: Action) => can(undefined, action);
    return next();
  }
  getPolicy(req.app.locals.db)
    .then((policy) => {
      res.locals.can = (action: Action) => can(req.user?.role, action, policy);
      next();
    })
    .catch(next);
}
