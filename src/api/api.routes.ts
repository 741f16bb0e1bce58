// /api/v1: the JSON API. Mounted by app.ts before sessions, CSRF and the login (its one exemption): a request
// here is authenticated by its bearer token alone, and cookies are never read. Every answer is JSON; every error an
// RFC 9457 problem (never an HTML page, never a stack trace).
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator } from '../i18n/i18n.js';
import { logFor } from '../http/request-log.js';
import { API_BASE, API_BODY_LIMIT } from './api.domain.js';
import { apiLocale, bearerAuth } from './bearer.service.js';
import { openApiDocument } from './openapi.domain.js';
import { problem, problemBody, toProblem } from './problems.domain.js';
import { peopleApiRoutes } from './people.routes.js';
import { directoryApiRoutes } from './directory.routes.js';

/** The documented operations as [method, path pattern] (for 405 and its Allow header). */
function operations(): { method: string; pattern: RegExp }[] {
  const doc = openApiDocument();
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item as object)
    .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
    .map((method) => ({ method: method.toUpperCase(), pattern: new RegExp(`^${API_BASE}${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`) })));
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/** A body must be JSON (415 otherwise); a body-less POST is fine (erase). */
function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) return next(problem('unsupported-media-type'));
  if (hasBody && !WRITES.has(req.method)) return next(problem('unsupported-media-type'));
  next();
}

export function apiRoutes({ db, config }: { db: Knex; config: Config }) {
  const api = Router();
  api.use(API_BASE, apiLocale, (_req: Request, res: Response, next: NextFunction) => {
    // personal data: no cache may keep a copy
    res.set('Cache-Control', 'no-store');
    next();
  });
  // the description of the API is public: it holds no data
  api.get(`${API_BASE}/openapi.json`, (_req, res) => { res.json(openApiDocument()); });
  api.use(API_BASE, bearerAuth(db, config), jsonOnly, express.json({ limit: API_BODY_LIMIT, strict: true, type: ['application/json', 'application/*+json'] }));
  api.use(peopleApiRoutes({ db }));
  api.use(directoryApiRoutes({ db }));

  const ops = operations();
  api.use(API_BASE, (req: Request, res: Response, next: NextFunction) => {
    const allowed = ops.filter((o) => o.pattern.test(req.originalUrl.split('?')[0]!)).map((o) => o.method);
    if (allowed.length) {
      res.set('Allow', [...new Set(allowed)].join(', '));
      return next(problem('method-not-allowed', undefined, { method: req.method }));
    }
    next(problem('not-found'));
  });
  api.use(API_BASE, (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const p = toProblem(err);
    const body = problemBody(p, req.t ?? makeTranslator(catalog, 'en'), req.originalUrl.split('?')[0]);
    if (body.status >= 500) logFor(req).error({ err }, 'api request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  });
  return api;
}
