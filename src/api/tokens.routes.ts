// API tokens on the web: /account/tokens (anyone: their own tokens, created with their role) and /users/tokens
// (admins: every token, service tokens that belong to no person, revoking any). A new token is shown once.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { forbidden, found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { tokenState, validateTokenForm } from './api.domain.js';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken, type TokenRow } from './tokens.queries.js';

const withState = (rows: TokenRow[]) => rows.map((t) => ({ ...t, state: tokenState(t) }));

export function tokensRoutes({ db }: { db: Knex }) {
  const r = Router();
  const admin = authorize('users.manage');

  const ownPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const locals = { styles: ['/api.css'], title: req.t('tokens.title'), tokens: withState(await listApiTokens(db, { userId: req.user!.id })), all: false, values: { scope: 'read' }, errors: {}, secret: null, ...extra };
    if (status === 422) return renderInvalid(res, 'api/tokens', locals as typeof locals & { errors: Record<string, string> });
    res.status(status).render('api/tokens', locals);
  };
  const allPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const locals = { styles: ['/api.css'], title: req.t('tokens.all'), tokens: withState(await listApiTokens(db)), all: true, values: { scope: 'read', role: 'viewer' }, errors: {}, secret: null, ...extra };
    if (status === 422) return renderInvalid(res, 'api/tokens', locals as typeof locals & { errors: Record<string, string> });
    res.status(status).render('api/tokens', locals);
  };

  // every signed-in user: their own tokens (a token acts with its user's role, so nobody gains anything)
  r.get('/account/tokens', async (req, res) => { await ownPage(req, res); });

  r.post('/account/tokens', async (req, res) => {
    const body = bodyOf(req);
    const form = validateTokenForm(body);
    if (!form.ok) return ownPage(req, res, { values: body, errors: form.errors }, 422);
    const taken = (await listApiTokens(db, { userId: req.user!.id })).some((t) => t.name === form.value.name && !t.revoked_at);
    if (taken) return ownPage(req, res, { values: body, errors: { name: 'tokens.nameTaken' } }, 422);
    const { token } = await createApiToken(db, actorOf(req), { userId: req.user!.id, name: form.value.name, scope: form.value.scope, expiresDays: form.value.expiresDays });
    // shown on this answer only: never stored, never in a redirect's URL or a flash message
    await ownPage(req, res, { secret: { name: form.value.name, token } }, 201);
  });

  r.post('/account/tokens/:id/revoke', async (req, res) => {
    const t = found(await findApiToken(db, parseId(req.params.id)));
    if (t.user_id !== req.user!.id) throw forbidden();
    await revokeApiToken(db, actorOf(req), t.id);
    flash(req, 'success', 'tokens.revoked', { name: t.name });
    res.redirect('/account/tokens');
  });

  r.get('/users/tokens', admin, async (req, res) => { await allPage(req, res); });

  r.post('/users/tokens', admin, async (req, res) => {
    const body = bodyOf(req);
    const form = validateTokenForm(body);
    if (!form.ok) return allPage(req, res, { values: body, errors: form.errors }, 422);
    const { token } = await createApiToken(db, actorOf(req), { userId: null, role: form.value.role, name: form.value.name, scope: form.value.scope, expiresDays: form.value.expiresDays });
    await allPage(req, res, { secret: { name: form.value.name, token } }, 201);
  });

  r.post('/users/tokens/:id/revoke', admin, async (req, res) => {
    const t = found(await findApiToken(db, parseId(req.params.id)));
    await revokeApiToken(db, actorOf(req), t.id);
    flash(req, 'success', 'tokens.revoked', { name: t.name });
    res.redirect('/users/tokens');
  });

  return r;
}
