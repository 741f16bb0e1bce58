// The mail queue in the database: enqueue, claim, record the outcome; the /outbox listing; campaign pausing.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { cleanAddress, oneLine, type RenderedMail } from './mail.domain.js';

export const MAIL_KINDS = ['test', 'confirm', 'join', 'invite', 'reset', 'link'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

export interface NewMail {
  kind: MailKind;
  to: { name: string | null; address: string };
  locale: string;
  content: RenderedMail;
  headers?: Record<string, string>;
  campaignId?: number | null;
  personId?: number | null;
}

export class BadAddressError extends Error {}

function insertedId(row: unknown): number {
  return typeof row === 'object' && row !== null ? (row as { id: number }).id : (row as number);
}

/** Puts one mail in the queue (the worker sends it); the name and subject become one line each. */
export async function enqueueMail(db: Knex, mail: NewMail): Promise<number> {
  const address = cleanAddress(mail.to.address);
  if (!address) throw new BadAddressError(`not a mail address: ${oneLine(mail.to.address, 80)}`);
  const now = nowIso();
  const headers = mail.headers
    ? Object.fromEntries(Object.entries(mail.headers).map(([k, v]) => [oneLine(k, 60).replace(/[^A-Za-z0-9-]/g, ''), oneLine(v, 900)]))
    : null;
  const [row] = await db('mail_outbox').insert({
    kind: mail.kind, to_address: address, to_name: oneLine(mail.to.name) || null, locale: mail.locale,
    subject: oneLine(mail.content.subject, 300), text_body: mail.content.text, html_body: mail.content.html,
    headers: headers ? JSON.stringify(headers) : null, campaign_id: mail.campaignId ?? null, person_id: mail.personId ?? null,
    status: 'queued', attempts: 0, next_attempt_at: now, created_at: now,
  }).returning('id');
  return insertedId(row);
}

export interface QueuedMail {
  id: number;
  kind: string;
  to_address: string;
  to_name: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  headers: string | null;
  campaign_id: number | null;
  attempts: number;
}

/** Mails due now whose campaign (if any) is not paused, oldest first. */
export function dueMails(db: Knex, now: string, limit: number): Promise<QueuedMail[]> {
  return db('mail_outbox as o')
    .leftJoin('mail_campaigns as c', 'c.id', 'o.campaign_id')
    .where('o.status', 'queued')
    .where('o.next_attempt_at', '<=', now)
    .where((q) => q.whereNull('o.campaign_id').orWhere('c.status', 'sending'))
    .orderBy('o.id')
    .limit(limit)
    .select('o.id', 'o.kind', 'o.to_address', 'o.to_name', 'o.subject', 'o.text_body', 'o.html_body', 'o.headers', 'o.campaign_id', 'o.attempts');
}

/** Takes a mail for sending; false when another worker took it first (so nobody gets it twice). */
export async function claimMail(db: Knex, id: number): Promise<boolean> {
  return (await db('mail_outbox').where({ id, status: 'queued' }).update({ status: 'sending' })) === 1;
}

export async function markSent(db: Knex, id: number, result: { messageId: string; file: string | null }): Promise<void> {
  await db('mail_outbox').where({ id }).update({
    status: 'sent', sent_at: nowIso(), message_id: result.messageId.slice(0, 250), file: result.file, last_error: null,
    attempts: db.raw('attempts + 1'),
  });
}

/** A fault: back to the queue for a later attempt, or failed for good. */
export async function markAttemptFailed(db: Knex, id: number, reason: string, retryAt: string | null): Promise<void> {
  await db('mail_outbox').where({ id }).update({
    status: retryAt ? 'queued' : 'failed', next_attempt_at: retryAt ?? nowIso(), last_error: reason.slice(0, 1000),
    attempts: db.raw('attempts + 1'),
  });
}

/** Mails sent in the last minute (the rate limit counts them in the database, across instances). */
export async function sentInLastMinute(db: Knex, now = Date.now()): Promise<number> {
  const row = await db('mail_outbox').where('sent_at', '>=', new Date(now - 60_000).toISOString()).count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Mails left "sending" by a process that stopped: failed, with the reason (never sent again blindly). */
export async function failInterrupted(db: Knex): Promise<number> {
  return db('mail_outbox').where({ status: 'sending' })
    .update({ status: 'failed', last_error: 'interrupted while sending (the server stopped); it may or may not have arrived' });
}

export async function pauseCampaign(db: Knex, campaignId: number, reason: string): Promise<void> {
  await db('mail_campaigns').where({ id: campaignId, status: 'sending' }).update({ status: 'paused', pause_reason: reason.slice(0, 1000) });
}

export interface OutboxRow {
  id: number;
  kind: string;
  to_address: string;
  to_name: string | null;
  locale: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  file: string | null;
  campaign_id: number | null;
  created_at: string;
  sent_at: string | null;
}

/** The newest mails for /outbox, optionally of one status. */
export function outboxList(db: Knex, opts: { status?: string; limit: number; offset: number }): Promise<OutboxRow[]> {
  const q = db('mail_outbox').orderBy('id', 'desc').limit(opts.limit).offset(opts.offset)
    .select('id', 'kind', 'to_address', 'to_name', 'locale', 'subject', 'status', 'attempts', 'last_error', 'file', 'campaign_id', 'created_at', 'sent_at');
  if (opts.status) q.where({ status: opts.status });
  return q;
}

export async function outboxCounts(db: Knex): Promise<Record<string, number>> {
  const rows = await db('mail_outbox').groupBy('status').select('status').count<{ status: string; n: number }[]>({ n: '*' });
  const out: Record<string, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export function findOutboxMail(db: Knex, id: number): Promise<(OutboxRow & { text_body: string }) | undefined> {
  return db('mail_outbox').where({ id }).first('id', 'kind', 'to_address', 'to_name', 'locale', 'subject', 'status', 'attempts', 'last_error', 'file',
    'campaign_id', 'created_at', 'sent_at', 'text_body');
}

/** Sends a failed mail once more (an admin's choice on /outbox). */
export async function requeueMail(db: Knex, id: number): Promise<boolean> {
  return (await db('mail_outbox').where({ id, status: 'failed' }).update({ status: 'queued', next_attempt_at: nowIso(), attempts: 0 })) === 1;
}
