// createDb(config): the knex instance on SQLite. Dialect differences live here and in search only.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import type { Config } from './config.js';

export type Db = Knex;

/**
 * SQLite's own wait for a lock blocks the event loop, so it is kept short: within one process every query
 * queues in knex's pool (one connection) without blocking anything; against another process (a CLI import
 * next to the server) a statement that finds the database busy is retried after an asynchronous pause, for
 * up to BUSY_RETRY_MS in all.
 */
export const BUSY_TIMEOUT_MS = 100;
export const BUSY_RETRY_MS = 10_000;

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
          conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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
    for (let waited = 0; ; ) {
      try {
        if (statement.reader) {
          obj.response = statement.all(bindings);
          return obj;
        }
        const response = statement.run(bindings);
        obj.response = response;
        obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
        break;
      } catch (err) {
        // only plain SQLITE_BUSY is worth waiting for (SQLITE_BUSY_SNAPSHOT needs the transaction to start over)
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || waited >= BUSY_RETRY_MS) throw err;
        const pause = Math.min(250, 10 + waited / 20);
        await new Promise((resolve) => setTimeout(resolve, pause));
        waited += pause + BUSY_TIMEOUT_MS;
      }
    }
    return obj;
  };
}

/** Runs pending migrations if there are any (only then is the migration lock taken); returns the names it ran. */
export async function migrateIfNeeded(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] })) as [unknown[], unknown[]];
  return pending.length ? migrate(db) : [];
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
 * A connection of its own for long reads (an export): the pool's connection stays free, so other users'
 * pages keep answering while it runs (WAL: readers never wait for the writer). An in-memory database has
 * only the pool's connection, so it falls back to that.
 */
export async function withBatchConnection<T>(db: Db, fn: (conn: import('better-sqlite3').Database) => Promise<T> | T): Promise<T> {
  const file = FILES.get(db);
  if (!file || file === ':memory:') return withRawConnection(db, fn);
  const conn = new Database(file);
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('foreign_keys = ON');
    conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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

function isSqlite(db: Db): boolean {
  return /sqlite/i.test(String((db.client as { config?: { client?: unknown } }).config?.client ?? ''));
}

/** The database file's path ('' for an in-memory or a server database). */
export function databaseFileOf(db: Db): string {
  const file = FILES.get(db);
  return file && file !== ':memory:' ? file : '';
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * What can be checked at start-up in milliseconds, whatever the size: the file's header, that it can be read
 * and written, and one row of every table. Throws a StartupError with one line when it fails. (A page damaged
 * in the middle of a table is found by the full check in the background: startIntegrityCheck.)
 */
export async function quickStartupCheck(db: Db): Promise<void> {
  if (!isSqlite(db)) return; // a server database checks itself; connection errors say what is wrong
  const file = databaseFileOf(db);
  if (file && existsSync(file) && statSync(file).size > 0) {
    let head = '';
    try {
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(16);
      readSync(fd, buf, 0, 16, 0);
      closeSync(fd);
      head = buf.toString('latin1');
    } catch (err) {
      throw new StartupError(`cannot read the database file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (head !== SQLITE_HEADER) throw new StartupError(`${file} is not a SQLite database (its header is damaged or it is another kind of file)`);
    // the permission bits as an operator set them (root would otherwise write through them), then access itself
    let writable = (statSync(file).mode & 0o222) !== 0;
    try {
      accessSync(file, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable) throw new StartupError(`the database file ${file} is read-only; Skillnet needs to write it`);
  }
  try {
    const tables: string[] = await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').pluck('name');
    for (const t of tables) await db.raw(`select * from "${t.replace(/"/g, '""')}" limit 1`);
  } catch (err) {
    throw new StartupError(`the database ${file || ''} cannot be read: ${(err as Error).message}`.replace(/ {2}/g, ' '));
  }
}

export class StartupError extends Error {}

export interface IntegrityState {
  status: 'checking' | 'ok' | 'corrupt' | 'skipped';
  problems: string[];
}

/**
 * PRAGMA quick_check on its own connection in a worker thread (it reads the whole file: seconds for a big
 * one, so never on the event loop). The returned state object is filled in when it ends; /health reports it.
 */
export function startIntegrityCheck(db: Db): IntegrityState {
  const file = databaseFileOf(db);
  const state: IntegrityState = { status: file ? 'checking' : 'skipped', problems: [] };
  if (!file) return state;
  const require = createRequire(import.meta.url);
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    let rows;
    try {
      const conn = new Database(workerData.file, { readonly: true, fileMustExist: true });
      rows = conn.pragma('quick_check(20)', { simple: false }).map((r) => Object.values(r)[0]);
      conn.close();
    } catch (err) {
      rows = [String(err && err.message || err)];
    }
    parentPort.postMessage(rows);
  `, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3') } });
  worker.unref();
  worker.once('message', (rows: string[]) => {
    state.problems = rows.filter((r) => r !== 'ok');
    state.status = state.problems.length ? 'corrupt' : 'ok';
  });
  worker.once('error', (err) => {
    state.status = 'corrupt';
    state.problems = [err.message];
  });
  return state;
}

/** PRAGMA integrity_check (the full one, for `skillnet check`): 'ok' or the problems found. */
export async function integrityCheck(db: Db): Promise<string[]> {
  if (!isSqlite(db)) return [];
  try {
    const rows = await db.raw('PRAGMA integrity_check(50)') as Record<string, string>[];
    return rows.map((r) => Object.values(r)[0]!).filter((r) => r !== 'ok');
  } catch (err) {
    // damage bad enough that the check itself cannot read on
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(String((err as { code?: string }).code))) return [(err as Error).message];
    throw err;
  }
}
