// One structured log line per request: method, route (the pattern, e.g. /people/:id, never the path with its
// ids or tokens, never the query string), status, duration, user id and a request id. No names or e-mails.
// Written straight through the process logger when the response ends: no child logger, serializers or
// per-request closures (pino-http cost about 7 % of an almost empty page; see BENCHMARKS.md).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NextFunction, Request, Response } from 'express';
import { log } from '../log.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** this request's id (also sent as X-Request-Id and logged as req_id) */
      reqId?: string;
      /** when the request arrived (performance.now()) */
      startedAt?: number;
    }
  }
}

/** The route pattern that answered, or a file path for static assets, or '-' for anything unmatched. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl ?? ''}${String(req.route.path)}`;
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0]!;
  return /^\/[\w./-]*\.[a-z0-9]+$/i.test(path) && path.length < 200 ? path : '-';
}

/** A logger whose lines carry this request's id (for an error logged while answering it). */
export function logFor(req: Request): Logger {
  return req.reqId ? log().child({ req_id: req.reqId }) : log();
}

function logLine(req: Request, res: Response, aborted: boolean): void {
  const logger = log();
  const status = res.statusCode;
  const level = aborted || status >= 500 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const ms = Math.round(performance.now() - req.startedAt!);
  const line = {
    req_id: req.reqId, ms, method: req.method, route: routeOf(req), user_id: (req.user as { id?: number } | undefined)?.id ?? null, status,
    ...(aborted ? { aborted: true } : {}),
  };
  logger[level](line, 'request');
}

export function requestLog() {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.startedAt = performance.now();
    const id = randomUUID();
    req.reqId = id;
    res.setHeader('X-Request-Id', id);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      logLine(req, res, !res.writableFinished);
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
