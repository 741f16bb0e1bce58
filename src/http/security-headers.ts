// The security headers of every answer (helmet): one definition, used by the app and by the benchmark's bare
// "hello" route, so the fixed cost of a page is measured against a baseline that sends the same headers.
// The policy depends on nothing in the request (no nonce), so helmet computes the headers once, at start-up:
// each answer then only sets that list, instead of running helmet's dozen middlewares again.
import helmet from 'helmet';
import type { RequestHandler, Response } from 'express';
import type { Config } from '../config.js';

/** helmet's options: the one policy. */
export function helmetOptions(config: Pick<Config, 'env'>): Parameters<typeof helmet>[0] {
  return {
    // styles only from our own files: no inline style attributes, no other hosts
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'form-action': ["'self'"], 'style-src': ["'self'"] } },
    strictTransportSecurity: config.env === 'production',
  };
}

export function securityHeaders(config: Pick<Config, 'env'>): RequestHandler {
  const headers = helmetHeaders(helmet(helmetOptions(config)));
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    res.removeHeader('X-Powered-By');
    next();
  };
}

/** The headers helmet sets, by running it once on a stand-in response (it reads nothing from the request). */
function helmetHeaders(middleware: ReturnType<typeof helmet>): [string, string][] {
  const headers: [string, string][] = [];
  let done = false;
  const res = {
    setHeader(name: string, value: string) { headers.push([name, String(value)]); },
    removeHeader() {},
  } as unknown as Response;
  middleware({ method: 'GET', headers: {} } as never, res as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return headers;
}
