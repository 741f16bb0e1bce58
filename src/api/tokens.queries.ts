// API tokens in the database: create (only the hash is kept), look up by the presented secret, list, revoke, and
// the last use (time and address, written at most once a minute: see shouldRecordUse).
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { daysFromNow } from '../shared/tokens.js';
import { newApiToken, type TokenScope } from './api.domain.js';
import type { Role } from '../users/roles.domain.js';

export interface TokenRow {
  id: number;
  user_id: number | null;
  name: string;
  role: string | null;
  scope: TokenScope;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  /** the owner (personal tokens) */
  user_email: string | null;
  user_name: string | null;
}

/** A token as the API authenticates it: with its owner's current role, organisation, language and state. */
export interface TokenHolder extends TokenRow {
  user_role: string | null;
  user_active: number | boolean | null;
  organisation_id: number | null;
  locale: string | null;
}

export interface NewTokenInput {
  userId: number | null;
  name: string;
  scope: TokenScope;
  /** service tokens only */
  role?: Role | null;
  expiresDays?: number | null;
}

/** Creates a token; returns its id and the secret, which is shown once and never stored. */
export async function createApiToken(db: Knex, actor: Actor, input: NewTokenInput): Promise<{ id: number; token: string }> {
  const { token, hash, prefix } = newApiToken();
  return db.transaction(async (trx) => {
    const [row] = await trx('api_tokens').insert({
      user_id: input.userId, name: input.name, role: input.userId === null ? input.role ?? 'viewer' : null, scope: input.scope,
      token_hash: hash, prefix, created_by_user_id: actor.userId, created_at: nowIso(),
      expires_at: input.expiresDays ? daysFromNow(input.expiresDays) : null,
    }).returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await recordAudit(trx, actor, {
      action: 'create', entityType: 'api_token', entityId: id,
      changes: { name: input.name, scope: input.scope, user_id: input.userId, role: input.userId === null ? input.role ?? 'viewer' : null, expires_days: input.expiresDays ?? null },
    });
    return { id, token };
  });
}

const listColumns = ['t.id', 't.user_id', 't.name', 't.role', 't.scope', 't.prefix', 't.created_at', 't.expires_at', 't.revoked_at',
  't.last_used_at', 't.last_used_ip', 'u.email as user_email', 'u.name as user_name'];

/** The token with this hash and its owner, whatever its state (the caller decides: revoked, expired, deactivated). */
export function tokenByHash(db: Knex, hash: string): Promise<TokenHolder | undefined> {
  return db('api_tokens as t').leftJoin('users as u', 'u.id', 't.user_id').where('t.token_hash', hash)
    .first(...listColumns, 'u.role as user_role', 'u.active as user_active', 'u.organisation_id', 'u.locale');
}

/** Tokens, newest first: one user's, or (userId undefined) everyone's. */
export function listApiTokens(db: Knex, opts: { userId?: number } = {}): Promise<TokenRow[]> {
  return db('api_tokens as t').leftJoin('users as u', 'u.id', 't.user_id')
    .modify((q) => { if (opts.userId !== undefined) q.where('t.user_id', opts.userId); })
    .orderBy('t.id', 'desc').select(listColumns);
}

export function findApiToken(db: Knex, id: number): Promise<TokenRow | undefined> {
  return db('api_tokens as t').leftJoin('users as u', 'u.id', 't.user_id').where('t.id', id).first(listColumns);
}

/** Tokens named so (for `skillnet token revoke NAME`). */
export function apiTokensNamed(db: Knex, name: string): Promise<TokenRow[]> {
  return db('api_tokens as t').leftJoin('users as u', 'u.id', 't.user_id').where('t.name', name).select(listColumns);
}

/** Revokes a token (for good); false when it was revoked already. */
export async function revokeApiToken(db: Knex, actor: Actor, id: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: nowIso() });
    if (n) await recordAudit(trx, actor, { action: 'revoke', entityType: 'api_token', entityId: id });
    return n > 0;
  });
}

/** Notes a use of the token: when and from which address. */
export async function recordTokenUse(db: Knex, id: number, ip: string): Promise<void> {
  await db('api_tokens').where({ id }).update({ last_used_at: nowIso(), last_used_ip: ip.slice(0, 64) });
}
