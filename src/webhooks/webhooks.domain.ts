// Webhooks, the pure part: the events, which write becomes which event (thin payloads: ids and changed field names,
// never personal data), the endpoint form, Standard Webhooks signing, and the retry schedule.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { retryDelayMs } from '../mail/mail.domain.js';

export const WEBHOOK_EVENTS = ['person.created', 'person.updated', 'person.deleted', 'person.erased', 'person.merged', 'engagement.created', 'import.finished'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_LIMITS = { url: LIMITS.url, description: LIMITS.title } as const;
/** Attempts before a delivery is given up (1, 2, 4 … 64 minutes apart: about two hours in all). */
export const WEBHOOK_MAX_ATTEMPTS = 8;
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The same growing delay as the mail queue. */
export const webhookRetryDelayMs = retryDelayMs;

/** An audited write as the audit log records it. */
export interface AuditedWrite {
  action: string;
  entityType: string;
  entityId: number | null;
  changes?: Record<string, unknown>;
}

/**
 * The event a write is, with its data; null for writes no event covers. Person events carry the id (and for an update
 * the names of the changed fields): the receiver reads the record through the API with its own token, so no personal
 * data travels in a webhook, and an erasure event carries nothing but the id that is gone.
 */
export function eventOf(w: AuditedWrite): { type: WebhookEvent; data: Record<string, unknown> } | null {
  if (w.entityId === null) return null;
  if (w.entityType === 'person') {
    const id = w.entityId;
    switch (w.action) {
      case 'create': return { type: 'person.created', data: { id } };
      case 'update': return { type: 'person.updated', data: { id, fields: Object.keys(w.changes ?? {}).filter((k) => k !== 'updated_at').sort() } };
      case 'delete': return { type: 'person.deleted', data: { id } };
      case 'erase': return { type: 'person.erased', data: { id } };
      case 'merge': return { type: 'person.merged', data: { id, merge_id: w.changes?.merge_id ?? null } };
      default: return null;
    }
  }
  if (w.entityType === 'engagement' && w.action === 'create') {
    return { type: 'engagement.created', data: { id: w.entityId, person_id: w.changes?.person_id ?? null, project_id: w.changes?.project_id ?? null } };
  }
  return null;
}

export interface EndpointInput {
  url: string;
  description: string | null;
  events: WebhookEvent[];
  active: boolean;
}

/** https:// anywhere; plain http only to this machine (localhost, 127.0.0.1, [::1]) and not in production. */
export function endpointUrlProblem(raw: string, env: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'validation.url';
  }
  if (u.username || u.password) return 'webhooks.urlCredentials';
  if (u.protocol === 'https:') return null;
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol === 'http:' && local && env !== 'production') return null;
  return 'webhooks.urlHttps';
}

export function validateEndpoint(body: Record<string, unknown>, env: string): Result<EndpointInput> {
  const v = new Validator(body);
  const url = v.text('url', { max: WEBHOOK_LIMITS.url, required: true }) ?? '';
  if (url && !v.errors.url) {
    const problem = endpointUrlProblem(url, env);
    if (problem) v.fail('url', problem);
  }
  const description = v.text('description', { max: WEBHOOK_LIMITS.description });
  const chosen = ([] as unknown[]).concat(body.events ?? []).map(String);
  const events = WEBHOOK_EVENTS.filter((e) => chosen.includes(e));
  if (!events.length) v.fail('events', 'webhooks.eventsRequired');
  if (chosen.some((c) => !(WEBHOOK_EVENTS as readonly string[]).includes(c))) v.fail('events', 'validation.choice');
  return v.result({ url, description, events, active: body.active === undefined ? true : v.bool('active') });
}

/** A signing secret in the Standard Webhooks form: `whsec_` and base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` with the secret's key. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** What a receiver does: true when one of the header's signatures is right (for tests and the README's example). */
export function verifyWebhook(secret: string, headers: { id: string; timestamp: string; signature: string }, body: string): boolean {
  const expected = Buffer.from(signWebhook(secret, headers.id, Number(headers.timestamp), body));
  return headers.signature.split(' ').some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

/** The message body: the event, when it happened and its data. */
export function webhookPayload(type: WebhookEvent, data: Record<string, unknown>, at: string): string {
  return JSON.stringify({ type, timestamp: at, data });
}
