// Delivering webhooks: takes due deliveries from the queue in the database, signs each (Standard Webhooks headers),
// POSTs it with a timeout, records the attempt (status, response time) and retries with a growing delay. Runs in the
// same background loop as the mail queue (src/shared/background.ts).
import type { Knex } from 'knex';
import { startBackgroundLoop, type BackgroundLoop } from '../shared/background.js';
import { signWebhook, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS, webhookRetryDelayMs } from './webhooks.domain.js';
import { claimDelivery, dueDeliveries, recordAttempt, requeueInterrupted } from './webhooks.queries.js';

export interface DeliverOptions {
  /** the clock (tests move it past a retry's time) */
  now?: Date;
  max?: number;
  fetch?: typeof fetch;
}

/** Sends what is due; returns how many were delivered and how many failed this time. */
export async function deliverDueWebhooks(db: Knex, opts: DeliverOptions = {}): Promise<{ delivered: number; failed: number }> {
  const now = opts.now ?? new Date();
  const send = opts.fetch ?? fetch;
  const result = { delivered: 0, failed: 0 };
  for (const d of await dueDeliveries(db, now.toISOString(), opts.max ?? 50)) {
    if (!(await claimDelivery(db, d.id))) continue;
    const timestamp = Math.floor(now.getTime() / 1000);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await send(d.url, {
        method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), body: d.payload,
        headers: {
          'content-type': 'application/json', 'user-agent': 'Skillnet-Webhooks/1', 'webhook-id': d.message_id,
          'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(d.secret, d.message_id, timestamp, d.payload),
        },
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message);
    }
    const ms = performance.now() - started;
    const delivered = error === null;
    const attempts = d.attempts + 1;
    const retryAt = delivered || attempts >= WEBHOOK_MAX_ATTEMPTS ? null : new Date(now.getTime() + webhookRetryDelayMs(attempts)).toISOString();
    await recordAttempt(db, d, { statusCode, ms, error, delivered, retryAt });
    if (delivered) result.delivered++;
    else result.failed++;
  }
  return result;
}

/** The background sender (server.ts starts it): every few seconds, and when kicked. */
export function startWebhookWorker(db: Knex, opts: { intervalMs?: number } = {}): BackgroundLoop {
  return startBackgroundLoop(() => deliverDueWebhooks(db), {
    name: 'webhook worker',
    intervalMs: opts.intervalMs ?? 3000,
    before: requeueInterrupted(db),
  });
}
