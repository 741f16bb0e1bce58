// A project's shortlist: who is considered, in which state, since when; every change dated (shortlist_events)
// and audited; accepting records the engagement in the same transaction.
import type { Knex } from 'knex';
import { byName, nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { createEngagement } from '../engagements/engagements.queries.js';
import type { EngagementInput } from '../engagements/engagements.domain.js';
import { ADDED_STATE, REMOVABLE_STATES, type ShortlistState } from './shortlists.domain.js';

/** Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface ShortlistAddResult {
  /** put on the list now */
  added: number[];
  /** were on the list already (any state): left as they are */
  already: number[];
  /** marked do-not-contact: never put on a list to be asked */
  doNotContact: number[];
}

/**
 * Puts people on a project's shortlist (state "shortlisted"), in one transaction with one audit entry.
 * Unknown ids are ignored; people already on the list keep their state; do-not-contact people are left out.
 * `via` names where it came from in the audit log (e.g. "suggestions", "people-search").
 */
export async function addToShortlist(
  db: Knex, actor: Actor, projectId: number, personIds: readonly number[], opts: { via?: string } = {},
): Promise<ShortlistAddResult> {
  const ids = [...new Set(personIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
  return db.transaction(async (trx) => {
    const result: ShortlistAddResult = { added: [], already: [], doNotContact: [] };
    const now = nowIso();
    for (const part of chunks(ids)) {
      const people: { id: number; do_not_contact: number | boolean }[] = await trx('people').whereIn('id', part).select('id', 'do_not_contact');
      const onList = new Set((await trx('shortlist_entries').where('project_id', projectId).whereIn('person_id', part).pluck('person_id')).map(Number));
      const fresh: number[] = [];
      for (const p of people) {
        if (onList.has(p.id)) result.already.push(p.id);
        else if (Number(p.do_not_contact)) result.doNotContact.push(p.id);
        else fresh.push(p.id);
      }
      if (!fresh.length) continue;
      await trx('shortlist_entries').insert(fresh.map((person_id) => ({
        project_id: projectId, person_id, state: ADDED_STATE, created_by_user_id: actor.userId, created_at: now, updated_at: now,
      })));
      const entries: { id: number }[] = await trx('shortlist_entries').where('project_id', projectId).whereIn('person_id', fresh).select('id');
      await trx('shortlist_events').insert(entries.map((e) => ({
        entry_id: e.id, from_state: null, to_state: ADDED_STATE, user_id: actor.userId, actor: actor.label, created_at: now,
      })));
      result.added.push(...fresh);
    }
    if (result.added.length) {
      await recordAudit(trx, actor, {
        action: 'shortlist.add', entityType: 'project', entityId: projectId,
        changes: { person_ids: result.added, count: result.added.length, ...(opts.via ? { via: opts.via } : {}) },
      });
    }
    return result;
  });
}

/**
 * Takes people off a project's shortlist (the undo of addToShortlist): only entries nobody has asked or
 * decided yet; returns how many were removed. One transaction, one audit entry.
 */
export async function removeFromShortlist(db: Knex, actor: Actor, projectId: number, personIds: readonly number[]): Promise<number> {
  const ids = [...new Set(personIds)];
  return db.transaction(async (trx) => {
    const removed: number[] = [];
    for (const part of chunks(ids)) {
      const rows: number[] = (await trx('shortlist_entries').where('project_id', projectId).whereIn('person_id', part)
        .whereIn('state', REMOVABLE_STATES).pluck('person_id')).map(Number);
      if (!rows.length) continue;
      await trx('shortlist_entries').where('project_id', projectId).whereIn('person_id', rows).del();
      removed.push(...rows);
    }
    if (removed.length) {
      await recordAudit(trx, actor, { action: 'shortlist.remove', entityType: 'project', entityId: projectId, changes: { person_ids: removed, count: removed.length } });
    }
    return removed.length;
  });
}

export interface ShortlistRow {
  id: number;
  person_id: number;
  first_name: string;
  last_name: string;
  city: string | null;
  availability: string;
  do_not_contact: number;
  state: ShortlistState;
  reason: string | null;
  asked_at: string | null;
  engagement_id: number | null;
  updated_at: string;
}

/** A project's shortlist, in the order of the states, then by name. */
export async function projectShortlist(db: Knex, projectId: number): Promise<ShortlistRow[]> {
  return db('shortlist_entries as s')
    .join('people as p', 'p.id', 's.person_id')
    .where('s.project_id', projectId)
    .orderByRaw(`case s.state when 'accepted' then 0 when 'asked' then 1 when 'shortlisted' then 2 when 'suggested' then 3 else 4 end`)
    .orderBy(byName(db, 'p.last_name')).orderBy(byName(db, 'p.first_name')).orderBy('p.id')
    .select('s.id', 's.person_id', 'p.first_name', 'p.last_name', 'p.city', 'p.availability', 'p.do_not_contact', 's.state', 's.reason',
      's.asked_at', 's.engagement_id', 's.updated_at');
}

/** How many people a project's shortlist holds in each state. */
export async function shortlistCounts(db: Knex, projectId: number): Promise<Partial<Record<ShortlistState, number>>> {
  const rows: { state: ShortlistState; n: number | string }[] = await db('shortlist_entries').where('project_id', projectId).groupBy('state').select('state', db.raw('count(*) as n'));
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** The states of these people on a project's shortlist (absent: not on it). */
export async function shortlistStatesOf(db: Knex, projectId: number, personIds: readonly number[]): Promise<Map<number, ShortlistState>> {
  const out = new Map<number, ShortlistState>();
  for (const part of chunks([...new Set(personIds)])) {
    const rows: { person_id: number; state: ShortlistState }[] = await db('shortlist_entries').where('project_id', projectId).whereIn('person_id', part).select('person_id', 'state');
    for (const r of rows) out.set(Number(r.person_id), r.state);
  }
  return out;
}

export interface AskedElsewhere {
  project_id: number;
  title: string;
  asked_at: string;
}

/** For each of these people, the latest time since `since` they were asked for another project (to spread the asking). */
export async function askedElsewhereSince(db: Knex, projectId: number, personIds: readonly number[], since: string): Promise<Map<number, AskedElsewhere>> {
  const out = new Map<number, AskedElsewhere>();
  for (const part of chunks([...new Set(personIds)])) {
    const rows: (AskedElsewhere & { person_id: number })[] = await db('shortlist_entries as s')
      .join('projects as p', 'p.id', 's.project_id')
      .whereIn('s.person_id', part)
      .where('s.asked_at', '>=', since)
      .whereNot('s.project_id', projectId)
      .orderBy('s.asked_at', 'desc')
      .select('s.person_id', 's.project_id', 'p.title', 's.asked_at');
    for (const r of rows) if (!out.has(Number(r.person_id))) out.set(Number(r.person_id), r);
  }
  return out;
}

export function findShortlistEntry(db: Knex, projectId: number, personId: number): Promise<ShortlistRow | undefined> {
  return db('shortlist_entries as s')
    .join('people as p', 'p.id', 's.person_id')
    .where({ 's.project_id': projectId, 's.person_id': personId })
    .first('s.id', 's.person_id', 'p.first_name', 'p.last_name', 'p.city', 'p.availability', 'p.do_not_contact', 's.state', 's.reason',
      's.asked_at', 's.engagement_id', 's.updated_at');
}

export interface ShortlistEvent {
  entry_id: number;
  from_state: ShortlistState | null;
  to_state: ShortlistState;
  reason: string | null;
  actor: string | null;
  created_at: string;
}

/** Every state change of a project's shortlist entries, oldest first, grouped by entry id. */
export async function shortlistEvents(db: Knex, projectId: number): Promise<Map<number, ShortlistEvent[]>> {
  const rows: ShortlistEvent[] = await db('shortlist_events as ev')
    .join('shortlist_entries as s', 's.id', 'ev.entry_id')
    .where('s.project_id', projectId)
    .orderBy('ev.id')
    .select('ev.entry_id', 'ev.from_state', 'ev.to_state', 'ev.reason', 'ev.actor', 'ev.created_at');
  const out = new Map<number, ShortlistEvent[]>();
  for (const r of rows) {
    const list = out.get(r.entry_id);
    if (list) list.push(r);
    else out.set(r.entry_id, [r]);
  }
  return out;
}

/**
 * Moves one entry to a new state (the caller checked the move with readStateChange), dated and audited.
 * Accepting records the engagement `engagement` describes in the same transaction, unless the person is
 * already on the project's team; returns the engagement's id then.
 */
export async function changeShortlistState(
  db: Knex, actor: Actor, entry: Pick<ShortlistRow, 'id' | 'person_id' | 'state'>, projectId: number,
  change: { to: ShortlistState; reason: string | null }, engagement?: EngagementInput,
): Promise<{ engagementId: number | null }> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    // the state read by the caller must still hold: two people clicking at once change it once
    const current = await trx('shortlist_entries').where({ id: entry.id }).first('state');
    if (!current || current.state !== entry.state) throw new ShortlistConflict();
    let engagementId: number | null = null;
    if (change.to === 'accepted') {
      const existing = await trx('engagements').where({ project_id: projectId, person_id: entry.person_id }).first('id');
      engagementId = existing ? Number(existing.id)
        : await createEngagement(trx, actor, projectId, engagement ?? emptyEngagement(entry.person_id), { source: 'shortlist' });
    }
    await trx('shortlist_entries').where({ id: entry.id }).update({
      state: change.to, reason: change.to === 'declined' ? change.reason : null, updated_at: now,
      ...(change.to === 'asked' ? { asked_at: now } : {}),
      ...(engagementId ? { engagement_id: engagementId } : {}),
    });
    await trx('shortlist_events').insert({
      entry_id: entry.id, from_state: entry.state, to_state: change.to, reason: change.reason, user_id: actor.userId, actor: actor.label, created_at: now,
    });
    await recordAudit(trx, actor, {
      action: 'shortlist.state', entityType: 'project', entityId: projectId,
      changes: { person_id: entry.person_id, state: { from: entry.state, to: change.to }, ...(change.reason ? { reason: change.reason } : {}), ...(engagementId ? { engagement_id: engagementId } : {}) },
    });
    return { engagementId };
  });
}

/** Someone else changed the entry between reading and writing. */
export class ShortlistConflict extends Error {}

function emptyEngagement(personId: number): EngagementInput {
  return {
    person_id: personId, role: null, start_date: null, end_date: null, hours: null, paid: false, rate: null,
    outcome: null, feedback: null, rating: null, handover: null,
  };
}

/** The project's needed skills this person has, in the interface language (the role an accepted engagement starts with). */
export async function coveredSkillNames(db: Knex, projectId: number, personId: number, locale: string): Promise<string[]> {
  const rows: { name: string; name_de: string | null }[] = await db('project_skills as pk')
    .join('person_skills as ps', function () {
      this.on('ps.skill_id', '=', 'pk.skill_id');
    })
    .join('skills as s', 's.id', 'pk.skill_id')
    .where('pk.project_id', projectId)
    .where('ps.person_id', personId)
    .orderBy([{ column: 'pk.min_level', order: 'desc' }, { column: 's.name' }])
    .select('s.name', 's.name_de');
  return rows.map((r) => (locale === 'de' && r.name_de ? r.name_de : r.name));
}
