// Who is calling the API: the bearer token, checked on every request (revoked, expired, owner deactivated), its
// rate limit (per token, shared by every instance through the database) and its last use. The caller then acts with
// the token owner's current role (a service token: the role an admin gave it), never more, and a read token only reads.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { catalog } from '../i18n/catalog.js';
import { isLocale, localeFromAcceptLanguage, makeTranslator } from '../i18n/i18n.js';
import { countHitWindow } from '../shared/rate-limit.queries.js';
import { getPolicy } from '../settings/settings.queries.js';
import { can, isRole, type Action, type Role } from '../users/roles.domain.js';
import type { Actor } from '../audit/audit.queries.js';
import { apiTokenHash, bearerToken, RATE_WINDOW_MS, scopeAllows, shouldRecordUse, tokenInQuery, tokenState } from './api.domain.js';
import { problem } from './problems.domain.js';
import { recordTokenUse, tokenByHash } from './tokens.queries.js';

export interface ApiCaller {
  tokenId: number;
  tokenName: string;
  scope: string;
  role: Role;
  userId: number | null;
  email: string | null;
  organisationId: number | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** the API caller (set by bearerAuth under /api/v1) */
      api?: ApiCaller;
    }
  }
}

/** The request's language before the token is known (problems of a missing or wrong token). */
export function apiLocale(req: Request, _res: Response, next: NextFunction): void {
  req.locale = localeFromAcceptLanguage(req.get('accept-language'));
  req.t = makeTranslator(catalog, req.locale);
  next();
}

const challenge = (res: Response, error?: string) =>
  res.set('WWW-Authenticate', `Bearer realm="skillnet"${error ? `, error="${error}"` : ''}`);

/** Authenticates the bearer token; 401 problems for a missing, wrong, revoked or expired one, 429 over the rate. */
export function bearerAuth(db: Knex, config: Pick<Config, 'apiRatePerMinute'>): RequestHandler {
  return (req, res, next) => {
    (async () => {
      // a token in the URL ends up in logs and browser history: refused even when it is valid
      if (tokenInQuery(req.query as Record<string, unknown>)) {
        challenge(res, 'invalid_request');
        throw problem('unauthorized', 'api.auth.tokenInQuery');
      }
      const presented = bearerToken(req.get('authorization'));
      if (presented === null) {
        challenge(res);
        throw problem('unauthorized', 'api.auth.missing');
      }
      const hash = presented === 'malformed' ? null : apiTokenHash(presented);
      const row = hash ? await tokenByHash(db, hash) : undefined;
      if (!row) {
        challenge(res, 'invalid_token');
        throw problem('unauthorized', 'api.auth.invalid');
      }
      const state = tokenState(row);
      const userGone = row.user_id !== null && !Number(row.user_active);
      if (state !== 'active' || userGone) {
        challenge(res, 'invalid_token');
        throw problem('unauthorized', userGone ? 'api.auth.deactivated' : `api.auth.${state}`);
      }
      const role = row.user_id !== null ? row.user_role : row.role;
      if (!isRole(role)) throw problem('forbidden');
      if (row.locale && isLocale(row.locale)) {
        req.locale = row.locale;
        req.t = makeTranslator(catalog, row.locale);
      }
      req.api = {
        tokenId: row.id, tokenName: row.name, scope: row.scope, role, userId: row.user_id, email: row.user_email,
        organisationId: row.user_id !== null ? row.organisation_id : null,
      };
      const limit = config.apiRatePerMinute;
      if (limit > 0) {
        const { hits, resetAt } = await countHitWindow(db, `api-token:${row.id}`, RATE_WINDOW_MS);
        const reset = Math.max(0, Math.ceil((Date.parse(resetAt) - Date.now()) / 1000));
        res.set({ 'RateLimit-Limit': String(limit), 'RateLimit-Remaining': String(Math.max(0, limit - hits)), 'RateLimit-Reset': String(reset), 'RateLimit-Policy': `${limit};w=${RATE_WINDOW_MS / 1000}` });
        if (hits > limit) {
          res.set('Retry-After', String(reset));
          throw problem('rate-limited', undefined, { limit, seconds: reset });
        }
      }
      if (shouldRecordUse(row, req.ip ?? '')) await recordTokenUse(db, row.id, req.ip ?? '');
      if (!scopeAllows(row.scope, req.method)) throw problem('forbidden', 'api.auth.readOnly');
    })().then(() => next(), next);
  };
}

/** 403 unless the caller's role may do this (the same can() and settings as the web). */
export function allow(action: Action): RequestHandler {
  return (req, _res, next) => {
    getPolicy(req.app.locals.db)
      .then((policy) => next(req.api && can(req.api.role, action, policy) ? undefined : problem('forbidden')))
      .catch(next);
  };
}

/** The audit log's actor for an API write: the token's owner (if any), named with the token. */
export function apiActor(req: Request): Actor {
  const a = req.api!;
  return { userId: a.userId, label: `${a.email ?? 'service'} · API token "${a.tokenName}" (#${a.tokenId})`, source: 'api' };
}

/** The caller as canManageProject wants a user (staff act only within their organisation). */
export function apiUser(req: Request): { role: Role; organisation_id: number | null } {
  return { role: req.api!.role, organisation_id: req.api!.organisationId };
}
