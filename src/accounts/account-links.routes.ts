// Public (no login): "forgotten password" asks for a reset link, /password/set/TOKEN chooses a password through
// an invitation or reset link. The same answer whether the address exists or not; rate-limited; single use.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { nowIso } from '../db.js';
import { recordAudit } from '../audit/audit.queries.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { flash } from '../http/flash.js';
import { countHit } from '../shared/rate-limit.queries.js';
import { cleanAddress } from '../mail/mail.domain.js';
import { hashPassword } from '../users/passwords.service.js';
import { validateNewPassword } from '../users/users.domain.js';
import { deleteSessionsOfUser, findUserByEmail, updateUser } from '../users/users.queries.js';
import { findAccountLink, spendAccountLink } from './account-links.queries.js';
import { sendAccountLink } from './account-links.service.js';

/** Reset requests per client address and per account in an hour. */
export const RESETS_PER_HOUR = 5;
const HOUR = 60 * 60_000;

export function accountLinksRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();

  const invalid = (req: Request, res: Response) => res.status(404).render('account/invalid', { title: req.t('accounts.invalidTitle') });

  r.get('/password/forgot', (req, res) => {
    res.render('account/forgot', { title: req.t('accounts.forgotTitle'), values: {}, errors: {} });
  });

  r.post('/password/forgot', async (req, res) => {
    const email = cleanAddress(String(bodyOf(req).email ?? ''));
    if (!email) {
      return renderInvalid(res, 'account/forgot', { title: req.t('accounts.forgotTitle'), values: bodyOf(req), errors: { email: 'validation.email' } });
    }
    if ((await countHit(db, `reset-ip:${req.ip ?? 'unknown'}`, HOUR)) > RESETS_PER_HOUR * 4) {
      res.set('Retry-After', '3600');
      return res.status(429).render('account/sent', { title: req.t('accounts.tooManyTitle'), tooMany: true });
    }
    const account = await findUserByEmail(db, email);
    // per account as well, so nobody can flood someone's mailbox; the answer stays the same either way
    const perAccount = await countHit(db, `reset-user:${email.toLowerCase()}`, HOUR);
    if (account && account.active && perAccount <= RESETS_PER_HOUR) {
      await sendAccountLink(db, config, account, 'reset');
      (req.app.locals.kickMail as (() => void) | undefined)?.();
    }
    res.render('account/sent', { title: req.t('accounts.sentTitle') });
  });

  r.get('/password/set/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const link = await findAccountLink(db, req.params.token);
    if (!link) return invalid(req, res);
    res.render('account/set', { title: req.t(`accounts.setTitle.${link.kind}`), email: link.email, token: req.params.token, errors: {} });
  });

  r.post('/password/set/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const link = await findAccountLink(db, req.params.token);
    if (!link) return invalid(req, res);
    const result = validateNewPassword(bodyOf(req), { email: link.email, name: link.name ?? '' });
    if (!result.ok) {
      return renderInvalid(res, 'account/set', { title: req.t(`accounts.setTitle.${link.kind}`), email: link.email, token: req.params.token, errors: result.errors });
    }
    if (!(await spendAccountLink(db, link.id))) return invalid(req, res);
    await updateUser(db, link.user_id, { password_hash: await hashPassword(result.value.password), must_change_password: 0, updated_at: nowIso() });
    await deleteSessionsOfUser(db, link.user_id);
    await recordAudit(db, { userId: link.user_id, label: link.email, source: 'web' }, {
      action: 'password', entityType: 'user', entityId: link.user_id, changes: { via: link.kind === 'invite' ? 'invitation link' : 'reset link' },
    });
    flash(req, 'success', 'accounts.done');
    res.redirect('/login');
  });

  return r;
}
