// Join applications: kept unconfirmed for at most 7 days, confirmed by the link in the mail, then accepted
// (a new person, or merged into the person with that e-mail) or declined by a manager.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import { normaliseEmail } from '../shared/normalise.js';
import { newToken, tokenHash } from '../shared/tokens.js';
import { createPerson, personSkills } from '../people/people.queries.js';
import { recordConsent } from '../privacy/privacy.queries.js';
import { updateOwnDetails, updateOwnSkills } from '../me/me.changes.queries.js';
import { JOIN_PURPOSE, mergeSkills, UNCONFIRMED_DAYS, type JoinApplication } from './join.domain.js';

export interface StoredApplication {
  id: number;
  email: string;
  locale: string;
  status: string;
  created_at: string;
  confirmed_at: string | null;
  data: JoinApplication & { notice: string };
  /** the person with this e-mail, when there is one (accepting merges into them) */
  existing_person_id?: number | null;
}

/** Stores an unconfirmed application; returns the token for the confirmation link. */
export async function addApplication(db: Knex, app: JoinApplication, locale: string, notice: string): Promise<{ id: number; token: string }> {
  const token = newToken();
  const [row] = await db('join_applications').insert({
    token_hash: tokenHash(token), email: app.email.trim(), email_norm: normaliseEmail(app.email), locale,
    data: JSON.stringify({ ...app, notice }), status: 'unconfirmed', created_at: nowIso(),
  }).returning('id');
  return { id: typeof row === 'object' ? row.id : row, token };
}

function parse(row: Record<string, unknown>): StoredApplication {
  return { ...(row as unknown as StoredApplication), data: JSON.parse(String(row.data)) };
}

/** Confirms the application of this token (unconfirmed, not older than 7 days); false otherwise. */
export async function confirmApplication(db: Knex, token: unknown): Promise<boolean> {
  const hash = tokenHash(token);
  if (!hash) return false;
  const cutoff = new Date(Date.now() - UNCONFIRMED_DAYS * 86_400_000).toISOString();
  const n = await db('join_applications').where({ token_hash: hash, status: 'unconfirmed' }).where('created_at', '>', cutoff)
    .update({ status: 'confirmed', confirmed_at: nowIso() });
  return n === 1;
}

/** Is there an application with this token at all (confirmed or not)? For the confirmation page. */
export async function applicationExists(db: Knex, token: unknown): Promise<boolean> {
  const hash = tokenHash(token);
  return Boolean(hash && (await db('join_applications').where({ token_hash: hash }).whereIn('status', ['unconfirmed', 'confirmed']).first('id')));
}

/** Deletes applications nobody confirmed within 7 days, and the data of decided ones. */
export async function purgeApplications(db: Knex, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - UNCONFIRMED_DAYS * 86_400_000).toISOString();
  const unconfirmed = await db('join_applications').where({ status: 'unconfirmed' }).where('created_at', '<=', cutoff).del();
  const decided = await db('join_applications').whereIn('status', ['accepted', 'declined']).where('decided_at', '<=', cutoff).del();
  return unconfirmed + decided;
}

export async function confirmedApplications(db: Knex): Promise<StoredApplication[]> {
  const rows = await db('join_applications as a').leftJoin('people as p', 'p.email_norm', 'a.email_norm').where('a.status', 'confirmed')
    .orderBy('a.id').limit(500)
    .select('a.id', 'a.email', 'a.locale', 'a.status', 'a.created_at', 'a.confirmed_at', 'a.data', 'p.id as existing_person_id');
  return rows.map(parse);
}

export async function findConfirmedApplication(db: Knex, id: number): Promise<StoredApplication | undefined> {
  const row = await db('join_applications').where({ id, status: 'confirmed' }).first('id', 'email', 'locale', 'status', 'created_at', 'confirmed_at', 'data');
  return row ? parse(row) : undefined;
}

/** Unconfirmed applications for one e-mail in the last day (a flood of confirmation mails to one person is refused). */
export async function recentApplicationsFor(db: Knex, email: string): Promise<number> {
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const row = await db('join_applications').where({ email_norm: normaliseEmail(email) }).where('created_at', '>', since).count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * Accepts a confirmed application: merges into the person with that e-mail (empty fields filled, skills added)
 * or creates a person; records the consent given on the form. Returns the person and whether it was a merge.
 */
export async function acceptApplication(db: Knex, actor: Actor, app: StoredApplication): Promise<{ personId: number; merged: boolean }> {
  const d = app.data;
  const existing = await db('people').where({ email_norm: normaliseEmail(app.email) }).first();
  let personId: number;
  if (existing) {
    personId = existing.id;
    await updateOwnDetails(db, actor, personId, {
      email: existing.email, phone: existing.phone, city: existing.city || d.city, postcode: existing.postcode, country: existing.country,
      languages: existing.languages, availability: d.availability, available_until: existing.available_until, locale: existing.locale ?? app.locale,
    } as Parameters<typeof updateOwnDetails>[3]);
    const current = (await personSkills(db, personId)).map((s) => ({ skillId: s.skill_id, level: s.level }));
    await updateOwnSkills(db, actor, personId, mergeSkills(current, d.skills));
  } else {
    personId = await createPerson(db, actor, {
      fields: {
        first_name: d.first_name, last_name: d.last_name, email: d.email, phone: null, city: d.city, postcode: null, country: null,
        languages: null, kind: 'volunteer', availability: d.availability, organisation: null, job_title: null, portfolio_url: null,
        notes: d.note, do_not_contact: false, last_confirmed_at: (app.confirmed_at ?? nowIso()).slice(0, 10),
      },
      skills: d.skills, tags: [],
    });
    await db('people').where({ id: personId }).update({ locale: app.locale });
  }
  await recordConsent(db, actor, personId, { purpose: JOIN_PURPOSE, status: 'given', method: 'web_form', noticeText: d.notice });
  await db('join_applications').where({ id: app.id }).update({ status: 'accepted', decided_at: nowIso(), decided_by_user_id: actor.userId, person_id: personId, data: '{}' });
  return { personId, merged: Boolean(existing) };
}

/** Declines an application: its data is deleted at once, only the decision remains until the clean-up. */
export async function declineApplication(db: Knex, actor: Actor, id: number): Promise<boolean> {
  return (await db('join_applications').where({ id, status: 'confirmed' })
    .update({ status: 'declined', decided_at: nowIso(), decided_by_user_id: actor.userId, data: '{}', email: '', email_norm: '' })) === 1;
}
