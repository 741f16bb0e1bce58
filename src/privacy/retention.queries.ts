// Erasure, anonymisation, re-confirmation and the list of stale records (not confirmed, not active): the
// queries of the retention screens and CLI.
import type { Knex } from 'knex';
import { forgetMergeTraces } from '../duplicates/merge.queries.js';
import { nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { deleteSearchDocs } from '../search/index.queries.js';
import { normaliseName } from '../shared/normalise.js';
import { addSuppression, auditAboutQuery } from './privacy.queries.js';
import { anonymisedName, todayIso } from './privacy.domain.js';

/** What replaces the `changes` of audit entries about an erased or anonymised person. */
export const REDACTED = JSON.stringify({ redacted: true });

export interface EraseImpact {
  skills: number;
  tags: number;
  engagements: number;
  consents: number;
  imports: number;
  audit: number;
  hasEmail: boolean;
}

async function count(q: Knex.QueryBuilder): Promise<number> {
  const row = await q.count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

async function engagementIdsOf(db: Knex, personId: number): Promise<number[]> {
  return db('engagements').where({ person_id: personId }).pluck('id');
}

/** What an erasure deletes or pseudonymises, for the confirmation page. */
export async function eraseImpact(db: Knex, personId: number): Promise<EraseImpact> {
  const person = await db('people').where({ id: personId }).first('email');
  const engagementIds = await engagementIdsOf(db, personId);
  return {
    skills: await count(db('person_skills').where({ person_id: personId })),
    tags: await count(db('person_tags').where({ person_id: personId })),
    engagements: engagementIds.length,
    consents: await count(db('consents').where({ person_id: personId })),
    imports: await count(db('import_changes').where({ person_id: personId })),
    audit: await count(auditAboutQuery(db, personId, engagementIds)),
    hasEmail: Boolean(person?.email),
  };
}

/** Pseudonymises a person's audit trail: keeps action, actor and time, drops the recorded values. */
async function redactTrail(trx: Knex, personId: number, engagementIds: number[]): Promise<number> {
  const n = await auditAboutQuery(trx, personId, engagementIds).update({ changes: REDACTED });
  // Import change records hold before/after copies of the person: an undo must never bring them back.
  await trx('import_changes').where({ person_id: personId }).del();
  return n;
}

/**
 * Erases one person (inside a transaction): the row and what cascades from it (skills, tags, engagements,
 * consents), the search-index row and import change records; pseudonymises the audit trail and keeps only
 * a hashed-e-mail suppression record. Writes one 'erase' audit entry with counts only. False when unknown.
 */
async function eraseOne(trx: Knex, actor: Actor, personId: number): Promise<boolean> {
  const person = await trx('people').where({ id: personId }).first('id', 'email');
  if (!person) return false;
  const impact = await eraseImpact(trx, personId);
  const engagementIds = await engagementIdsOf(trx, personId);
  await redactTrail(trx, personId, engagementIds);
  const aliases = await forgetMergeTraces(trx, personId);
  await trx('people').where({ id: personId }).del();
  await deleteSearchDocs(trx, [personId]);
  const suppressed = await addSuppression(trx, person.email);
  // the e-mails of records merged into this person belong to them too: a later import must not bring them back
  for (const email of aliases) await addSuppression(trx, email);
  const { hasEmail: _ignored, ...rows } = impact;
  await recordAudit(trx, actor, { action: 'erase', entityType: 'person', entityId: personId, changes: { rows, suppressed } });
  return true;
}

/** Erases these people in one transaction; returns how many existed. */
export async function erasePeople(db: Knex, actor: Actor, ids: number[]): Promise<number> {
  return db.transaction(async (trx) => {
    let n = 0;
    for (const id of ids) if (await eraseOne(trx, actor, id)) n++;
    return n;
  });
}

/**
 * Anonymises people: the name becomes "Anonymised #id"; e-mail, phone, postcode, portfolio, notes, employer and
 * job title are cleared; skills, city and kind stay for statistics. They leave the search (index row removed,
 * marked do-not-contact) and the review list; their audit trail is pseudonymised. Returns how many changed.
 */
export async function anonymisePeople(db: Knex, actor: Actor, ids: number[]): Promise<number> {
  return db.transaction(async (trx) => {
    let n = 0;
    for (const id of ids) {
      const person = await trx('people').where({ id }).whereNull('anonymised_at').first('id');
      if (!person) continue;
      const name = anonymisedName(id);
      const now = nowIso();
      await redactTrail(trx, id, await engagementIdsOf(trx, id));
      await forgetMergeTraces(trx, id);
      await trx('people').where({ id }).update({
        ...name, name_norm: normaliseName(name.first_name, name.last_name),
        email: null, email_norm: null, phone: null, phone_norm: null, postcode: null, portfolio_url: null, notes: null,
        organisation: null, job_title: null, do_not_contact: 1, anonymised_at: now, updated_at: now,
      });
      await deleteSearchDocs(trx, [id]);
      await recordAudit(trx, actor, { action: 'anonymise', entityType: 'person', entityId: id });
      n++;
    }
    return n;
  });
}

/** Sets last_confirmed_at to today for these people and audits each change; returns how many exist. */
export async function confirmPeople(db: Knex, actor: Actor, ids: number[], today = todayIso()): Promise<number> {
  return db.transaction(async (trx) => {
    let n = 0;
    for (const id of ids) {
      const person = await trx('people').where({ id }).first('id', 'last_confirmed_at');
      if (!person) continue;
      await trx('people').where({ id }).update({ last_confirmed_at: today, updated_at: nowIso() });
      await recordAudit(trx, actor, {
        action: 'confirm', entityType: 'person', entityId: id,
        changes: { last_confirmed_at: { from: person.last_confirmed_at ?? null, to: today } },
      });
      n++;
    }
    return n;
  });
}

export interface StaleRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  city: string | null;
  last_confirmed_at: string | null;
  created_at: string;
  last_active: string | null;
  /** when they were last asked to check their details and did not answer (null: not so) */
  asked_at: string | null;
}

export interface StalePage {
  rows: StaleRow[];
  total: number;
  page: number;
  pages: number;
}

/** Asked to check their details (a mail sent before `askedBefore`) and neither confirmed nor changed anything since. */
function unansweredAsk(db: Knex, askedBefore: string): Knex.QueryBuilder {
  return db('campaign_recipients as r').join('mail_outbox as m', 'm.id', 'r.mail_id')
    .whereRaw('r.person_id = p.id').where('m.status', 'sent').where('m.sent_at', '<', askedBefore)
    .whereNull('r.confirmed_at').whereNull('r.changed_at')
    .whereRaw("coalesce(p.last_confirmed_at, '') < m.sent_at");
}

/**
 * Not anonymised, and either confirmed (or, never confirmed, created) before the cut-off with no engagement dated
 * since, or asked to check their details without an answer.
 */
function staleQuery(db: Knex, cutoff: string, askedBefore: string): Knex.QueryBuilder {
  return db('people as p')
    .whereNull('p.anonymised_at')
    .where((q) => q
      .where((old) => old
        .whereRaw('substr(coalesce(p.last_confirmed_at, p.created_at), 1, 10) < ?', [cutoff])
        .whereNotExists(
          db('engagements as e').whereRaw('e.person_id = p.id').whereRaw('coalesce(e.end_date, e.start_date) >= ?', [cutoff]).select(db.raw('1')),
        ))
      .orWhereExists(unansweredAsk(db, askedBefore).select(db.raw('1'))));
}

/** One page of stale records, longest unconfirmed first; a page past the end gives the last page. */
export async function staleRecords(
  db: Knex, cutoff: string, page: number, pageSize = 50, askedBefore = new Date(Date.now() - 14 * 86_400_000).toISOString(),
): Promise<StalePage> {
  const total = await count(staleQuery(db, cutoff, askedBefore));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await staleQuery(db, cutoff, askedBefore)
    .orderByRaw('coalesce(p.last_confirmed_at, p.created_at), p.id')
    .limit(pageSize)
    .offset((current - 1) * pageSize)
    .select('p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.city', 'p.last_confirmed_at', 'p.created_at',
      db.raw('(select max(coalesce(e.end_date, e.start_date)) from engagements e where e.person_id = p.id) as last_active'),
      unansweredAsk(db, askedBefore).max('m.sent_at').as('asked_at'));
  return { rows, total, page: current, pages };
}

/** The ids among these that are people (bulk forms may carry stale ids). */
export async function existingPeopleIds(db: Knex, ids: number[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await db('people').whereIn('id', ids.slice(i, i + 500)).pluck('id')));
  return out.sort((a, b) => a - b);
}

/** Names of the first of these people, for a confirmation page (at most `limit`). */
export function peopleToConfirm(db: Knex, ids: number[], limit = 50): Promise<{ id: number; first_name: string; last_name: string }[]> {
  return db('people').whereIn('id', ids.slice(0, limit)).orderBy('id').select('id', 'first_name', 'last_name');
}
