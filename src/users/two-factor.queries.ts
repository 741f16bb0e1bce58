// The second factor in the database: the TOTP secret and last used step on users, recovery codes (hashed) beside.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { usersChanged } from './users.queries.js';

export interface TotpState {
  secret: string | null;
  enabledAt: string | null;
  lastStep: number | null;
}

export async function totpStateOf(db: Knex, userId: number): Promise<TotpState> {
  const row = await db('users').where({ id: userId }).first('totp_secret', 'totp_enabled_at', 'totp_last_step');
  return {
    secret: row?.totp_secret ?? null,
    enabledAt: row?.totp_enabled_at ?? null,
    lastStep: row?.totp_last_step === null || row?.totp_last_step === undefined ? null : Number(row.totp_last_step),
  };
}

/** Switches TOTP on with a confirmed secret and a fresh set of recovery codes (the old ones stop working). */
export async function enableTotp(db: Knex, userId: number, secret: string, confirmedStep: number, codeHashes: string[]): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ totp_secret: secret, totp_enabled_at: nowIso(), totp_last_step: confirmedStep, updated_at: nowIso() });
    await replaceCodes(trx, userId, codeHashes);
  });
  usersChanged();
}

/** Switches the second factor off (the user themselves, or an admin's reset): secret and recovery codes are gone. */
export async function disableTotp(db: Knex, userId: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: nowIso() });
    await trx('user_recovery_codes').where({ user_id: userId }).del();
  });
  usersChanged();
}

/**
 * Takes a TOTP step as used, only if it is later than the last used one: of two sign-ins with the same code (a replay,
 * or two at once) exactly one succeeds.
 */
export async function claimTotpStep(db: Knex, userId: number, step: number): Promise<boolean> {
  const n = await db('users').where({ id: userId })
    .where((q) => q.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step });
  return Number(n) === 1;
}

/** Uses a recovery code: true once per code, false for an unknown or used one. */
export async function useRecoveryCode(db: Knex, userId: number, codeHash: string): Promise<boolean> {
  const n = await db('user_recovery_codes').where({ user_id: userId, code_hash: codeHash }).whereNull('used_at').update({ used_at: nowIso() });
  return Number(n) === 1;
}

export async function unusedRecoveryCodes(db: Knex, userId: number): Promise<number> {
  const row = await db('user_recovery_codes').where({ user_id: userId }).whereNull('used_at').count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** New recovery codes in place of the old ones. */
export async function replaceRecoveryCodes(db: Knex, userId: number, codeHashes: string[]): Promise<void> {
  await db.transaction((trx) => replaceCodes(trx, userId, codeHashes));
}

async function replaceCodes(trx: Knex.Transaction, userId: number, codeHashes: string[]): Promise<void> {
  await trx('user_recovery_codes').where({ user_id: userId }).del();
  const now = nowIso();
  await trx('user_recovery_codes').insert(codeHashes.map((h) => ({ user_id: userId, code_hash: h, created_at: now })));
}
