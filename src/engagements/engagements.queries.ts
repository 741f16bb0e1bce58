// Engagements: read one, pick a person, and audited writes that keep the person's skill evidence (last used) current.
import type { Knex } from 'knex';
import { updateVersioned } from '../shared/versions.queries.js';
import { byName, nowIso } from '../db.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { foldText } from '../shared/normalise.js';
import { likePattern } from '../organisations/organisations.domain.js';
import { lastUsedDate, type EngagementInput } from './engagements.domain.js';

/** What an engagement records, as stored (shared by the team list and the export). */
export interface EngagementFacts {
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  hours: number | null;
  paid: number;
  rate: number | null;
  outcome: string | null;
  feedback: string | null;
  rating: number | null;
  handover: string | null;
}

export interface EngagementRow extends EngagementFacts {
  id: number;
  person_id: number;
  project_id: number;
  created_at: string;
  updated_at: string;
  /** of the project: who may manage it */
  organisation_id: number;
  project_title: string;
  first_name: string;
  last_name: string;
}

export function findEngagement(db: Knex, id: number): Promise<EngagementRow | undefined> {
  return db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .join('people as pe', 'pe.id', 'e.person_id')
    .where('e.id', id)
    .first('e.*', 'p.organisation_id', 'p.title as project_title', 'pe.first_name', 'pe.last_name');
}

export async function personExists(db: Knex, id: number): Promise<boolean> {
  return Boolean(await db('people').where({ id }).first('id'));
}

function columns(input: EngagementInput): Record<string, unknown> {
  return { ...input, paid: input.paid ? 1 : 0 };
}

/**
 * The person's skills that the project needs get last_used_at moved forward to the engagement's date
 * (end, else start) when that is later: recording work is evidence that the skill is current.
 */
async function touchSkillEvidence(trx: Knex, projectId: number, personId: number, e: { start_date: string | null; end_date: string | null }): Promise<number> {
  const recorded = lastUsedDate(e);
  if (!recorded) return 0;
  // Planned work is not yet evidence beyond today.
  const today = nowIso().slice(0, 10);
  const date = recorded > today ? today : recorded;
  return trx('person_skills')
    .where('person_id', personId)
    .whereIn('skill_id', trx('project_skills').where('project_id', projectId).select('skill_id'))
    .where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', date))
    .update({ last_used_at: date });
}

/** Records an engagement; `via` notes where it came from (e.g. a suggestion) in the audit log. */
export async function createEngagement(
  db: Knex, actor: Actor, projectId: number, input: EngagementInput, via?: Record<string, unknown>,
): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('engagements').insert({ ...columns(input), project_id: projectId, created_at: now, updated_at: now }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await touchSkillEvidence(trx, projectId, input.person_id, input);
    await recordAudit(trx, actor, {
      action: 'create', entityType: 'engagement', entityId: id, changes: { project_id: projectId, ...input, ...(via ? { via } : {}) },
    });
    return id;
  });
}

/** Saves an engagement's form; with `version` only if nobody saved it since (else VersionConflict, nothing written). */
export async function updateEngagement(db: Knex, actor: Actor, id: number, input: EngagementInput, version?: string): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('engagements').where({ id }).first();
    await updateVersioned(trx, 'engagements', id, columns(input), version);
    await touchSkillEvidence(trx, before.project_id, input.person_id, input);
    await recordUpdate(trx, actor, 'engagement', id, before, { ...before, ...columns(input) });
  });
}

export async function deleteEngagement(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await trx('engagements').where({ id }).first();
    await trx('engagements').where({ id }).del();
    await recordAudit(trx, actor, { action: 'delete', entityType: 'engagement', entityId: id, changes: before });
  });
}
