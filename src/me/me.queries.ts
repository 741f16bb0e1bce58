// A person's own link: created (token stored hashed), looked up, revoked; what it opened and changed is
// recorded on the campaign that sent it.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { daysFromNow, newToken, tokenHash } from '../shared/tokens.js';

export interface PersonLink {
  id: number;
  person_id: number;
  expires_at: string;
}

/** A new link for a person; returns the token (shown once, in the URL) and when it expires. */
export async function createPersonLink(db: Knex, personId: number, days: number): Promise<{ token: string; linkId: number; expiresAt: string }> {
  const token = newToken();
  const expiresAt = daysFromNow(days);
  const [row] = await db('person_links').insert({ person_id: personId, token_hash: tokenHash(token), created_at: nowIso(), expires_at: expiresAt }).returning('id');
  return { token, linkId: typeof row === 'object' ? row.id : row, expiresAt };
}

/** The link for a token when it is ours, not revoked, not expired and its person still exists; else undefined. */
export async function findValidLink(db: Knex, token: unknown, now = nowIso()): Promise<PersonLink | undefined> {
  const hash = tokenHash(token);
  if (!hash) return undefined;
  return db('person_links as l').join('people as p', 'p.id', 'l.person_id')
    .where('l.token_hash', hash).whereNull('l.revoked_at').where('l.expires_at', '>', now)
    .first('l.id', 'l.person_id', 'l.expires_at');
}

/** Revokes every link of a person (or one link); returns how many were open. */
export async function revokePersonLinks(db: Knex, personId: number, linkId?: number): Promise<number> {
  const q = db('person_links').where({ person_id: personId }).whereNull('revoked_at');
  if (linkId) q.where({ id: linkId });
  return q.update({ revoked_at: nowIso() });
}

export interface LinkSummary {
  id: number;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export function personLinks(db: Knex, personId: number): Promise<LinkSummary[]> {
  return db('person_links').where({ person_id: personId }).orderBy('id', 'desc').limit(20)
    .select('id', 'created_at', 'expires_at', 'revoked_at', 'last_used_at');
}

/** Notes that the link was opened (and, for a campaign's link, that the person opened it). */
export async function noteLinkUsed(db: Knex, linkId: number, personId: number): Promise<void> {
  const now = nowIso();
  await db('person_links').where({ id: linkId }).update({ last_used_at: now });
  await db('campaign_recipients').where({ link_id: linkId, person_id: personId }).whereNull('opened_at').update({ opened_at: now });
}

/** Records on the campaign that sent this link that the person confirmed or changed something. */
export async function noteLinkOutcome(db: Knex, linkId: number, personId: number, what: 'confirmed' | 'changed'): Promise<void> {
  const col = what === 'confirmed' ? 'confirmed_at' : 'changed_at';
  await db('campaign_recipients').where({ link_id: linkId, person_id: personId }).whereNull(col).update({ [col]: nowIso() });
}

export interface PersonRequest {
  id: number;
  person_id: number;
  kind: 'skill' | 'erasure';
  payload: string | null;
  status: string;
  created_at: string;
}

/** A request from the person to the managers (a new skill, their erasure); one open request of a kind and payload. */
export async function addPersonRequest(db: Knex, personId: number, kind: 'skill' | 'erasure', payload: Record<string, unknown> | null): Promise<boolean> {
  const json = payload ? JSON.stringify(payload) : null;
  const q = db('person_requests').where({ person_id: personId, kind, status: 'open' });
  if (json) q.where({ payload: json });
  else q.whereNull('payload');
  if (await q.first('id')) return false;
  await db('person_requests').insert({ person_id: personId, kind, payload: json, status: 'open', created_at: nowIso() });
  return true;
}

export function openRequestsOf(db: Knex, personId: number): Promise<PersonRequest[]> {
  return db('person_requests').where({ person_id: personId, status: 'open' }).orderBy('id').select('id', 'person_id', 'kind', 'payload', 'status', 'created_at');
}
