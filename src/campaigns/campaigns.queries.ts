// Campaigns asking people to check their details: choosing recipients, queuing one mail per person with their own
// link, and the campaign's figures (sent, failed, opened, confirmed, changed, no answer).
import type { Knex } from 'knex';
import { byName, nowIso } from '../db.js';
import { currentConsents } from '../privacy/privacy.domain.js';
import { daysFromNow, newToken, tokenHash } from '../shared/tokens.js';
import { composeMail, mailLocale } from '../mail/compose.domain.js';
import { escapeHtml, oneLine } from '../mail/mail.domain.js';
import { selectRecipients, type Candidate, type Selection } from './campaigns.domain.js';

const CHUNK = 400;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The chosen people with what decides whether they may get the mail. */
export async function loadCandidates(db: Knex, ids: number[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const part of chunks(ids)) {
    const people = await db('people').whereIn('id', part).whereNull('anonymised_at')
      .select('id', 'first_name', 'last_name', 'email', 'do_not_contact', 'locale');
    const consents = await db('consents').whereIn('person_id', part).select('id', 'person_id', 'purpose', 'status');
    const byPerson = new Map<number, { id: number; purpose: string; status: string }[]>();
    for (const c of consents) byPerson.set(c.person_id, [...(byPerson.get(c.person_id) ?? []), c]);
    for (const p of people) {
      const given = currentConsents(byPerson.get(p.id) ?? []).filter((c) => c.status === 'given').map((c) => c.purpose);
      out.push({ ...p, consents: given });
    }
  }
  return out;
}

export interface StartedCampaign {
  id: number;
  selection: Selection;
}

/**
 * Creates the campaign with its recipients and returns at once (10,000 people in well under a second); the mail
 * worker then writes each recipient's link and mail in chunks (prepareCampaignMails) and sends them.
 */
export async function startCampaign(db: Knex, opts: { userId: number | null; people: Candidate[] }): Promise<StartedCampaign> {
  const selection = selectRecipients(opts.people);
  const id = await db.transaction(async (trx) => {
    const [row] = await trx('mail_campaigns').insert({
      kind: 'confirm', created_by_user_id: opts.userId, status: 'sending', recipients: selection.recipients.length,
      skipped_dnc: selection.skippedDnc, skipped_no_email: selection.skippedNoEmail, skipped_no_consent: selection.skippedNoConsent, created_at: nowIso(),
    }).returning('id');
    const campaignId: number = typeof row === 'object' ? row.id : row;
    for (const part of chunks(selection.recipients)) {
      await trx('campaign_recipients').insert(part.map((p) => ({ campaign_id: campaignId, person_id: p.id })));
    }
    return campaignId;
  });
  return { id, selection };
}

const NAME = '@@SKILLNET-NAME@@';
const URL_MARK = '@@SKILLNET-URL@@';

/**
 * Writes the own link and the mail of up to `max` recipients still without one (each in the person's language,
 * with List-Unsubscribe); returns how many. The mail text is composed once per language and filled per person.
 */
export async function prepareCampaignMails(db: Knex, opts: { publicUrl: string; linkDays: number }, max = 500): Promise<number> {
  const pending = await db('campaign_recipients as r').join('people as p', 'p.id', 'r.person_id').whereNull('r.mail_id')
    .orderBy('r.campaign_id').orderBy('r.person_id').limit(max)
    .select('r.campaign_id', 'r.person_id', 'p.first_name', 'p.last_name', 'p.email', 'p.locale', 'p.do_not_contact');
  if (!pending.length) return 0;
  const now = nowIso();
  const expiresAt = daysFromNow(opts.linkDays);
  const templates = new Map<string, ReturnType<typeof composeMail>>();
  const template = (locale: 'en' | 'de') => {
    if (!templates.has(locale)) {
      templates.set(locale, composeMail('confirm', locale, { name: NAME, url: URL_MARK, until: expiresAt, footerVars: { stop: `${URL_MARK}/stop` } }));
    }
    return templates.get(locale)!;
  };
  await db.transaction(async (trx) => {
    for (const part of chunks(pending)) {
      // someone may have become do-not-contact or lost their address since the campaign started
      const ready = part.filter((p) => !p.do_not_contact && p.email);
      const dropped = part.filter((p) => p.do_not_contact || !p.email);
      for (const p of dropped) await trx('campaign_recipients').where({ campaign_id: p.campaign_id, person_id: p.person_id }).del();
      if (!ready.length) continue;
      const tokens = ready.map(() => newToken());
      const links = await trx('person_links')
        .insert(ready.map((p, i) => ({ person_id: p.person_id, token_hash: tokenHash(tokens[i]), created_at: now, expires_at: expiresAt })))
        .returning(['id', 'person_id']);
      const linkOf = new Map<number, number>(links.map((l: { id: number; person_id: number }) => [l.person_id, l.id]));
      const mails = await trx('mail_outbox').insert(ready.map((p, i) => {
        const locale = mailLocale(p.locale);
        const url = `${opts.publicUrl}/me/${tokens[i]}`;
        const name = oneLine(`${p.first_name} ${p.last_name}`);
        const t = template(locale);
        return {
          kind: 'confirm', to_address: String(p.email).trim(), to_name: name || null, locale, subject: t.subject,
          text_body: t.text.replaceAll(NAME, name).replaceAll(URL_MARK, url),
          html_body: t.html.replaceAll(NAME, escapeHtml(name)).replaceAll(URL_MARK, escapeHtml(url)),
          headers: JSON.stringify({ 'List-Unsubscribe': `<${url}/stop>`, 'Auto-Submitted': 'auto-generated', Precedence: 'bulk' }),
          campaign_id: p.campaign_id, person_id: p.person_id, status: 'queued', attempts: 0, next_attempt_at: now, created_at: now,
        };
      })).returning(['id', 'person_id', 'campaign_id']);
      for (const m of mails as { id: number; person_id: number; campaign_id: number }[]) {
        await trx('campaign_recipients').where({ campaign_id: m.campaign_id, person_id: m.person_id }).update({ mail_id: m.id, link_id: linkOf.get(m.person_id) });
      }
    }
  });
  return pending.length;
}

export interface CampaignRow {
  id: number;
  kind: string;
  status: string;
  pause_reason: string | null;
  recipients: number;
  skipped_dnc: number;
  skipped_no_email: number;
  skipped_no_consent: number;
  created_at: string;
  created_by: string | null;
}

export function findCampaign(db: Knex, id: number): Promise<CampaignRow | undefined> {
  return db('mail_campaigns as c').leftJoin('users as u', 'u.id', 'c.created_by_user_id').where('c.id', id)
    .first('c.id', 'c.kind', 'c.status', 'c.pause_reason', 'c.recipients', 'c.skipped_dnc', 'c.skipped_no_email', 'c.skipped_no_consent',
      'c.created_at', 'u.email as created_by');
}

export function listCampaigns(db: Knex): Promise<CampaignRow[]> {
  return db('mail_campaigns as c').leftJoin('users as u', 'u.id', 'c.created_by_user_id').orderBy('c.id', 'desc').limit(100)
    .select('c.id', 'c.kind', 'c.status', 'c.pause_reason', 'c.recipients', 'c.skipped_dnc', 'c.skipped_no_email', 'c.skipped_no_consent',
      'c.created_at', 'u.email as created_by');
}

export interface CampaignFigures {
  queued: number;
  sent: number;
  failed: number;
  opened: number;
  confirmed: number;
  changed: number;
  noAnswer: number;
}

/** The campaign's figures; "no answer": sent, and neither confirmed nor changed anything since. */
export async function campaignFigures(db: Knex, id: number): Promise<CampaignFigures> {
  const mails = await db('mail_outbox').where({ campaign_id: id }).groupBy('status').select('status').count<{ status: string; n: number }[]>({ n: '*' });
  const by = Object.fromEntries(mails.map((m) => [m.status, Number(m.n)]));
  const r = await db('campaign_recipients as r').join('mail_outbox as m', 'm.id', 'r.mail_id').where('r.campaign_id', id).first(
    db.raw('sum(case when r.opened_at is not null then 1 else 0 end) as opened'),
    db.raw('sum(case when r.confirmed_at is not null then 1 else 0 end) as confirmed'),
    db.raw('sum(case when r.changed_at is not null then 1 else 0 end) as changed'),
    db.raw("sum(case when m.status = 'sent' and r.confirmed_at is null and r.changed_at is null then 1 else 0 end) as no_answer"),
  );
  const unprepared = await db('campaign_recipients').where({ campaign_id: id }).whereNull('mail_id').count<{ n: number }>({ n: '*' }).first();
  return {
    queued: Number(by.queued ?? 0) + Number(by.sending ?? 0) + Number(unprepared?.n ?? 0), sent: Number(by.sent ?? 0), failed: Number(by.failed ?? 0),
    opened: Number(r?.opened ?? 0), confirmed: Number(r?.confirmed ?? 0), changed: Number(r?.changed ?? 0), noAnswer: Number(r?.no_answer ?? 0),
  };
}

export interface RecipientRow {
  person_id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  mail_status: string | null;
  last_error: string | null;
  opened_at: string | null;
  confirmed_at: string | null;
  changed_at: string | null;
}

export function campaignRecipients(db: Knex, id: number, limit = 200): Promise<RecipientRow[]> {
  return db('campaign_recipients as r').join('people as p', 'p.id', 'r.person_id').leftJoin('mail_outbox as m', 'm.id', 'r.mail_id')
    .where('r.campaign_id', id).orderBy(byName(db, 'p.last_name')).orderBy(byName(db, 'p.first_name')).limit(limit)
    .select('r.person_id', 'p.first_name', 'p.last_name', 'p.email', 'm.status as mail_status', 'm.last_error', 'r.opened_at', 'r.confirmed_at', 'r.changed_at');
}

/** Resumes a paused campaign: its waiting mails are due at once. */
export async function resumeCampaign(db: Knex, id: number): Promise<boolean> {
  const n = await db('mail_campaigns').where({ id, status: 'paused' }).update({ status: 'sending', pause_reason: null });
  if (n) await db('mail_outbox').where({ campaign_id: id, status: 'queued' }).update({ next_attempt_at: nowIso() });
  return n === 1;
}

/** Pauses a sending campaign by hand. */
export async function pauseCampaignByHand(db: Knex, id: number): Promise<boolean> {
  return (await db('mail_campaigns').where({ id, status: 'sending' }).update({ status: 'paused', pause_reason: null })) === 1;
}
