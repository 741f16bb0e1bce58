// The security headers of every answer (helmet): one definition, used by the app and by the benchmark's bare
// "hello" route, so the fixed cost of a page is measured against a baseline that sends the same headers.
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

export function securityHeaders(config: Pick<Config, 'env'>): RequestHandler {
  return helmet({
    // styles only from our own files: no inline style attributes, no other hosts
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'form-action': ["'self'"], 'style-src': ["'self'"] } },
    strictTransportSecurity: config.env === 'production',
  });
}
