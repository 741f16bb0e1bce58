// Per-request view context: language, translator, formatters, the user, the CSRF token and flash messages.
import type { NextFunction, Request, Response } from 'express';
import { catalog } from '../i18n/catalog.js';
import { isLocale, localeFromAcceptLanguage, makeFormatters, makeTranslator, type Locale } from '../i18n/i18n.js';
import { can, type Action } from '../users/roles.domain.js';
import { takeFlash } from './flash.js';
import { getPolicy } from '../settings/settings.queries.js';

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
  const policy = req.user ? await getPolicy(req.app.locals.db) : {};
  Object.assign(res.locals, {
    locale,
    t: req.t,
    fmt: makeFormatters(locale),
    user: req.user ?? null,
    can: (action: Action) => can(req.user?.role, action, policy),
    csrfToken: req.csrfToken ? req.csrfToken() : '',
    flash: takeFlash(req),
    path: req.path,
    currentUrl: req.originalUrl,
    errors: {},
    values: {},
    title: '',
  });
  res.vary('Accept-Language');
  next();
}
