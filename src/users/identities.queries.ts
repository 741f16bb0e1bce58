// Single sign-on identities: which provider account (issuer, subject) belongs to which Skillnet user.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';

export async function findIdentityUser(db: Knex, issuer: string, subject: string): Promise<number | null> {
  const row = await db('user_identities').where({ issuer, subject }).first('user_id');
  return row ? Number(row.user_id) : null;
}

/** Links a provider account to a user (first sign-in) and notes its use. */
export async function linkIdentity(db: Knex, userId: number, issuer: string, subject: string, email: string | null): Promise<void> {
  const now = nowIso();
  await db('user_identities').insert({ user_id: userId, issuer, subject, email, created_at: now, last_used_at: now })
    .onConflict(['issuer', 'subject']).ignore();
}

export async function touchIdentity(db: Knex, issuer: string, subject: string): Promise<void> {
  await db('user_identities').where({ issuer, subject }).update({ last_used_at: nowIso() });
}

/** The providers a user signs in with (their account page). */
export async function identitiesOf(db: Knex, userId: number): Promise<{ issuer: string; email: string | null; last_used_at: string | null }[]> {
  return db('user_identities').where({ user_id: userId }).orderBy('id').select('issuer', 'email', 'last_used_at');
}
