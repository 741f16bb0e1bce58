// Queues webhook deliveries for an event, in the transaction of the write that caused it (the outbox pattern): a
// write that rolls back sends nothing, and a committed one is delivered by the background worker even after a crash.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { eventOf, webhookPayload, type AuditedWrite, type WebhookEvent } from './webhooks.domain.js';

/** One delivery per active endpoint that subscribed to the event; returns how many were queued. */
export async function queueWebhookEvent(db: Knex, type: WebhookEvent, data: Record<string, unknown>): Promise<number> {
  const endpoints: { id: number; events: string }[] = await db('webhook_endpoints').where({ active: true }).select('id', 'events');
  const subscribed = endpoints.filter((e) => (JSON.parse(e.events) as string[]).includes(type));
  if (!subscribed.length) return 0;
  const now = nowIso();
  const payload = webhookPayload(type, data, now);
  await db('webhook_deliveries').insert(subscribed.map((e) => ({
    endpoint_id: e.id, message_id: `msg_${randomBytes(16).toString('base64url')}`, event: type, payload, status: 'queued', attempts: 0,
    next_attempt_at: now, created_at: now,
  })));
  return subscribed.length;
}

/** The event an audited write is (see eventOf), queued; writes no event covers cost one lookup of nothing. */
export async function queueEventOfWrite(db: Knex, w: AuditedWrite): Promise<void> {
  const event = eventOf(w);
  if (!event) return;
  if (event.type === 'person.merged' && typeof event.data.merge_id === 'number') {
    const merge = await db('person_merges').where({ id: event.data.merge_id }).first('merged_ids');
    event.data.merged_ids = merge ? parseIds(merge.merged_ids) : [];
  }
  await queueWebhookEvent(db, event.type, event.data);
}

function parseIds(raw: unknown): number[] {
  try {
    const v = JSON.parse(String(raw)) as unknown;
    return Array.isArray(v) ? v.map(Number).filter(Number.isSafeInteger) : [];
  } catch {
    return String(raw).split(/\D+/).filter(Boolean).map(Number);
  }
}
