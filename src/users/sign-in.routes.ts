// The sign-in steps that come before a session: the second factor after the password (/login/2fa), and single sign-on
// (/login/oidc → the provider → /login/oidc/callback). These are login-exempt (src/app.ts names them).
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { bodyOf } from '../http/forms.js';
import { safeNext } from '../http/return-to.js';
import { notFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { getSetting } from '../settings/settings.queries.js';
import { LoginThrottle } from './login-throttle.service.js';
import { OidcUnavailable, OIDC_LOGIN_MS, resolveOidcUser, type OidcService } from './oidc.service.js';
import { autoCreateRoleOf, type OidcRefusal } from './oidc.domain.js';
import { completeSignIn } from './sign-in.service.js';
import { checkTotp, looksLikeRecoveryCode, normaliseCode, recoveryCodeHash, SECOND_STEP_MS } from './two-factor.domain.js';
import { claimTotpStep, totpStateOf, useRecoveryCode } from './two-factor.queries.js';
import { findUserById, recordFailedSignIn } from './users.queries.js';
import { log, logError } from '../log.js';

export function signInRoutes({ db, loginAttempts, now = () => Date.now() }: { db: Knex; loginAttempts: number; now?: () => number }) {
  const r = Router();
  const throttle = new LoginThrottle(db, loginAttempts);

  const pendingStep = (req: Request) => {
    const step = req.session?.secondStep;
    return step && now() - step.at < SECOND_STEP_MS ? step : null;
  };
  const renderStep = (res: Response, status: number, extra: Record<string, unknown> = {}) =>
    res.status(status).render('account/second-step', { title: res.locals.t('twoFactor.stepTitle'), failed: false, limited: false, ...extra });

  r.get('/login/2fa', (req, res) => {
    if (!pendingStep(req)) return res.redirect('/login');
    renderStep(res, 200);
  });

  r.post('/login/2fa', async (req, res) => {
    const step = pendingStep(req);
    if (!step) {
      flash(req, 'error', 'twoFactor.expired');
      return res.redirect('/login');
    }
    // guessing codes is throttled like guessing passwords: the same counters, per address and per account
    if (await throttle.blocked(req.ip, step.email)) return renderStep(res, 429, { limited: true });
    const code = normaliseCode(bodyOf(req).code);
    const state = await totpStateOf(db, step.userId);
    let method: 'password+totp' | 'password+recovery' | null = null;
    if (state.secret && state.enabledAt) {
      const check = await checkTotp(state.secret, code, now(), state.lastStep);
      if (check.ok && (await claimTotpStep(db, step.userId, check.step))) method = 'password+totp';
      else if (looksLikeRecoveryCode(code) && (await useRecoveryCode(db, step.userId, recoveryCodeHash(code)))) method = 'password+recovery';
    }
    const user = await findUserById(db, step.userId);
    if (!method || !user || !user.active) {
      await throttle.failed(req.ip, step.email);
      await recordFailedSignIn(db, step.email);
      return renderStep(res, 401, { failed: true });
    }
    await completeSignIn(db, req, user as Express.User, method);
    await throttle.succeeded(step.email);
    if (method === 'password+recovery') flash(req, 'info', 'twoFactor.recoveryUsed');
    res.redirect(user.must_change_password ? '/account/password' : step.next);
  });

  const oidcOf = (req: Request): OidcService => {
    const oidc = req.app.locals.oidc as OidcService | null;
    if (!oidc) throw notFound();
    return oidc;
  };
  const refuse = (req: Request, res: Response, status: number, reason: OidcRefusal) =>
    res.status(status).render('account/login', {
      title: req.t('login.title'), values: {}, next: '/', failed: false, ssoRefused: `oidc.refused.${reason}`,
    });

  r.get('/login/oidc', async (req, res) => {
    const oidc = oidcOf(req);
    if (req.user) return res.redirect(safeNext(req.query.next));
    try {
      const { url, pending } = await oidc.start(safeNext(req.query.next));
      req.session.oidcLogin = pending;
      res.redirect(url);
    } catch (err) {
      if (!(err instanceof OidcUnavailable)) logError(err, {}, 'single sign-on could not start');
      // the provider is down or misconfigured: say so; password sign-in goes on
      refuse(req, res, 503, 'unavailable');
    }
  });

  r.get('/login/oidc/callback', async (req, res) => {
    const oidc = oidcOf(req);
    const pending = req.session?.oidcLogin;
    // one callback per started sign-in: a replayed, forged or late callback finds nothing to finish
    if (req.session) delete req.session.oidcLogin;
    if (!pending || now() - pending.at > OIDC_LOGIN_MS) return refuse(req, res, 400, 'notStarted');
    let claims: Record<string, unknown>;
    let idToken: string | undefined;
    try {
      ({ claims, idToken } = await oidc.finish(req.originalUrl.slice(req.originalUrl.indexOf('?') < 0 ? req.originalUrl.length : req.originalUrl.indexOf('?')), pending));
    } catch (err) {
      if (err instanceof OidcUnavailable) return refuse(req, res, 503, 'unavailable');
      // a wrong state or nonce, a used or foreign code, an error the provider sent back: the log says which
      log().warn({ reason: (err as Error).message, code: (err as { code?: unknown }).code }, 'single sign-on refused');
      return refuse(req, res, 401, 'failed');
    }
    const autoRole = await getSetting(db, 'oidc_auto_create_role');
    const result = await resolveOidcUser(db, oidc.settings, claims, autoCreateRoleOf(autoRole));
    if (!result.ok) {
      log().info({ reason: result.reason }, 'single sign-on refused');
      return refuse(req, res, 403, result.reason);
    }
    await completeSignIn(db, req, result.user as Express.User, 'oidc', { idToken });
    res.redirect(pending.next);
  });

  return r;
}
