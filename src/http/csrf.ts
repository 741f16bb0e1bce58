// CSRF protection for every state-changing request, and the one list of routes that may take multipart bodies.
//
// - A logged-in user's token lives in their session (synchroniser token, csrf-sync).
// - An anonymous visitor's token (the login, set-up and language forms) lives in a signed, httpOnly cookie
//   (double submit), so an anonymous page view writes no session row.
// - multipart/form-data is refused (415) on every route except those the app names in `multipartRoutes`; such a
//   route parses its upload and then calls `requireCsrfToken(req)` itself.
import { createHmac } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { HttpError } from './errors.js';
import { readCookie, sameString } from './cookies.js';

export const CSRF_COOKIE = 'skillnet.csrf';

export interface CsrfOptions {
  secret: string;
  /** cookies only over HTTPS */
  secure: boolean;
  /** "METHOD /path" of the only routes that may receive multipart/form-data (and check the token themselves) */
  multipartRoutes: readonly string[];
}

function tokenFromRequest(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const sent = body?._csrf ?? req.headers['x-csrf-token'];
  return typeof sent === 'string' ? sent : undefined;
}

export function isMultipart(req: Request): boolean {
  return Boolean(req.is('multipart/form-data'));
}

/** The middleware chain: refuse stray multipart, then check the token of every POST/PUT/PATCH/DELETE. */
export function csrfProtection({ secret, secure, multipartRoutes }: CsrfOptions): RequestHandler[] {
  const exempt = new Set(multipartRoutes);
  const isExempt = (req: Request) => exempt.has(`${req.method} ${req.path}`);
  const sign = (token: string) => createHmac('sha256', secret).update(`csrf:${token}`).digest('base64url');

  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: tokenFromRequest,
    getTokenFromState: (req) => {
      if (req.user) return req.session?.csrfToken;
      const cookie = readCookie(req.headers.cookie, CSRF_COOKIE);
      const dot = cookie?.lastIndexOf('.') ?? -1;
      if (!cookie || dot < 1) return undefined;
      const token = cookie.slice(0, dot);
      return sameString(cookie.slice(dot + 1), sign(token)) ? token : undefined;
    },
    storeTokenInState: (req, token) => {
      if (req.user) {
        if (req.session) req.session.csrfToken = token;
        return;
      }
      if (token) {
        req.res?.cookie(CSRF_COOKIE, `${token}.${sign(token)}`, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
      }
    },
    size: 32,
    // only the named upload routes skip the global check; they call requireCsrfToken after parsing
    skipCsrfProtection: (req) => isMultipart(req) && isExempt(req),
  });

  const refuseStrayMultipart = (req: Request, _res: Response, next: NextFunction) => {
    if (isMultipart(req) && !isExempt(req)) return next(new HttpError(415, 'errors.multipart'));
    next();
  };
  const checkLater = (req: Request, _res: Response, next: NextFunction) => {
    (req as CsrfRequest).csrfValid = () => {
      const sent = tokenFromRequest(req);
      const stored = req.user ? req.session?.csrfToken : undefined;
      const anonymous = req.user ? undefined : readCookie(req.headers.cookie, CSRF_COOKIE);
      if (!sent) return false;
      if (stored) return sameString(sent, stored);
      if (anonymous) return sameString(anonymous, `${sent}.${sign(sent)}`);
      return false;
    };
    next();
  };
  return [refuseStrayMultipart, csrfSynchronisedProtection, checkLater];
}

type CsrfRequest = Request & { csrfValid?: () => boolean };

/** For a route named in multipartRoutes: whether the token sent with the parsed upload is right. */
export function csrfTokenValid(req: Request): boolean {
  const valid = (req as CsrfRequest).csrfValid;
  return Boolean(valid && valid());
}
