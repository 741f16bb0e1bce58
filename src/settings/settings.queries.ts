// Instance-wide settings an admin can change (key/value).
import type { Knex } from 'knex';
import type { Policy } from '../users/roles.domain.js';
import { isTwoFactorPolicy } from '../users/two-factor.domain.js';
import { TtlCache } from '../shared/ttl-cache.js';

/** The policy is read on every logged-in request: cached for at most a second (see TtlCache for the rule). */
const policies = new TtlCache<'policy', Policy>(1000);

export async function getSetting(db: Knex, key: string): Promise<string | undefined> {
  const row = await db('settings').where({ key }).first('value');
  return row?.value;
}

export async function setSetting(db: Knex, key: string, value: string): Promise<void> {
  await db('settings').insert({ key, value }).onConflict('key').merge();
  policies.forgetAll();
}

export function getPolicy(db: Knex): Promise<Policy> {
  return policies.get(db, 'policy', () => readPolicy(db));
}

async function readPolicy(db: Knex): Promise<Policy> {
  const rows: { key: string; value: string }[] = await db('settings').whereIn('key', ['exports_restricted', 'two_factor_required']).select('key', 'value');
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const twoFactor = value('two_factor_required');
  return { exportsRestricted: value('exports_restricted') === '1', twoFactor: isTwoFactorPolicy(twoFactor) ? twoFactor : 'off' };
}
