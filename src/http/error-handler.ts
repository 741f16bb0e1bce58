// One error path: every failure becomes a page (or JSON for JSON clients) with its status; never a stack trace.
import type { NextFunction, Request, Response } from 'express';
import { catalog } from '../i18n/catalog.js';
import { makeFormatters, makeTranslator } from '../i18n/i18n.js';
import { HttpError } from './errors.js';
import { dbErrorKey } from './db-errors.js';
import { logFor, routeOf } from './request-log.js';
import { MAX_FORM_FIELDS } from './forms.js';

interface KnownError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
}

function classify(err: unknown): { status: number; key: string; vars: Record<string, string | number> } {
  if (err instanceof HttpError) return { status: err.status, key: err.messageKey, vars: err.vars };
  const e = (err ?? {}) as KnownError;
  if (e.code === 'EBADCSRFTOKEN' || (e.status === 403 && /csrf/i.test(String((err as Error).message)))) {
    return { status: 403, key: 'errors.csrf', vars: {} };
  }
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') return { status: 413, key: 'errors.413', vars: {} };
  if (e.type === 'parameters.too.many') return { status: 422, key: 'errors.tooManyFields', vars: { max: MAX_FORM_FIELDS } };
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) return { status, key: `errors.${status}`, vars: {} };
  // the database busy, full, read-only or damaged: 503 with what happened; the process keeps serving
  const dbKey = dbErrorKey(err);
  if (dbKey) return { status: 503, key: dbKey, vars: {} };
  return { status: 500, key: 'errors.500', vars: {} };
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404));
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, key, vars } = classify(err);
  // logged once, with its stack (the request's own line follows with its status); never shown
  if (status >= 500) logFor(req).error({ err, route: routeOf(req) }, status === 503 ? 'database unavailable' : 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const t = req.t ?? makeTranslator(catalog, 'en');
  const message = t(key, vars);
  res.status(status);
  if (req.accepts(['html', 'json']) === 'json' && !req.accepts('html')) {
    res.json({ error: message });
    return;
  }
  const locals = {
    t, locale: req.locale ?? 'en', fmt: makeFormatters(req.locale ?? 'en'), user: req.user ?? null,
    can: () => false, csrfToken: '', flash: [], path: req.path, currentUrl: req.originalUrl,
    title: t(`errors.title${status}`), status, message,
  };
  res.render('errors/error', { ...res.locals, ...locals, can: res.locals.can ?? locals.can, csrfToken: res.locals.csrfToken ?? '' }, (renderErr, html) => {
    if (renderErr) {
      logFor(req).error({ err: renderErr }, 'error page failed to render');
      res.type('text/plain').send(message);
      return;
    }
    res.send(html);
  });
}
