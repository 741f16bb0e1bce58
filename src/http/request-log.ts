// One structured log line per request: method, route (the pattern, e.g. /people/:id, never the path with its
// ids or tokens, never the query string), status, duration, user id and a request id. No names or e-mails.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pinoHttp } from 'pino-http';
import { log } from '../log.js';

/** The route pattern that answered, or a file path for static assets, or '-' for anything unmatched. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl ?? ''}${String(req.route.path)}`;
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0]!;
  return /^\/[\w./-]*\.[a-z0-9]+$/i.test(path) && path.length < 200 ? path : '-';
}

function propsOf(r: Request) {
  return { method: r.method, route: routeOf(r), user_id: (r.user as { id?: number } | undefined)?.id ?? null };
}

export function requestLog() {
  return pinoHttp({
    logger: log(),
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // the default serializers would log the URL with its query and every header (cookies): none of that
    serializers: { req: () => undefined, res: () => undefined },
    quietReqLogger: true,
    customAttributeKeys: { responseTime: 'ms', reqId: 'req_id' },
    // computed when the response is done (the route and the user are known then)
    customSuccessObject: (req, res, val) => ({ ...val, ...propsOf(req as Request), status: res.statusCode }),
    customErrorObject: (req, res, _err, val) => ({ ...val, ...propsOf(req as Request), status: res.statusCode }),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    // the error handler logs errors once, with their stack; the request line only counts them
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
  });
}
