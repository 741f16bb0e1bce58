// Instance-wide settings an admin can change (key/value).
import type { Knex } from 'knex';
import type { Policy } from '../users/roles.domain.js';

export async function getSetting(db: Knex, key: string): Promise<string | undefined> {
  const row = await db('settings').where({ key }).first('value');
  return row?.value;
}

export async function setSetting(db: Knex, key: string, value: string): Promise<void> {
  await db('settings').insert({ key, value }).onConflict('key').merge();
}

export async function getPolicy(db: Knex): Promise<Policy> {
  return { exportsRestricted: (await getSetting(db, 'exports_restricted')) === '1' };
}
