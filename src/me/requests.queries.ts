// The managers' queue of what people asked for through their own link: new skills to approve, erasures.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import { nameKey } from '../shared/normalise.js';
import { createSkill } from '../skills/skills.queries.js';
import { personSkills } from '../people/people.queries.js';
import { updateOwnSkills } from './me.changes.queries.js';

export interface QueuedRequest {
  id: number;
  person_id: number;
  first_name: string;
  last_name: string;
  kind: 'skill' | 'erasure';
  payload: string | null;
  created_at: string;
}

export function openRequests(db: Knex): Promise<QueuedRequest[]> {
  return db('person_requests as r').join('people as p', 'p.id', 'r.person_id').where('r.status', 'open').orderBy('r.id').limit(500)
    .select('r.id', 'r.person_id', 'p.first_name', 'p.last_name', 'r.kind', 'r.payload', 'r.created_at');
}

export function findOpenRequest(db: Knex, id: number): Promise<QueuedRequest | undefined> {
  return db('person_requests as r').join('people as p', 'p.id', 'r.person_id').where({ 'r.id': id, 'r.status': 'open' })
    .first('r.id', 'r.person_id', 'p.first_name', 'p.last_name', 'r.kind', 'r.payload', 'r.created_at');
}

export async function decideRequest(db: Knex, id: number, userId: number | null, status: 'approved' | 'declined'): Promise<void> {
  await db('person_requests').where({ id, status: 'open' }).update({ status, decided_at: nowIso(), decided_by_user_id: userId });
}

/** Approves a suggested skill: the skill (existing by name or new) goes onto the person at the level they chose. */
export async function approveSkillSuggestion(db: Knex, actor: Actor, req: QueuedRequest): Promise<number> {
  const { name, level } = JSON.parse(req.payload ?? '{}') as { name: string; level: number };
  const key = nameKey(name);
  const existing = (await db('skills').where({ name_norm: key }).first('id'))
    ?? (await db('skill_aliases').where({ alias_norm: key }).first('skill_id as id'));
  const skillId: number = existing?.id ?? (await createSkill(db, actor, { name, name_de: null, category_id: null, description: null, aliases: [] }));
  const current = (await personSkills(db, req.person_id)).map((s) => ({ skillId: s.skill_id, level: s.level }));
  await updateOwnSkills(db, actor, req.person_id, [...current.filter((s) => s.skillId !== skillId), { skillId, level }]);
  await decideRequest(db, req.id, actor.userId, 'approved');
  return skillId;
}
