// First-run setup, login, logout, own password, language choice.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf } from './auth.service.js';
import { found, notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { isLocale } from '../i18n/i18n.js';
import { safeNext } from '../http/return-to.js';
import { recordAudit } from '../audit/audit.queries.js';
import { LoginThrottle } from './login-throttle.service.js';
import { hashPassword, verifyPassword } from './passwords.service.js';
import { validatePasswordChange, validateSetup } from './users.domain.js';
import { countUsers, createFirstAdmin, deleteSessionsOfUser, findUserByEmail, findUserById, recordFailedSignIn, updateUser } from './users.queries.js';
import { completeSignIn } from './sign-in.service.js';
import { totpStateOf } from './two-factor.queries.js';
import type { OidcService } from './oidc.service.js';

/** A new session id (after the password, before the second step): a session planted earlier learns nothing. */
export function regenerateSession(req: Request): Promise<void> {
  const locale = req.session.locale;
  return new Promise((resolve, reject) => req.session.regenerate((err) => {
    if (err) return reject(err);
    if (locale) req.session.locale = locale;
    resolve();
  }));
}


export function accountRoutes({ db, loginAttempts, onSetupDone }: { db: Knex; loginAttempts: number; onSetupDone: () => void }) {
  const r = Router();

  r.get('/setup', async (req, res) => {
    if ((await countUsers(db)) > 0) throw notFound();
    res.render('account/setup', { title: req.t('setup.title'), values: {}, errors: {} });
  });

  r.post('/setup', async (req, res) => {
    if ((await countUsers(db)) > 0) throw notFound();
    const body = bodyOf(req);
    const result = validateSetup(body);
    if (!result.ok) {
      return renderInvalid(res, 'account/setup', { title: req.t('setup.title'), values: body, errors: result.errors });
    }
    // hash first (slow), then count and insert in one transaction: of simultaneous set-ups exactly one wins
    const passwordHash = await hashPassword(result.value.password);
    const id = await createFirstAdmin(db, { email: result.value.email, name: result.value.name, passwordHash }, (trx, newId) =>
      recordAudit(trx, { userId: newId, label: result.value.email.toLowerCase(), source: 'web' }, {
        action: 'create', entityType: 'user', entityId: newId, changes: { email: result.value.email, role: 'admin', via: 'setup' },
      }));
    if (id === null) throw notFound();
    onSetupDone();
    // signed in at once (req.login regenerates the session: no fixation), then the start page says what to do first
    await completeSignIn(db, req, found(await findUserById(db, id)) as Express.User, 'password');
    flash(req, 'success', 'setup.done');
    res.redirect('/');
  });

  r.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('account/login', { title: req.t('login.title'), values: {}, next: safeNext(req.query.next), failed: false });
  });

  const throttle = new LoginThrottle(db, loginAttempts);
  const limited = (req: Request, res: Response) => {
    res.status(429).render('account/login', {
      title: req.t('login.title'), values: { email: bodyOf(req).email ?? '' }, next: '/', failed: false, limited: true,
    });
  };

  r.post('/login', async (req: Request, res: Response, next: NextFunction) => {
    const body = bodyOf(req);
    const target = safeNext(body.next);
    const email = String(body.email ?? '');
    // failed attempts are counted per client address and per account, in the database (shared by all instances)
    if (await throttle.blocked(req.ip, email)) return limited(req, res);
    req.app.locals.passport.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      (async () => {
        if (!user) {
          await throttle.failed(req.ip, email);
          await recordFailedSignIn(db, email);
          return res.status(401).render('account/login', {
            title: req.t('login.title'), values: { email: body.email ?? '' }, next: target, failed: true,
          });
        }
        if ((await totpStateOf(db, user.id)).enabledAt) {
          // the password was right; the second factor decides. The account's failure count is not cleared yet, or
          // the password alone would buy fresh guesses at the code.
          await regenerateSession(req);
          req.session.secondStep = { userId: user.id, email: user.email, next: target, at: Date.now() };
          return res.redirect('/login/2fa');
        }
        await completeSignIn(db, req, user, 'password');
        await throttle.succeeded(email);
        res.redirect(user.must_change_password ? '/account/password' : target);
      })().catch(next);
    })(req, res, next);
  });

  r.post('/logout', async (req, res, next) => {
    const locale = req.session?.locale;
    const oidc = req.app.locals.oidc as OidcService | null;
    // signed in through the provider: offer its logout too (a link: the provider's page is another site)
    const providerLogout = oidc && req.session?.signIn?.method === 'oidc' ? await oidc.logoutUrl(req.session.idToken) : null;
    req.logout((err) => {
      if (err) return next(err);
      req.session.regenerate((err2) => {
        if (err2) return next(err2);
        if (locale) req.session.locale = locale;
        if (providerLogout) {
          return res.render('account/logged-out', { title: req.t('login.loggedOut'), providerLogout, providerLabel: oidc!.label });
        }
        flash(req, 'info', 'login.loggedOut');
        res.redirect('/login');
      });
    });
  });

  // Language switch: kept on the account when logged in, else in the session.
  r.post('/language', async (req, res) => {
    const body = bodyOf(req);
    const locale = String(body.locale ?? '');
    if (isLocale(locale)) {
      if (req.session) req.session.locale = locale;
      if (req.user) {
        await updateUser(db, req.user.id, { locale });
        req.user.locale = locale;
      }
    }
    res.redirect(safeNext(body.next));
  });

  r.get('/account/password', (req, res) => {
    if (!req.user) return res.redirect('/login');
    res.render('account/password', { title: req.t('password.title'), errors: {}, values: {} });
  });

  r.post('/account/password', async (req, res, next) => {
    if (!req.user) return res.redirect('/login');
    const result = validatePasswordChange(bodyOf(req), { email: req.user.email, name: req.user.name });
    const render = (errors: Record<string, string>) =>
      renderInvalid(res, 'account/password', { title: req.t('password.title'), errors, values: {} });
    if (!result.ok) return render(result.errors);
    const full = await findUserByEmail(db, req.user.email);
    if (!full || !(await verifyPassword(full.password_hash, result.value.current))) {
      return render({ current: 'password.currentWrong' });
    }
    await updateUser(db, req.user.id, { password_hash: await hashPassword(result.value.password), must_change_password: 0 });
    await deleteSessionsOfUser(db, req.user.id);
    await recordAudit(db, actorOf(req), { action: 'password', entityType: 'user', entityId: req.user.id });
    req.session.regenerate((err) => {
      if (err) return next(err);
      flash(req, 'success', 'password.changed');
      res.redirect('/login');
    });
  });

  return r;
}
