// createApp({db, config}): middleware, session, passport, routers, 404 and the error handler. Never listens.
import './features.js'; // every feature's messages, before any page is translated
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SessionStore } from './http/session-store.js';
import { sessions } from './http/session.js';
import type { Knex } from 'knex';
import type { Config } from './config.js';
import { createPassport, installPassport, permissionsContext, requireLogin, sessionUser } from './users/auth.service.js';
import { viewContext } from './http/context.js';
import { MAX_FORM_FIELDS, capRepeatedFields } from './http/forms.js';
import { csrfProtection } from './http/csrf.js';
import { securityHeaders } from './http/security-headers.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { requestLog } from './http/request-log.js';
import { ejsEngine } from './http/view-engine.js';
import { byFirstSegment } from './http/route-index.js';
import { inOrder } from './http/in-order.js';
import { configureLog, logError } from './log.js';
import type { IntegrityState } from './db.js';
import { countUsers } from './users/users.queries.js';
import { accountRoutes } from './users/account.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { signInRoutes } from './users/sign-in.routes.js';
import { requireSecondFactorEnrolment, securityRoutes } from './users/security.routes.js';
import { OidcService, type OidcOptions } from './users/oidc.service.js';
import { homeRoutes } from './home/home.routes.js';
import { peopleRoutes } from './people/people.routes.js';
import { bulkRoutes } from './people/bulk.routes.js';
import { languagesRoutes } from './people/languages.routes.js';
import { duplicatesRoutes } from './duplicates/duplicates.routes.js';
import { skillsRoutes } from './skills/skills.routes.js';
import { organisationsRoutes } from './organisations/organisations.routes.js';
import { projectsRoutes } from './projects/projects.routes.js';
import { importsRoutes } from './imports/imports.routes.js';
import { aboutRoutes } from './about/about.routes.js';
import { privacyRoutes } from './privacy/privacy.routes.js';
import { engagementsRoutes } from './engagements/engagements.routes.js';
import { insightsRoutes } from './insights/insights.routes.js';
import { exportsRoutes } from './exports/exports.routes.js';
import { savedSearchesRoutes } from './saved-searches/saved-searches.routes.js';
import { VIEW_CHOICES, VIEW_HELPERS, VIEW_LIMITS } from './views.js';
import { mailRoutes } from './mail/mail.routes.js';
import { meRoutes } from './me/me.routes.js';
import { campaignsRoutes } from './campaigns/campaigns.routes.js';
import { joinRoutes } from './join/join.routes.js';
import { accountLinksRoutes } from './accounts/account-links.routes.js';
import { requestsRoutes } from './me/requests.routes.js';
import { linksRoutes } from './me/links.routes.js';
import { apiRoutes } from './api/api.routes.js';
import { tokensRoutes } from './api/tokens.routes.js';
import { apiDocsRoutes } from './api/docs.routes.js';
import { webhooksRoutes } from './webhooks/webhooks.routes.js';
import { pickersRoutes } from './pickers/pickers.routes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = path.resolve(here, '../views');
const PUBLIC_DIR = path.resolve(here, '../public');

export interface AppOptions {
  db: Knex;
  config: Config;
  /** failed logins per client address and per account within 15 minutes before 429 */
  loginAttempts?: number;
  /** the background mail sender (server.ts starts it); pages that queue mail nudge it */
  mailWorker?: { kick(): void };
  /** single sign-on timings (tests shorten the retry after a provider was down) */
  oidc?: OidcOptions;
  /** the clock of two-factor codes (tests fix it) */
  clock?: () => number;
  /** the background webhook sender (server.ts starts it); the webhook pages nudge it after a re-send */
  webhookWorker?: { kick(): void };
}

export interface App extends express.Express {
  /** stops timers and waits for the session store; call before closing the database */
  shutdown(): Promise<void>;
}

export function createApp({ db, config, loginAttempts = 10, mailWorker, webhookWorker, oidc: oidcOptions, clock }: AppOptions): App {
  const app = express() as unknown as App;
  app.locals.db = db;
  app.locals.kickMail = () => mailWorker?.kick();
  app.locals.kickWebhooks = () => webhookWorker?.kick();
  app.locals.config = config;
  const oidc = config.oidc ? new OidcService(config.oidc, config.publicUrl, oidcOptions) : null;
  app.locals.oidc = oidc;
  app.locals.sso = oidc ? { label: oidc.label } : null; // the login page's "Sign in with …"
  oidc?.configuration().catch(() => undefined); // discovery in the background: start-up never waits for the provider
  if (config.logLevel) configureLog(config.logLevel, 1);
  app.locals.choices = VIEW_CHOICES;
  app.locals.limits = VIEW_LIMITS;
  Object.assign(app.locals, VIEW_HELPERS);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.engine('ejs', ejsEngine());
  // X-Forwarded-For/-Proto only from the proxies TRUST_PROXY names (default: none)
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // No ETag computed from each answer's body (a SHA-1 of every page): a signed-in page is no-store, so no browser
  // ever asks for it again with If-None-Match, and an anonymous form carries a fresh CSRF token each time. The
  // API's records carry their own ETags (versions, for If-Match); static files keep theirs (express.static).
  app.set('etag', false);

  // only paths that look like files touch the disk (a page request then costs no stat call)
  const assets = express.static(PUBLIC_DIR, { maxAge: config.env === 'production' ? '1h' : 0 });
  app.use(inOrder(
    requestLog(),
    securityHeaders(config),
    (req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? assets(req, res, next) : next()),
  ));
  // ok while the database answers; 503 when the integrity check at start found damage (see startIntegrityCheck)
  app.get('/health', (req, res) => {
    const integrity = req.app.locals.integrity as IntegrityState | undefined;
    if (integrity?.status === 'corrupt') {
      res.status(503).json({ status: 'corrupt', check: 'quick_check', problems: integrity.problems.length });
      return;
    }
    res.json({ status: 'ok' });
  });

  // The JSON API (/api/v1/…) is exempt from sessions, CSRF and the login — named here, once, and tested narrow in
  // test/api/exemptions.test.ts: it is mounted before the session, so cookies are never read there, and every
  // request must carry its own bearer token (src/api/bearer.service.ts). Everything else, /api/docs included, is below.
  // (entered only by paths under /api: its routers are mounted without a path, and every page walked their routes)
  app.use(byFirstSegment([apiRoutes({ db, config })]));

  const store = new SessionStore({
    knex: db,
    createTable: false,
    tableName: 'sessions',
    cleanupInterval: config.env === 'test' ? 0 : 15 * 60 * 1000,
    onDbCleanupError: (err) => logError(err, {}, 'session cleanup failed'),
  });
  // the store's start-up promise must not become an unhandled rejection (a busy or read-only database)
  store.ready.catch((err: unknown) => logError(err, {}, 'session store not ready'));
  const passport = createPassport(db);
  app.locals.passport = passport;
  installPassport(app, passport);
  // An empty install leads every page to /setup until the first admin exists.
  let hasUsers = false;
  app.use(inOrder(
    express.urlencoded({ extended: false, limit: '2mb', parameterLimit: MAX_FORM_FIELDS }),
    capRepeatedFields,
    sessions({ name: 'skillnet.sid', secret: config.sessionSecret, store, maxAge: 8 * 60 * 60 * 1000, secure: config.env === 'production' }),
    sessionUser(db),
    (req, res, next) => {
      // a logged-in page holds personal data: no browser or proxy may keep a copy
      if (req.user) res.set('Cache-Control', 'no-store');
      next();
    },
    // The ONE list of routes that may receive multipart bodies; each checks the CSRF token itself after parsing
    // (csrfTokenValid). Every other route answers multipart with 415.
    ...csrfProtection({ secret: config.sessionSecret, secure: config.env === 'production', multipartRoutes: ['POST /imports/new'] }),
    (req, res, next) => {
      viewContext(req, res, next).catch(next);
    },
    permissionsContext,
    (req: Request, res: Response, next: NextFunction) => {
      if (hasUsers || req.path === '/setup') return next();
      countUsers(db)
        .then((n) => {
          hasUsers = n > 0;
          if (hasUsers) return next();
          res.redirect('/setup');
        })
        .catch(next);
    },
  ));

  // Each group of feature routers below is one middleware that walks, in this order, only the routers with a
  // route under the request's first path segment (src/http/route-index.ts).
  app.use(byFirstSegment([
    accountRoutes({ db, loginAttempts, onSetupDone: () => (hasUsers = true) }),
    // The sign-in steps before a session: /login/2fa (the second factor after a right password), /login/oidc and
    // /login/oidc/callback (single sign-on); nothing else under /login (test/users/sign-in-exemptions.test.ts).
    signInRoutes({ db, loginAttempts, ...(clock ? { now: clock } : {}) }),
    aboutRoutes(),
    // Pages without a login beyond sign-in itself (named here, tested in test/me/exemptions.test.ts):
    // /me/TOKEN and its forms (a person's own page by secret link; nothing else under /me), and /join with its
    // confirmation link /join/confirm/TOKEN (nothing else under /join); /password/forgot and
    // /password/set/TOKEN (an invitation or reset link for a staff account).
    meRoutes({ db }),
    joinRoutes({ db, config }),
    accountLinksRoutes({ db, config }),
  ]));
  app.use(inOrder(
    requireLogin,
    (req, res, next) => {
      // An invited user must choose a password before anything else.
      if (req.user?.must_change_password && req.path !== '/account/password' && req.path !== '/logout') {
        return res.redirect('/account/password');
      }
      next();
    },
    requireSecondFactorEnrolment(db),
  ));
  app.use(byFirstSegment([
    securityRoutes({ db, loginAttempts, ...(clock ? { now: clock } : {}) }),
    homeRoutes({ db }),
    pickersRoutes({ db }),
    exportsRoutes({ db }),
    savedSearchesRoutes({ db }),
    duplicatesRoutes({ db }), // before /people/:id
    bulkRoutes({ db }), // before /people/:id
    languagesRoutes({ db }), // before /people/:id
    peopleRoutes({ db }),
    skillsRoutes({ db }),
    organisationsRoutes({ db }),
    projectsRoutes({ db }),
    engagementsRoutes({ db }),
    insightsRoutes({ db }),
    importsRoutes({ db }),
    privacyRoutes({ db }),
    tokensRoutes({ db }), // before /users/:id
    apiDocsRoutes(),
    webhooksRoutes({ db, config }),
    usersRoutes({ db }),
    mailRoutes({ db, config }),
    campaignsRoutes({ db, config }),
    requestsRoutes({ db }),
    linksRoutes({ db, config }),
  ]));

  app.use(notFoundHandler);
  app.use(errorHandler);

  app.shutdown = async () => {
    await store.ready.catch(() => undefined);
    if (store.nextDbCleanup) clearTimeout(store.nextDbCleanup);
  };
  return app;
}
