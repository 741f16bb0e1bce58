// /users: admins invite (an invitation mail with a link to choose a password), change roles, deactivate.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from './auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { recordAudit, recordUpdate } from '../audit/audit.queries.js';
import { pickedId, pickerQuery } from '../pickers/pickers.domain.js';
import { pickerState } from '../pickers/pickers.queries.js';
import { hashPassword } from './passwords.service.js';
import { newToken } from '../shared/tokens.js';
import { sendAccountLink } from '../accounts/account-links.service.js';
import { ROLES } from './roles.domain.js';
import { validateAccount } from './users.domain.js';
import { countActiveAdmins, deleteSessionsOfUser, findUserByEmail, findUserById, insertUser, listUsers, updateUser } from './users.queries.js';
import { getPolicy, getSetting, setSetting } from '../settings/settings.queries.js';
import { isTwoFactorPolicy, TWO_FACTOR_POLICIES } from './two-factor.domain.js';
import { disableTotp } from './two-factor.queries.js';
import { OIDC_AUTO_CREATE_ROLES as AUTO_CREATE_ROLES } from './oidc.domain.js';

export function usersRoutes({ db }: { db: Knex }) {
  const r = Router();
  const guard = authorize('users.manage');

  const formLocals = async (req: Request, extra: Record<string, unknown> & { values?: Record<string, unknown> }) => ({
    roles: ROLES, errors: {}, values: {}, ...extra,
    organisation: await pickerState(db, 'organisations', {
      q: pickerQuery(extra.values?.organisation_id_q), chosen: pickedId(extra.values?.organisation_id), t: req.t, locale: req.locale,
    }),
  });

  r.get('/users', guard, async (req, res) => {
    res.render('users/list', {
      title: req.t('users.title'), users: await listUsers(db), policy: await getPolicy(db),
      sso: req.app.locals.sso, autoCreateRole: (await getSetting(db, 'oidc_auto_create_role')) ?? '', autoCreateRoles: AUTO_CREATE_ROLES,
      twoFactorPolicies: TWO_FACTOR_POLICIES,
    });
  });

  r.get('/users/new', guard, async (req, res) => {
    res.render('users/form', await formLocals(req, { title: req.t('users.new'), account: null, values: { role: 'viewer' } }));
  });

  r.post('/users', guard, async (req, res) => {
    const body = bodyOf(req);
    // the organisation picker's Find button (no JavaScript): the form again with everything typed
    if (body._find) return res.render('users/form', await formLocals(req, { title: req.t('users.new'), account: null, values: body }));
    const result = validateAccount(body, { withEmail: true });
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && (await findUserByEmail(db, result.value.email))) errors.email = 'users.emailTaken';
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'users/form', await formLocals(req, { title: req.t('users.new'), account: null, values: body, errors }));
    }
    // no password anyone knows: the invitation mail's link sets the first one
    const id = await insertUser(db, {
      email: result.value.email, name: result.value.name, role: result.value.role,
      organisationId: result.value.organisationId, passwordHash: await hashPassword(newToken()), mustChangePassword: false,
    });
    await recordAudit(db, actorOf(req), {
      action: 'create', entityType: 'user', entityId: id,
      changes: { email: result.value.email, role: result.value.role, organisation_id: result.value.organisationId },
    });
    const invited = found(await findUserById(db, id));
    await sendAccountLink(db, req.app.locals.config, invited, 'invite', req.user!.name || req.user!.email);
    (req.app.locals.kickMail as (() => void) | undefined)?.();
    res.render('users/invited', { title: req.t('users.invitedTitle'), email: invited.email });
  });

  r.get('/users/:id/edit', guard, async (req, res) => {
    const account = found(await findUserById(db, parseId(req.params.id)));
    res.render('users/form', await formLocals(req, { title: req.t('users.edit'), account, values: account }));
  });

  r.post('/users/:id', guard, async (req, res) => {
    const account = found(await findUserById(db, parseId(req.params.id)));
    const body = bodyOf(req);
    if (body._find) return res.render('users/form', await formLocals(req, { title: req.t('users.edit'), account, values: { ...account, ...body } }));
    const result = validateAccount(body, { withEmail: false });
    const active = body.active === '1';
    const errors = result.ok ? {} : { ...result.errors };
    const losesAdmin = account.role === 'admin' && account.active && (!active || (result.ok && result.value.role !== 'admin'));
    if (losesAdmin && (await countActiveAdmins(db)) <= 1) errors.role = 'users.lastAdmin';
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'users/form', await formLocals(req, { title: req.t('users.edit'), account, values: { ...account, ...body }, errors }));
    }
    const patch = { name: result.value.name, role: result.value.role, organisation_id: result.value.organisationId, active: active ? 1 : 0 };
    await updateUser(db, account.id, patch);
    // deactivated: signed out everywhere; a new role: every other session ends (no session keeps the old role)
    if (!active) await deleteSessionsOfUser(db, account.id);
    else if (patch.role !== account.role) await deleteSessionsOfUser(db, account.id, account.id === req.user!.id ? req.sessionID : undefined);
    await recordUpdate(db, actorOf(req), 'user', account.id, account as unknown as Record<string, unknown>, { ...account, ...patch });
    flash(req, 'success', 'users.saved', { email: account.email });
    res.redirect('/users');
  });

  r.post('/users/:id/reset-password', guard, async (req, res) => {
    const account = found(await findUserById(db, parseId(req.params.id)));
    // the old password stops working at once; the account's owner chooses a new one through the mailed link
    await updateUser(db, account.id, { password_hash: await hashPassword(newToken()), must_change_password: 0 });
    await deleteSessionsOfUser(db, account.id);
    await recordAudit(db, actorOf(req), { action: 'password_reset', entityType: 'user', entityId: account.id });
    await sendAccountLink(db, req.app.locals.config, account, 'reset');
    (req.app.locals.kickMail as (() => void) | undefined)?.();
    res.render('users/invited', { title: req.t('users.resetSentTitle'), email: account.email, reset: true });
  });

  r.get('/users/:id/two-factor/reset', guard, async (req, res) => {
    const account = found(await findUserById(db, parseId(req.params.id)));
    res.render('users/two-factor-reset', { title: req.t('twoFactor.resetTitle'), account });
  });

  // a user who lost their device: the admin switches the second factor off (audited); the user enrols again
  r.post('/users/:id/two-factor/reset', guard, async (req, res) => {
    const account = found(await findUserById(db, parseId(req.params.id)));
    await disableTotp(db, account.id);
    await recordAudit(db, actorOf(req), { action: 'two_factor_reset', entityType: 'user', entityId: account.id });
    flash(req, 'success', 'twoFactor.resetDone', { email: account.email });
    res.redirect('/users');
  });

  r.post('/settings/sign-in', authorize('settings.manage'), async (req, res) => {
    const body = bodyOf(req);
    const twoFactor = isTwoFactorPolicy(body.two_factor_required) ? body.two_factor_required : 'off';
    const autoRole = (AUTO_CREATE_ROLES as readonly unknown[]).includes(body.oidc_auto_create_role) ? String(body.oidc_auto_create_role) : '';
    await setSetting(db, 'two_factor_required', twoFactor);
    await setSetting(db, 'oidc_auto_create_role', autoRole);
    await recordAudit(db, actorOf(req), { action: 'update', entityType: 'setting', entityId: null, changes: { two_factor_required: twoFactor, oidc_auto_create_role: autoRole } });
    flash(req, 'success', 'settings.saved');
    res.redirect('/users');
  });

  r.post('/settings/exports', authorize('settings.manage'), async (req, res) => {
    const restricted = bodyOf(req).exports_restricted === '1';
    await setSetting(db, 'exports_restricted', restricted ? '1' : '0');
    await recordAudit(db, actorOf(req), { action: 'update', entityType: 'setting', entityId: null, changes: { exports_restricted: restricted } });
    flash(req, 'success', 'settings.saved');
    res.redirect('/users');
  });

  return r;
}
