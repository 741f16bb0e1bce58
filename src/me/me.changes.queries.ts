// Changes a person makes through their own link: each in one transaction, indexed, and audited as made by them.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { reindexPeople } from '../search/index.queries.js';
import { personSnapshot, setPersonSkills } from '../people/people.queries.js';
import { displayName, type SkillChoice } from '../people/people.domain.js';
import { ownDetailColumns, type OwnDetails } from './me.domain.js';

/** The audit actor for a person acting through their own link. */
export function selfActor(person: { first_name: string; last_name: string }): Actor {
  return { userId: null, label: displayName(person), source: 'self' };
}

async function changeAudited(db: Knex, actor: Actor, personId: number, write: (trx: Knex) => Promise<void>): Promise<number> {
  return db.transaction(async (trx) => {
    const before = (await personSnapshot(trx, personId)) ?? {};
    await write(trx);
    await reindexPeople(trx, [personId]);
    const changes = await recordUpdate(trx, actor, 'person', personId, before, (await personSnapshot(trx, personId)) ?? {});
    return Object.keys(changes).filter((k) => k !== 'updated_at').length;
  });
}

/** Contact details, place, languages, availability; returns how many fields changed. */
export function updateOwnDetails(db: Knex, actor: Actor, personId: number, details: OwnDetails): Promise<number> {
  return changeAudited(db, actor, personId, async (trx) => {
    await trx('people').where({ id: personId }).update({ ...ownDetailColumns(details), updated_at: nowIso() });
  });
}

/** Replaces the person's skills; returns how many fields changed (0 or 1: the skill list). */
export function updateOwnSkills(db: Knex, actor: Actor, personId: number, skills: SkillChoice[]): Promise<number> {
  return changeAudited(db, actor, personId, async (trx) => {
    await setPersonSkills(trx, personId, skills);
    await trx('people').where({ id: personId }).update({ updated_at: nowIso() });
  });
}

/** "Send me no more mails": sets do-not-contact, audited. */
export function stopOwnMails(db: Knex, actor: Actor, personId: number): Promise<number> {
  return changeAudited(db, actor, personId, async (trx) => {
    await trx('people').where({ id: personId }).update({ do_not_contact: true, updated_at: nowIso() });
  });
}

/** Audits a request the person made (a skill suggestion, their erasure). */
export async function auditOwnRequest(db: Knex, actor: Actor, personId: number, kind: string, detail: Record<string, unknown> = {}): Promise<void> {
  await recordAudit(db, actor, { action: 'request', entityType: 'person', entityId: personId, changes: { kind, ...detail } });
}

/** Whether an e-mail is used by another person. */
export async function emailUsedByOther(db: Knex, email: string | null, personId: number): Promise<boolean> {
  if (!email) return false;
  return Boolean(await db('people').where({ email_norm: email.trim().toLowerCase() }).whereNot({ id: personId }).first('id'));
}
