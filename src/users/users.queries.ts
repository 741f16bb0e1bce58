// Accounts: lookups for login and the admin screens.
import type { Knex } from 'knex';
import { jsonTextAt, nowIso } from '../db.js';
import type { Role } from './roles.domain.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { sessionsChanged } from '../http/session-store.js';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  organisation_id: number | null;
  active: number;
  must_change_password: number;
  locale: string | null;
  last_login_at: string | null;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  totp_last_step: number | string | null;
  failed_logins: number;
  last_failed_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export type PublicUser = Omit<UserRow, 'password_hash' | 'totp_secret' | 'totp_last_step'>;

const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'organisation_id', 'active', 'must_change_password', 'locale', 'last_login_at', 'totp_enabled_at', 'failed_logins', 'last_failed_login_at', 'created_at', 'updated_at'];

export async function countUsers(db: Knex): Promise<number> {
  const row = await db('users').count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db('users').where({ email: email.trim().toLowerCase() }).first();
}

export function findUserById(db: Knex, id: number): Promise<PublicUser | undefined> {
  return db('users').where({ id }).first(PUBLIC_COLUMNS);
}

/**
 * The signed-in user of a request (read on every logged-in page): cached for at most a second. A change made
 * through this process (role, deactivation, password, two-factor) is seen at once — every write below calls
 * usersChanged(); one made by another instance within a second. Deactivation also deletes the sessions.
 */
const sessionUsers = new TtlCache<number, PublicUser | undefined>(1000);
export function findSessionUser(db: Knex, id: number): Promise<PublicUser | undefined> {
  // a copy per request: what one request does with its user never reaches the cache
  return sessionUsers.get(db, id, () => findUserById(db, id)).then((u) => (u ? { ...u } : u));
}

/** Every write to users calls this: cached session users are read again. */
export function usersChanged(): void {
  sessionUsers.forgetAll();
}

export async function listUsers(db: Knex): Promise<(PublicUser & { organisation_name: string | null })[]> {
  return db('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .orderBy('users.email')
    .select([...PUBLIC_COLUMNS.map((c) => `users.${c}`), 'organisations.name as organisation_name']); // one array: knex drops a second argument after an array
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  organisationId?: number | null;
  mustChangePassword?: boolean;
}

export async function insertUser(db: Knex, u: NewUser): Promise<number> {
  const now = nowIso();
  const [row] = await db('users')
    .insert({
      email: u.email.trim().toLowerCase(),
      name: u.name,
      password_hash: u.passwordHash,
      role: u.role,
      organisation_id: u.organisationId ?? null,
      must_change_password: u.mustChangePassword ?? false,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  usersChanged();
  return typeof row === 'object' ? row.id : row;
}

/**
 * Creates the first administrator unless any user exists, atomically: the transaction's first statement writes a
 * guard row in settings, which serialises concurrent set-ups (SQLite: the write lock; PostgreSQL: the row lock of
 * the upsert), then counts and inserts. Returns the new id, or null when someone else was first.
 */
export async function createFirstAdmin(db: Knex, u: Omit<NewUser, 'role' | 'organisationId' | 'mustChangePassword'>, after: (trx: Knex.Transaction, id: number) => Promise<void>): Promise<number | null> {
  return db.transaction(async (trx) => {
    await trx('settings').insert({ key: 'setup_claimed_at', value: nowIso() }).onConflict('key').merge();
    if ((await countUsers(trx)) > 0) return null;
    const id = await insertUser(trx, { ...u, role: 'admin' });
    await after(trx, id);
    return id;
  });
}

export async function updateUser(db: Knex, id: number, patch: Partial<Omit<UserRow, 'id' | 'created_at'>>): Promise<void> {
  await db('users').where({ id }).update({ ...patch, updated_at: nowIso() });
  usersChanged();
}

export async function countActiveAdmins(db: Knex): Promise<number> {
  const row = await db('users').where({ role: 'admin', active: true }).count<{ n: number }>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Logs a user out everywhere (after deactivation or a password change), or everywhere but `exceptSid`. */
export async function deleteSessionsOfUser(db: Knex, userId: number, exceptSid?: string): Promise<void> {
  const q = db('sessions').whereRaw(`${jsonTextAt(db, 'sess', ['passport', 'user'])} = ?`, [String(userId)]);
  if (exceptSid) q.whereNot('sid', exceptSid);
  await q.del();
  sessionsChanged();
  usersChanged();
}

/** Counts a failed sign-in (a wrong password or second factor) on the account, if there is one with this e-mail. */
export async function recordFailedSignIn(db: Knex, email: string): Promise<void> {
  await db('users').where({ email: email.trim().toLowerCase() })
    .update({ failed_logins: db.raw('?? + 1', ['failed_logins']), last_failed_login_at: nowIso() });
  usersChanged();
}

/** A successful sign-in: the count of failures since the last one starts again (the time of the last failure stays). */
export async function recordSignIn(db: Knex, userId: number): Promise<void> {
  await db('users').where({ id: userId }).update({ failed_logins: 0, last_login_at: nowIso() });
  usersChanged();
}
