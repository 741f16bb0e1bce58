// /webhooks (admins): endpoints with their events and signing secret, the delivery log (status, response time, each
// attempt) and re-sending. Create / edit / delete follow the pattern of every other screen.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { pageNumber } from '../shared/validate.js';
import { validateEndpoint, WEBHOOK_EVENTS } from './webhooks.domain.js';
import {
  createEndpoint, deleteEndpoint, deliveryAttempts, endpointDeliveries, findDelivery, findEndpoint, listEndpoints, resendDelivery, updateEndpoint,
} from './webhooks.queries.js';

/** Deliveries per page of an endpoint's log. */
const LOG_PAGE = 50;

export function webhooksRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();
  const admin = authorize('settings.manage');

  const form = (req: Request, res: Response, locals: Record<string, unknown>, status = 200) => {
    const all = { title: req.t('webhooks.new'), endpoint: null, values: { events: [...WEBHOOK_EVENTS], active: '1' }, errors: {}, events: WEBHOOK_EVENTS, ...locals };
    if (status === 422) return renderInvalid(res, 'webhooks/form', all as typeof all & { errors: Record<string, string> });
    res.render('webhooks/form', all);
  };

  r.get('/webhooks', admin, async (req, res) => {
    res.render('webhooks/list', { styles: ['/api.css'], title: req.t('webhooks.title'), endpoints: await listEndpoints(db) });
  });

  r.get('/webhooks/new', admin, (req, res) => form(req, res, {}));

  r.post('/webhooks', admin, async (req, res) => {
    const body = bodyOf(req);
    const result = validateEndpoint({ ...body, active: '1' }, config.env);
    if (!result.ok) return form(req, res, { values: { ...body, events: ([] as unknown[]).concat(body.events ?? []) }, errors: result.errors }, 422);
    const id = await createEndpoint(db, actorOf(req), result.value);
    flash(req, 'success', 'webhooks.created');
    res.redirect(`/webhooks/${id}`);
  });

  r.get('/webhooks/:id', admin, async (req, res) => {
    const endpoint = found(await findEndpoint(db, parseId(req.params.id)));
    const page = pageNumber(req.query.page);
    const { rows: deliveries, total } = await endpointDeliveries(db, endpoint.id, { limit: LOG_PAGE, offset: (page - 1) * LOG_PAGE });
    const attempts = await deliveryAttempts(db, deliveries.map((d) => d.id));
    res.render('webhooks/show', {
      styles: ['/api.css'], title: req.t('webhooks.endpoint', { url: endpoint.url }), endpoint, deliveries, attempts,
      page, pages: Math.max(1, Math.ceil(total / LOG_PAGE)),
    });
  });

  r.get('/webhooks/:id/edit', admin, async (req, res) => {
    const endpoint = found(await findEndpoint(db, parseId(req.params.id)));
    form(req, res, { title: req.t('webhooks.edit'), endpoint, values: { ...endpoint, active: endpoint.active ? '1' : '' } });
  });

  r.post('/webhooks/:id', admin, async (req, res) => {
    const endpoint = found(await findEndpoint(db, parseId(req.params.id)));
    const body = bodyOf(req);
    const result = validateEndpoint({ ...body, active: body.active ?? '' }, config.env);
    if (!result.ok) return form(req, res, { title: req.t('webhooks.edit'), endpoint, values: { ...body, events: ([] as unknown[]).concat(body.events ?? []) }, errors: result.errors }, 422);
    await updateEndpoint(db, actorOf(req), endpoint.id, result.value);
    flash(req, 'success', 'webhooks.saved');
    res.redirect(`/webhooks/${endpoint.id}`);
  });

  r.get('/webhooks/:id/delete', admin, async (req, res) => {
    const endpoint = found(await findEndpoint(db, parseId(req.params.id)));
    res.render('webhooks/delete', { title: req.t('webhooks.deleteTitle'), endpoint });
  });

  r.post('/webhooks/:id/delete', admin, async (req, res) => {
    const endpoint = found(await findEndpoint(db, parseId(req.params.id)));
    await deleteEndpoint(db, actorOf(req), endpoint.id);
    flash(req, 'success', 'webhooks.deleted');
    res.redirect('/webhooks');
  });

  r.post('/webhooks/deliveries/:id/resend', admin, async (req, res) => {
    const delivery = found(await findDelivery(db, parseId(req.params.id)));
    await resendDelivery(db, actorOf(req), delivery.id);
    (req.app.locals.kickWebhooks as (() => void) | undefined)?.();
    flash(req, 'success', 'webhooks.resent');
    res.redirect(`/webhooks/${delivery.endpoint_id}`);
  });

  return r;
}
