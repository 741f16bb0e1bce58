// createDb(config): the knex instance on SQLite. Dialect differences live here and in search only.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import type { Config } from './config.js';

export type Db = Knex;

const here = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = path.resolve(here, '../migrations');

const FILES = new WeakMap<Db, string>();

export function createDb(config: Pick<Config, 'databaseFile'>): Db {
  const file = config.databaseFile;
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(path.dirname(file), { recursive: true });
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    // :memory: databases are per connection, so they need exactly one.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          if (!inMemory) conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 15000');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  FILES.set(db, file);
  cacheStatements(db);
  return db;
}

type Statement = import('better-sqlite3').Statement;
type Connection = import('better-sqlite3').Database;

/**
 * knex prepares every query anew; preparing costs more than running most of our queries. Keep the prepared
 * statements of knex's queries per connection (only knex's: raw-connection users may change a statement's
 * mode with raw() or pluck()). A statement still iterating is busy and is not reused.
 */
type ClientProto = { _query(conn: Connection, obj: { sql: string; bindings?: unknown[]; response?: unknown; context?: unknown; options?: unknown }): Promise<unknown>; _formatBindings(b: unknown[] | undefined): unknown[]; __cached?: boolean };
const caches = new WeakMap<Connection, Map<string, Statement>>();

function cacheStatements(db: Db): void {
  // on the client's prototype: a transaction's client is made from the prototype, not from this instance
  const client = Object.getPrototypeOf(db.client) as ClientProto;
  if (client.__cached) return;
  client.__cached = true;
  client._query = async function (this: ClientProto, conn, obj) {
    if (!obj.sql) throw new Error('The query is empty');
    let cache = caches.get(conn);
    if (!cache) caches.set(conn, (cache = new Map()));
    let statement = cache.get(obj.sql);
    if (!statement || statement.busy) {
      statement = conn.prepare(obj.sql);
      if (cache.size >= 1000) cache.clear();
      cache.set(obj.sql, statement);
    }
    const bindings = this._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = statement.all(bindings);
      return obj;
    }
    const response = statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  };
}

/** Runs pending migrations; returns the names it ran. */
export async function migrate(db: Db): Promise<string[]> {
  const [, names] = await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
  return names as string[];
}

export async function rollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] }, true);
}

/** The raw better-sqlite3 handle, for the online backup API and bulk work that bypasses knex. */
export async function withRawConnection<T>(db: Db, fn: (conn: import('better-sqlite3').Database) => Promise<T> | T): Promise<T> {
  const conn = (await db.client.acquireConnection()) as import('better-sqlite3').Database;
  try {
    return await fn(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

/**
 * A connection of its own for long batch writes (an import, its undo): the pool's connection stays free, so
 * other users' pages (reads, in WAL mode) and the batch's progress page keep answering while it runs. An
 * in-memory database has only the pool's connection, so it falls back to that.
 */
export async function withBatchConnection<T>(db: Db, fn: (conn: import('better-sqlite3').Database) => Promise<T> | T): Promise<T> {
  const file = FILES.get(db);
  if (!file || file === ':memory:') return withRawConnection(db, fn);
  const conn = new Database(file);
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('foreign_keys = ON');
    conn.pragma('busy_timeout = 15000');
    conn.pragma('synchronous = NORMAL');
    return await fn(conn);
  } finally {
    conn.close();
  }
}

/** Current time as an ISO string: the one format timestamps are stored in. */
export function nowIso(): string {
  return new Date().toISOString();
}
