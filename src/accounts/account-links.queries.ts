// Links for staff accounts sent by mail: an invitation to choose a password, a "forgotten password" reset.
// Random token in the link, only its hash stored; single use; expiring.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { daysFromNow, newToken, tokenHash } from '../shared/tokens.js';

export type AccountLinkKind = 'invite' | 'reset';
/** How long the links work: an invitation a week, a reset an hour. */
export const LINK_HOURS: Record<AccountLinkKind, number> = { invite: 7 * 24, reset: 1 };

/** A new link; earlier open links of the same kind for the user stop working. */
export async function createAccountLink(db: Knex, userId: number, kind: AccountLinkKind): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const expiresAt = daysFromNow(LINK_HOURS[kind] / 24);
  await db.transaction(async (trx) => {
    await trx('account_links').where({ user_id: userId, kind }).whereNull('used_at').update({ used_at: nowIso() });
    await trx('account_links').insert({ user_id: userId, kind, token_hash: tokenHash(token), created_at: nowIso(), expires_at: expiresAt });
  });
  return { token, expiresAt };
}

export interface AccountLink {
  id: number;
  user_id: number;
  kind: AccountLinkKind;
  email: string;
  name: string;
}

/** The open, unexpired link of this token with its active user; undefined otherwise. */
export function findAccountLink(db: Knex, token: unknown): Promise<AccountLink | undefined> {
  const hash = tokenHash(token);
  if (!hash) return Promise.resolve(undefined);
  return db('account_links as l').join('users as u', 'u.id', 'l.user_id')
    .where('l.token_hash', hash).whereNull('l.used_at').where('l.expires_at', '>', nowIso()).where('u.active', true)
    .first('l.id', 'l.user_id', 'l.kind', 'u.email', 'u.name');
}

/** Spends the link (single use); false when someone spent it first. */
export async function spendAccountLink(db: Knex, id: number): Promise<boolean> {
  return (await db('account_links').where({ id }).whereNull('used_at').update({ used_at: nowIso() })) === 1;
}
