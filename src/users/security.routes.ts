// The user's own account page (/account): two-factor sign-in (enrol with a QR code made here, recovery codes, switch
// off), the providers they sign in with, and their active sessions (end one, or all others).
import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import QRCode from 'qrcode';
import { actorOf } from './auth.service.js';
import { bodyOf } from '../http/forms.js';
import { flash } from '../http/flash.js';
import { notFound } from '../http/errors.js';
import { recordAudit } from '../audit/audit.queries.js';
import { getPolicy } from '../settings/settings.queries.js';
import { verifyPassword } from './passwords.service.js';
import { deviceOf, type SessionMeta, type SessionSummary } from './sessions.domain.js';
import { deleteSessionOfUser, sessionsOfUser, type SessionRow } from './sessions.queries.js';
import { identitiesOf } from './identities.queries.js';
import { checkTotp, newRecoveryCodes, newTotpSecret, normaliseCode, recoveryCodeHash, totpUri, twoFactorRequired } from './two-factor.domain.js';
import { disableTotp, enableTotp, replaceRecoveryCodes, totpStateOf, unusedRecoveryCodes } from './two-factor.queries.js';
import { deleteSessionsOfUser, findUserByEmail, recordFailedSignIn } from './users.queries.js';
import { LoginThrottle } from './login-throttle.service.js';

/** A session's handle in forms and pages: a hash of its id, so the page never carries a usable session id. */
export function sessionHandle(sid: string): string {
  return createHash('sha256').update(`session:${sid}`).digest('base64url').slice(0, 22);
}

function summarise(row: SessionRow, currentSid: string): SessionSummary {
  const meta = (row.sess.signIn ?? null) as SessionMeta | null;
  const cookie = (row.sess.cookie ?? {}) as { originalMaxAge?: number | null };
  const { browser, system } = deviceOf(meta?.ua);
  // the store moves `expired` forward on use (at most once a minute): last use = expiry − the cookie's lifetime
  const lastSeen = cookie.originalMaxAge ? new Date(row.expired.getTime() - cookie.originalMaxAge).toISOString() : null;
  return {
    handle: sessionHandle(row.sid), current: row.sid === currentSid, browser, system,
    ip: meta?.ip ?? null, signedInAt: meta?.at ?? null, lastSeenAt: lastSeen, method: meta?.method ?? null,
  };
}

/** Enrolment secrets shown but not confirmed are forgotten after this long. */
const ENROL_MS = 30 * 60 * 1000;

export function securityRoutes({ db, loginAttempts, now = () => Date.now() }: { db: Knex; loginAttempts: number; now?: () => number }) {
  const r = Router();
  // a session left open must not become a way to guess the password: the same counters as the login
  const throttle = new LoginThrottle(db, loginAttempts);
  // every route here is the signed-in user's own: app.ts mounts this router after requireLogin
  const me = (req: Request) => req.user!;

  r.get('/account', async (req, res) => {
    const user = me(req);
    const sessions = (await sessionsOfUser(db, user.id)).map((s) => summarise(s, req.sessionID))
      .sort((a, b) => Number(b.current) - Number(a.current) || String(b.lastSeenAt).localeCompare(String(a.lastSeenAt)));
    const state = await totpStateOf(db, user.id);
    res.render('account/index', {
      title: req.t('account.title'), sessions, totpEnabledAt: state.enabledAt,
      recoveryLeft: state.enabledAt ? await unusedRecoveryCodes(db, user.id) : 0,
      identities: await identitiesOf(db, user.id),
      required: twoFactorRequired(user.role, (await getPolicy(db)).twoFactor),
    });
  });

  const enrolPage = async (req: Request, res: Response, status: number, errors: Record<string, string> = {}) => {
    const user = me(req);
    let pending = req.session.totpEnrol;
    if (!pending || now() - pending.at > ENROL_MS) pending = req.session.totpEnrol = { secret: newTotpSecret(), at: now() };
    const uri = totpUri(pending.secret, user.email);
    const qr = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.status(status).render('account/two-factor', {
      title: req.t('twoFactor.enrolTitle'), errors, values: {},
      qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}`,
      secretGroups: pending.secret.match(/.{1,4}/g)!.join(' '),
      required: twoFactorRequired(user.role, (await getPolicy(db)).twoFactor),
    });
  };

  r.get('/account/2fa', async (req, res) => {
    if ((await totpStateOf(db, me(req).id)).enabledAt) return res.redirect('/account');
    await enrolPage(req, res, 200);
  });

  r.post('/account/2fa', async (req, res) => {
    const user = me(req);
    if ((await totpStateOf(db, user.id)).enabledAt) return res.redirect('/account');
    const pending = req.session.totpEnrol;
    const code = normaliseCode(bodyOf(req).code);
    const check = pending && now() - pending.at <= ENROL_MS ? await checkTotp(pending.secret, code, now(), null) : { ok: false as const };
    if (!check.ok) return enrolPage(req, res, 422, { code: 'twoFactor.codeWrong' });
    const codes = newRecoveryCodes();
    await enableTotp(db, user.id, pending!.secret, check.step, codes.map(recoveryCodeHash));
    delete req.session.totpEnrol;
    await recordAudit(db, actorOf(req), { action: 'two_factor_on', entityType: 'user', entityId: user.id });
    // shown once, here; only their hashes are kept
    res.render('account/recovery-codes', { title: req.t('twoFactor.codesTitle'), codes, first: true });
  });

  /** Changing the second factor asks for the password again (a session left open is not enough). */
  const passwordConfirmed = async (req: Request) => {
    const email = me(req).email;
    if (await throttle.blocked(req.ip, email)) return false;
    const full = await findUserByEmail(db, email);
    const ok = !!full && (await verifyPassword(full.password_hash, String(bodyOf(req).password ?? '')));
    if (!ok) {
      await throttle.failed(req.ip, email);
      await recordFailedSignIn(db, email);
    }
    return ok;
  };

  r.post('/account/2fa/recovery-codes', async (req, res) => {
    const user = me(req);
    if (!(await totpStateOf(db, user.id)).enabledAt) return res.redirect('/account');
    if (!(await passwordConfirmed(req))) {
      flash(req, 'error', 'twoFactor.passwordWrong');
      return res.redirect('/account');
    }
    const codes = newRecoveryCodes();
    await replaceRecoveryCodes(db, user.id, codes.map(recoveryCodeHash));
    await recordAudit(db, actorOf(req), { action: 'recovery_codes', entityType: 'user', entityId: user.id });
    res.render('account/recovery-codes', { title: req.t('twoFactor.codesTitle'), codes, first: false });
  });

  r.post('/account/2fa/disable', async (req, res) => {
    const user = me(req);
    if (twoFactorRequired(user.role, (await getPolicy(db)).twoFactor)) {
      flash(req, 'error', 'twoFactor.cannotDisable');
      return res.redirect('/account');
    }
    if (!(await passwordConfirmed(req))) {
      flash(req, 'error', 'twoFactor.passwordWrong');
      return res.redirect('/account');
    }
    await disableTotp(db, user.id);
    await recordAudit(db, actorOf(req), { action: 'two_factor_off', entityType: 'user', entityId: user.id });
    flash(req, 'success', 'twoFactor.disabled');
    res.redirect('/account');
  });

  r.post('/account/sessions/:handle/delete', async (req, res) => {
    const user = me(req);
    const row = (await sessionsOfUser(db, user.id)).find((s) => sessionHandle(s.sid) === req.params.handle);
    if (!row) throw notFound();
    if (row.sid === req.sessionID) return res.redirect('/account'); // this one ends with "Log out"
    await deleteSessionOfUser(db, user.id, row.sid);
    await recordAudit(db, actorOf(req), { action: 'end_session', entityType: 'user', entityId: user.id });
    flash(req, 'success', 'account.sessionEnded');
    res.redirect('/account');
  });

  r.post('/account/sessions/delete-others', async (req, res) => {
    const user = me(req);
    await deleteSessionsOfUser(db, user.id, req.sessionID);
    await recordAudit(db, actorOf(req), { action: 'end_sessions', entityType: 'user', entityId: user.id });
    flash(req, 'success', 'account.othersEnded');
    res.redirect('/account');
  });

  return r;
}

/**
 * When an admin requires a second factor for the user's role, a user who signed in with a password alone is sent to
 * enrol before anything else (single sign-on leaves the second factor to the provider).
 */
export function requireSecondFactorEnrolment(db: Knex) {
  const allowed = new Set(['/account/2fa', '/logout', '/account/password', '/language']);
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user;
    if (!user || user.totp_enabled_at || allowed.has(req.path) || req.session?.signIn?.method === 'oidc') return next();
    getPolicy(db)
      .then((policy) => {
        if (!twoFactorRequired(user.role, policy.twoFactor)) return next();
        res.redirect('/account/2fa');
      })
      .catch(next);
  };
}

