// Webhook endpoints (audited), the delivery queue the worker drains, and the delivery log with each attempt.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { newWebhookSecret, type EndpointInput, type WebhookEvent } from './webhooks.domain.js';

export interface EndpointRow {
  id: number;
  url: string;
  description: string | null;
  secret: string;
  events: WebhookEvent[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

const endpointOut = (r: Record<string, unknown>): EndpointRow => ({ ...(r as unknown as EndpointRow), events: JSON.parse(String(r.events)), active: Boolean(Number(r.active)) });

export async function listEndpoints(db: Knex): Promise<(EndpointRow & { queued: number; failed: number })[]> {
  const rows = await db('webhook_endpoints as w').orderBy('w.id').select('w.*',
    db.raw("(select count(*) from webhook_deliveries d where d.endpoint_id = w.id and d.status in ('queued', 'sending')) as queued"),
    db.raw("(select count(*) from webhook_deliveries d where d.endpoint_id = w.id and d.status = 'failed') as failed"));
  return rows.map((r: Record<string, unknown>) => ({ ...endpointOut(r), queued: Number(r.queued), failed: Number(r.failed) }));
}

export async function findEndpoint(db: Knex, id: number): Promise<EndpointRow | undefined> {
  const r = await db('webhook_endpoints').where({ id }).first();
  return r ? endpointOut(r) : undefined;
}

export async function createEndpoint(db: Knex, actor: Actor, input: EndpointInput): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('webhook_endpoints').insert({
      url: input.url, description: input.description, secret: newWebhookSecret(), events: JSON.stringify(input.events), active: input.active,
      created_by_user_id: actor.userId, created_at: now, updated_at: now,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await recordAudit(trx, actor, { action: 'create', entityType: 'webhook', entityId: id, changes: { url: input.url, events: input.events } });
    return id;
  });
}

export async function updateEndpoint(db: Knex, actor: Actor, id: number, input: EndpointInput): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('webhook_endpoints').where({ id }).update({
      url: input.url, description: input.description, events: JSON.stringify(input.events), active: input.active, updated_at: nowIso(),
    });
    await recordAudit(trx, actor, { action: 'update', entityType: 'webhook', entityId: id, changes: { url: input.url, events: input.events, active: input.active } });
  });
}

export async function deleteEndpoint(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('webhook_endpoints').where({ id }).del();
    await recordAudit(trx, actor, { action: 'delete', entityType: 'webhook', entityId: id });
  });
}

export interface DeliveryRow {
  id: number;
  endpoint_id: number;
  message_id: string;
  event: string;
  payload: string;
  status: 'queued' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_response_ms: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** One page of an endpoint's deliveries, newest first, and how many there are in all. */
export async function endpointDeliveries(db: Knex, endpointId: number, opts: { limit: number; offset: number }): Promise<{ rows: DeliveryRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    db('webhook_deliveries').where({ endpoint_id: endpointId }).orderBy('id', 'desc').limit(opts.limit).offset(opts.offset).select('*'),
    db('webhook_deliveries').where({ endpoint_id: endpointId }).count<{ n: number }[]>({ n: '*' }),
  ]);
  return { rows, total: Number(count[0]?.n ?? 0) };
}

export function findDelivery(db: Knex, id: number): Promise<DeliveryRow | undefined> {
  return db('webhook_deliveries').where({ id }).first();
}

export interface AttemptRow {
  at: string;
  status_code: number | null;
  response_ms: number;
  error: string | null;
}

/** The attempts of these deliveries, in the order they were made, by delivery (one query for a page of them). */
export async function deliveryAttempts(db: Knex, deliveryIds: number[]): Promise<Map<number, AttemptRow[]>> {
  const byDelivery = new Map<number, AttemptRow[]>();
  if (!deliveryIds.length) return byDelivery;
  const rows = await db('webhook_attempts').whereIn('delivery_id', deliveryIds).orderBy('id').select('delivery_id', 'at', 'status_code', 'response_ms', 'error');
  for (const { delivery_id: id, ...a } of rows as (AttemptRow & { delivery_id: number })[]) {
    const list = byDelivery.get(id) ?? [];
    list.push(a);
    byDelivery.set(id, list);
  }
  return byDelivery;
}

/** Deliveries due at `now` to active endpoints, oldest first, with where and how to send them. */
export function dueDeliveries(db: Knex, now: string, limit: number): Promise<(DeliveryRow & { url: string; secret: string })[]> {
  return db('webhook_deliveries as d').join('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .where('d.status', 'queued').where('d.next_attempt_at', '<=', now).where('w.active', true)
    .orderBy('d.id').limit(limit).select('d.*', 'w.url', 'w.secret');
}

/** Takes a delivery for sending; false when another worker took it first (so no attempt is made twice). */
export async function claimDelivery(db: Knex, id: number): Promise<boolean> {
  return (await db('webhook_deliveries').where({ id, status: 'queued' }).update({ status: 'sending' })) === 1;
}

export interface AttemptOutcome {
  statusCode: number | null;
  ms: number;
  error: string | null;
  /** delivered (2xx), or when to try again (null: given up) */
  delivered: boolean;
  retryAt: string | null;
}

/** Records one attempt and its outcome on the delivery, in one transaction. */
export async function recordAttempt(db: Knex, d: { id: number; attempts: number }, o: AttemptOutcome): Promise<void> {
  await db.transaction(async (trx) => {
    const now = nowIso();
    await trx('webhook_attempts').insert({ delivery_id: d.id, at: now, status_code: o.statusCode, response_ms: Math.round(o.ms), error: o.error?.slice(0, 300) ?? null });
    await trx('webhook_deliveries').where({ id: d.id }).update({
      status: o.delivered ? 'delivered' : o.retryAt ? 'queued' : 'failed', attempts: d.attempts + 1, next_attempt_at: o.retryAt,
      last_status_code: o.statusCode, last_response_ms: Math.round(o.ms), last_error: o.error?.slice(0, 300) ?? null,
      delivered_at: o.delivered ? now : null,
    });
  });
}

/** Sends a delivery again (same webhook-id, so a receiver that has it already can skip it). */
export async function resendDelivery(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('webhook_deliveries').where({ id }).whereNot('status', 'sending').update({ status: 'queued', next_attempt_at: nowIso(), attempts: 0 });
    await recordAudit(trx, actor, { action: 'resend', entityType: 'webhook_delivery', entityId: id });
  });
}

/** Deliveries a stopped process left "sending" go back to the queue (the receiver dedupes by webhook-id). */
export async function requeueInterrupted(db: Knex): Promise<number> {
  return db('webhook_deliveries').where({ status: 'sending' }).update({ status: 'queued', next_attempt_at: nowIso() });
}
