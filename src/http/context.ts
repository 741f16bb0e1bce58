// Per-request view context: language, translator, formatters, the user, the CSRF token and flash messages.
// (What the user may do, res.locals.can, is added by the users feature: src/users/auth.service.ts.)
import type { NextFunction, Request, Response } from 'express';
import { catalog } from '../i18n/catalog.js';
import { isLocale, localeFromAcceptLanguage, makeFormatters, makeTranslator, type Locale } from '../i18n/i18n.js';
import { takeFlash } from './flash.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      locale: Locale;
      t: import('../i18n/i18n.js').Translate;
    }
  }
}

function localeOf(req: Request): Locale {
  if (req.user && isLocale(req.user.locale)) return req.user.locale;
  if (isLocale(req.session?.locale)) return req.session.locale;
  return localeFromAcceptLanguage(req.get('accept-language'));
}

export async function viewContext(req: Request, res: Response, next: NextFunction): Promise<void> {
  const locale = localeOf(req);
  req.locale = locale;
  req.t = makeTranslator(catalog, locale);
  // a plain object instead of Express's Object.create(null), which V8 keeps as a hash table: every template reads
  // its locals by name, and render copies them (each a property load the object's hidden class answers)
  res.locals = {
    ...res.locals,
    locale,
    t: req.t,
    fmt: makeFormatters(locale),
    user: req.user ?? null,
    csrfToken: req.csrfToken ? req.csrfToken() : '',
    flash: takeFlash(req),
    path: req.path,
    currentUrl: req.originalUrl,
    errors: {},
    values: {},
    title: '',
  };
  res.vary('Accept-Language');
  next();
}
