// createDb(config): the knex instance on SQLite (default) or PostgreSQL. Dialect differences live here and in
// src/search/ only.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import type { Config } from './config.js';
import { foldText } from './shared/normalise.js';

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

const requireCjs = createRequire(import.meta.url);

/**
 * The pg driver with Skillnet's type parsers, loaded with the first PostgreSQL database (a SQLite process — a CLI
 * run above all — does not load it). PostgreSQL returns bigint (count(*), sum) and numeric (avg) as strings to keep
 * precision; our counts and averages fit a double, and SQLite returns numbers: read them as numbers on both.
 * Booleans read as 1/0, as SQLite stores them (views and exports compare and print them that way); written values
 * 1/0 and true/false are both accepted by PostgreSQL's boolean input.
 */
let pgReady = false;
function preparePg(): void {
  if (pgReady) return;
  const pg = requireCjs('pg') as typeof import('pg');
  pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.BOOL, (v: string) => (v === 't' ? 1 : 0));
  pgReady = true;
}

/** A raw column type by its SQLite name, as the current dialect spells it (for the few raw CREATE TABLEs). */
export function dialectType(db: Knex | Knex.Transaction, type: 'datetime'): string {
  return isPostgres(db) ? { datetime: 'timestamptz' }[type] : type;
}

/** SQL joining `expr` over a group with `sep`, in `orderBy` order: group_concat on SQLite, string_agg on PostgreSQL. */
export function listAgg(db: Knex | Knex.Transaction, expr: string, sep: string, orderBy = ''): string {
  const order = orderBy ? ` order by ${orderBy}` : '';
  const quoted = `'${sep.replace(/'/g, "''")}'`;
  return isPostgres(db) ? `string_agg(${expr}, ${quoted}${order})` : `group_concat(${expr}, ${quoted}${order})`;
}

let cursors = 0;

/**
 * The rows of a query through a server-side cursor, `batch` at a time (PostgreSQL; inside a transaction,
 * which a cursor needs): memory stays flat however many rows, like better-sqlite3's iterate on SQLite.
 */
export async function* cursorRows<T>(trx: Knex.Transaction, sql: string, bindings: unknown[], batch = 500): AsyncGenerator<T> {
  const name = `skillnet_cursor_${++cursors}`;
  await trx.raw(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, bindings as Knex.RawBinding[]);
  try {
    for (;;) {
      const { rows } = (await trx.raw(`FETCH ${batch} FROM ${name}`)) as { rows: T[] };
      yield* rows;
      if (rows.length < batch) break;
    }
  } finally {
    await trx.raw(`CLOSE ${name}`).catch(() => undefined);
  }
}

/** Moves each table's id sequence past its highest id (after rows were loaded with their ids; PostgreSQL only). */
export async function resetIdSequences(db: Knex | Knex.Transaction, tables: string[]): Promise<void> {
  if (!isPostgres(db)) return;
  for (const t of tables) {
    const [{ seq }] = (await db.raw(`SELECT CASE WHEN EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = 'id')
      THEN pg_get_serial_sequence(?, 'id') END AS seq`, [t, t])).rows as { seq: string | null }[];
    if (seq) await db.raw(`SELECT setval(?::regclass, coalesce((SELECT max(id) FROM ${t}), 0) + 1, false)`, [seq]);
  }
}

/**
 * Ids for `n` new rows of `table`, taken from PostgreSQL's id sequence ahead of one multi-row insert (ascending);
 * null on SQLite, where a row inserted on its own costs no round trip (insert there as you go).
 */
export async function reserveIds(db: Knex | Knex.Transaction, table: string, n: number): Promise<number[] | null> {
  if (!isPostgres(db)) {
    // SQLite: the ids AUTOINCREMENT would give next (never an id used before, even by a deleted row). They hold
    // only inside the write transaction that asked (it has the one write lock): the caller writes the people it
    // reserved them for before it commits or reserves again, and forgets the rest when the transaction ends
    // (reservedIdsOutliveTransaction; the import's store does both: src/imports/imports.write.queries.ts).
    if (!(db as Knex.Transaction).isTransaction) return null;
    const [row] = await rawRows<{ next: number }>(db, `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), coalesce((SELECT max(id) FROM "${table.replace(/"/g, '')}"), 0)) + 1 AS next`, [table]);
    const next = Number(row!.next);
    return Array.from({ length: n }, (_, i) => next + i);
  }
  const { rows } = (await db.raw("SELECT nextval(pg_get_serial_sequence(?, 'id')) AS id FROM generate_series(1, ?)", [table, n])) as { rows: { id: number | string }[] };
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Whether ids from reserveIds outlive the transaction that took them (PostgreSQL's sequence: yes; SQLite: no). */
export function reservedIdsOutliveTransaction(db: Knex): boolean {
  return isPostgres(db);
}

/** The rows of a raw query as objects, on either database (SQLite's knex gives the array, pg a result object). */
export async function rawRows<T = Record<string, unknown>>(db: Knex | Knex.Transaction, sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
  const res = await db.raw(sql, bindings as Knex.RawBinding[]);
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

/**
 * A database error in SQLite's words on both databases (PostgreSQL's constraint errors mapped by SQLSTATE), so
 * messages shown to users and tests do not depend on the dialect.
 */
export function dbErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string; table?: string; column?: string; detail?: string };
  const column = e.table && (e.column ?? /Key \(([^)]+)\)/.exec(e.detail ?? '')?.[1]);
  switch (e.code) {
    case '23503': return 'FOREIGN KEY constraint failed';
    case '23505': return `UNIQUE constraint failed${column ? `: ${e.table}.${column}` : ''}`;
    case '23502': return `NOT NULL constraint failed${column ? `: ${e.table}.${column}` : ''}`;
    case '23514': return 'CHECK constraint failed';
    default: return (e.message ?? String(err)).replace(/^.* - /s, '');
  }
}

/** SQL for the text at `keys` inside a JSON text column (json_extract on SQLite, #>> on PostgreSQL). */
export function jsonTextAt(db: Knex | Knex.Transaction, column: string, keys: string[]): string {
  return isPostgres(db) ? `(${column}::jsonb #>> '{${keys.join(',')}}')` : `cast(json_extract(${column}, '$.${keys.join('.')}') as text)`;
}

/** Is this knex instance (or a transaction of it) on PostgreSQL? */
/** SQLite's name sort key: folded (accents, case, ß), as the search index sorts names (Böhm before Busch). */
function registerNameSortKey(conn: Database.Database): void {
  conn.function('name_sort_key', { deterministic: true }, (s: unknown) => (s === null || s === undefined ? null : foldText(String(s))));
}

/**
 * A name column sorted by the interface language's collation: ICU on PostgreSQL (de-x-icu, else und-x-icu), the
 * folded key on SQLite (accents and case ignored in every language). Use as `.orderBy(byName(db, 'p.last_name'))`.
 */
export function byName(db: Knex | Knex.Transaction, column: string, locale = 'en'): Knex.Raw {
  return isPostgres(db) ? db.raw(`?? COLLATE "${locale === 'de' ? 'de-x-icu' : 'und-x-icu'}"`, [column]) : db.raw('name_sort_key(??)', [column]);
}

export function isPostgres(db: Knex | Knex.Transaction): boolean {
  return (db.client as { config: { client: unknown } }).config.client === 'pg';
}

export type DbConfig = Pick<Config, 'databaseFile'> & Partial<Pick<Config, 'databaseUrl'>>;

export function createDb(config: DbConfig, opts: { poolMax?: number } = {}): Db {
  if (config.databaseUrl) return createPostgresDb(config.databaseUrl, opts.poolMax ?? 10);
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
      afterCreate(conn: Database.Database, done: (err: Error | null, conn: unknown) => void) {
        try {
          registerNameSortKey(conn);
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

function createPostgresDb(url: string, poolMax: number): Db {
  preparePg();
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 5000, application_name: 'skillnet' },
    // min 0: idle connections close, so a restarted server or a lost connection leaves no dead ones behind.
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30000 },
    acquireConnectionTimeout: 10000,
    // a refused or lost connection is reported once by whoever waits for it (start-up: one line; a page: 503)
    log: {
      // "Connection Error: …" is a connection the server ended: whoever used it reports it (a 503, the import)
      warn: (m: unknown) => { if (!/^(Acquire connection error|Connection Error: )/.test(String(m))) console.warn(String(m)); },
      error: (m: unknown) => console.error(String(m)),
      deprecate: (m: unknown) => console.warn(String(m)),
      debug: () => {},
    },
  });
}

/** Where the database is, for messages: the file, or host:port/name of a PostgreSQL URL (never the password). */
export function describeDatabase(config: DbConfig): string {
  if (!config.databaseUrl) return config.databaseFile;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.hostname || u.searchParams.get('host') || 'localhost'}:${u.port || 5432}${u.pathname}`;
}

/** A database that cannot be reached or used at start-up; the message is one line with host and reason. */
export class DatabaseUnavailableError extends Error {}

/** The reason a PostgreSQL connection failed, in words (refused, unknown host, wrong database, password). */
export function connectionFailure(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is PostgreSQL running and listening there?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'ETIMEDOUT') return 'connection timed out';
  if (code === '3D000') return 'the database does not exist (create it with createdb)';
  if (code === '28P01') return 'wrong password';
  if (code === '28000') return `access denied (${(e.message ?? '').split('\n')[0]})`;
  if (code === '57P03') return 'the server is starting up or shutting down';
  return (e.message ?? String(err)).split('\n')[0]!;
}

/** Tries the database once; throws DatabaseUnavailableError with one line (host and reason) when it fails. */
export async function checkDatabase(db: Db, config: DbConfig): Promise<void> {
  if (!isPostgres(db)) return;
  try {
    await db.raw('select 1');
  } catch (err) {
    throw new DatabaseUnavailableError(`cannot connect to ${describeDatabase(config)}: ${connectionFailure(err)}`);
  }
}

/**
 * How long one write transaction of a long job (an import) should run before it commits, given how long it may
 * run on SQLite. SQLite has one writer, so everyone else's writes wait for the step: it stays short. PostgreSQL
 * locks only the rows a step writes and readers never wait, so a longer step costs others nothing and saves the
 * round trips every step pays (its lock heartbeat, progress and look-ups): at least POSTGRES_STEP_MS there.
 */
export function writeStepMs(db: Knex, sqliteMs: number): number {
  return isPostgres(db) ? Math.max(POSTGRES_STEP_MS, sqliteMs) : sqliteMs;
}

/** A PostgreSQL import step (wall clock): 240 ms, as measured for PostgreSQL (BENCHMARKS.md). */
const POSTGRES_STEP_MS = 240;

/**
 * What a step cost, in milliseconds, for sizing the next one. SQLite does a step's work on this thread (its
 * statements and its commit run synchronously here), so the step's cost is this process's CPU time: on a loaded
 * machine the wall clock also counts the time other processes had the cores, and steps sized by it shrink to a
 * few rows each, where the commits (not the rows) become most of the work (100,000 rows at a load of 10 on 2 cores:
 * 3,600 steps and 42–59 s of CPU by the clock, 730–890 steps and 33–42 s by CPU time). The wall clock still
 * bounds a step: one that held the write lock for more than WALL_BOUND × stepMs counts as at least wall ÷
 * WALL_BOUND, so a step that stalls still makes the next one smaller. PostgreSQL works in its own process, so
 * there a step's cost is its wall-clock time.
 */
export function stepCost(db: Knex, stepMs: number): { start(): [number, number]; since(start: [number, number]): number } {
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const sqlite = !isPostgres(db);
  return {
    start: () => [Date.now(), sqlite ? cpuMs() : 0],
    since: ([wall, cpu]) => {
      const elapsed = Date.now() - wall;
      return sqlite ? Math.max(cpuMs() - cpu, elapsed > WALL_BOUND * stepMs ? elapsed / WALL_BOUND : 0) : elapsed;
    },
  };
}

/** How many times stepMs a SQLite step may hold the write lock by the clock before it counts as too long anyway. */
const WALL_BOUND = 6;

/**
 * After a lost connection: asks the database every half second (never blocking) until it answers again;
 * true when it did within `ms`, false when it did not or `signal` ended the wait.
 */
export async function waitForDatabase(db: Db, ms: number, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await db.raw('select 1');
      return true;
    } catch (err) {
      if (!isConnectionError(err) && (err as { name?: string }).name !== 'KnexTimeoutError') throw err;
    }
    if (Date.now() >= end || signal?.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Is this error a lost or refused database connection (answer 503 and try again later)? */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  if (!e) return false;
  // node errors of the socket; PostgreSQL's admin shutdown, crash, cannot-connect-now (57P01-03) and class 08
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|57P0[123]|08[0-9A-Z]{3})$/.test(e.code ?? '')) return true;
  if (e.name === 'KnexTimeoutError') return true;
  // the pg driver's own wording when the socket is gone (these errors carry no code)
  return /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed and is not queryable/i.test(e.message ?? '');
}

type Statement = import('better-sqlite3').Statement;
type Connection = import('better-sqlite3').Database;

/**
 * knex prepares every query anew; preparing costs more than running most of our queries. Keep the prepared
 * statements of knex's queries per connection (only knex's: raw-connection users may change a statement's
 * mode with raw() or pluck()). A statement still iterating is busy and is not reused. Transactions begin IMMEDIATE.
 */
type ClientProto = { _query(conn: Connection, obj: { sql: string; bindings?: unknown[]; response?: unknown; context?: unknown; options?: unknown }): Promise<unknown>; _formatBindings(b: unknown[] | undefined): unknown[]; __cached?: boolean; __knexQuery?: ClientProto['_query'] };
const caches = new WeakMap<Connection, Map<string, Statement>>();

/** The connection's prepared statement for this SQL (prepared once; a busy one, still iterating, is replaced). */
function cachedStatement(conn: Connection, sql: string): Statement {
  let cache = caches.get(conn);
  if (!cache) caches.set(conn, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement || statement.busy) {
    statement = conn.prepare(sql);
    if (cache.size >= 1000) cache.clear();
    cache.set(sql, statement);
  }
  return statement;
}

function cacheStatements(db: Db): void {
  // on the client's prototype: a transaction's client is made from the prototype, not from this instance
  const client = Object.getPrototypeOf(db.client) as ClientProto;
  if (client.__cached) return;
  client.__cached = true;
  // knex's own method, kept for the test that pins its contract (test/db.statement-cache.test.ts)
  client.__knexQuery = client._query;
  client._query = async function (this: ClientProto, conn, obj) {
    if (!obj.sql) throw new Error('The query is empty');
    // knex opens every transaction with a deferred BEGIN: one that reads first and then writes fails at once with
    // SQLITE_BUSY_SNAPSHOT when another process (an import) wrote meanwhile, and no wait helps. IMMEDIATE takes
    // the write lock at BEGIN, where a busy database is waited for like any statement (below).
    const sql = obj.sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : obj.sql;
    const statement = cachedStatement(conn, sql);
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

/**
 * A read built with knex once per database and run again with other values: on SQLite the query is compiled to
 * SQL once (each parameter passed as a placeholder value that knex binds like any other), then only bound and
 * run — no query builder, compiler or pool round trip per call. On PostgreSQL, and inside a transaction, it
 * runs as the plain knex query it is. Parameters are ids and short keys; a builder whose SQL depends on a
 * parameter's value (not just binds it) is refused when it is first compiled.
 */
export class PreparedRead<P extends (string | number)[], T> {
  private readonly compiled = new WeakMap<Knex, { sql: string; bindings: unknown[]; slots: number[]; method: string; pluck?: string }>();

  constructor(private readonly build: (db: Knex, ...params: P) => Knex.QueryBuilder) {}

  /** This read with these values, to run on its own (run) or with others in one go (readTogether). */
  with(...params: P): BoundRead<T> {
    return { read: this as unknown as PreparedRead<(string | number)[], unknown>, params } as BoundRead<T>;
  }

  run(db: Knex, ...params: P): Promise<T> {
    return readTogether(db, [this.with(...params)]).then(([r]) => r as T);
  }

  /** knex's own query with these values (PostgreSQL, transactions, and a busy SQLite database). */
  knexQuery(db: Knex, params: P): Promise<T> {
    return this.build(db, ...params) as unknown as Promise<T>;
  }

  /** Runs the compiled statement synchronously on a connection the caller holds (SQLite). */
  runOn(db: Knex, conn: Connection, params: P): T {
    let c = this.compiled.get(db);
    if (!c) {
      const marks = params.map((_, i) => PARAM_MARK - i);
      const q = this.build(db, ...(marks as P)).toSQL() as unknown as { sql: string; bindings: unknown[]; method: string; pluck?: string };
      const slots = q.bindings.map((b) => (typeof b === 'number' && b <= PARAM_MARK && b > PARAM_MARK - marks.length ? PARAM_MARK - b : -1));
      if (marks.some((_, i) => !slots.includes(i)) || !['select', 'first', 'pluck'].includes(q.method)) {
        throw new Error(`PreparedRead: not a plain read with every parameter bound: ${q.sql}`);
      }
      // a constant LIMIT written into the SQL: SQLite plans `where id = ? limit ?` far slower than `… limit 1`
      const last = q.bindings.length - 1;
      if (/ limit \?$/.test(q.sql) && slots[last] === -1 && Number.isInteger(q.bindings[last])) {
        q.sql = `${q.sql.slice(0, -1)}${q.bindings[last] as number}`;
        q.bindings.pop();
        slots.pop();
      }
      this.compiled.set(db, (c = { sql: q.sql, bindings: q.bindings, slots, method: q.method, pluck: q.pluck }));
    }
    const bindings = (db.client as unknown as ClientProto)._formatBindings(c.bindings.map((b, i) => (c.slots[i]! >= 0 ? params[c.slots[i]!] : b)));
    const rows = cachedStatement(conn, c.sql).all(bindings) as Record<string, unknown>[];
    if (c.method === 'first') return rows[0] as T;
    if (c.method === 'pluck') return rows.map((r) => r[c.pluck!]) as T;
    return rows as T;
  }
}

/** Stands for the n-th parameter while a PreparedRead compiles (no id or key the app binds comes near it). */
const PARAM_MARK = -7_301_000_000;

export interface BoundRead<T> {
  read: PreparedRead<(string | number)[], unknown>;
  params: (string | number)[];
  /** only for the result's type */
  __t?: T;
}

type Results<R extends readonly BoundRead<unknown>[]> = { -readonly [K in keyof R]: R[K] extends BoundRead<infer T> ? T : never };

/**
 * Runs `fn` in a deferred transaction on the connection: one transaction function per connection, made on first
 * use (better-sqlite3's transaction() builds four wrapped functions with their properties on every call: 6 µs
 * of each person's page).
 */
const readTransactions = new WeakMap<Connection, (fn: () => unknown[]) => unknown[]>();
function inReadTransaction(conn: Connection, fn: () => unknown[]): unknown[] {
  let tx = readTransactions.get(conn);
  if (!tx) readTransactions.set(conn, (tx = conn.transaction((run: () => unknown[]) => run()).deferred));
  return tx(fn);
}

/**
 * Several reads as one: on SQLite one connection from the pool, all statements run synchronously inside one
 * read transaction (a consistent snapshot: no write can land between them), then the connection goes back —
 * one wait in the pool instead of one per query. On PostgreSQL, and inside a transaction, each runs as its knex
 * query (PostgreSQL: concurrently over the pool). A busy SQLite database (another process checkpointing) falls
 * back to the knex queries, which wait for it.
 */
export async function readTogether<R extends readonly BoundRead<unknown>[]>(db: Knex, reads: R): Promise<Results<R>> {
  const viaKnex = () => Promise.all(reads.map((r) => r.read.knexQuery(db, r.params))) as Promise<Results<R>>;
  if (isPostgres(db) || (db as Knex.Transaction).isTransaction) return viaKnex();
  const conn = (await db.client.acquireConnection()) as Connection;
  let out: unknown[];
  try {
    const all = () => reads.map((r) => r.read.runOn(db, conn, r.params));
    out = reads.length > 1 && !conn.inTransaction ? inReadTransaction(conn, all) : all();
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    out = [];
  } finally {
    await db.client.releaseConnection(conn);
  }
  return out.length === reads.length ? (out as Results<R>) : viaKnex();
}

/** Runs pending migrations if there are any (only then is the migration lock taken); returns the names it ran. */
export async function migrateIfNeeded(db: Db): Promise<string[]> {
  return (await migrationsPending(db)) ? migrate(db) : [];
}

/**
 * Whether a migration file has not run yet: the directory's names against knex's own table (what
 * `db.migrate.list` compares, without loading knex's migrator — a CLI run pays for every module it loads).
 * Anything unexpected (no table yet) counts as pending, and knex's migrator decides.
 */
async function migrationsPending(db: Db): Promise<boolean> {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  let done: string[];
  try {
    done = await db('knex_migrations').pluck('name');
  } catch {
    return true;
  }
  const ran = new Set(done);
  return files.some((f) => !ran.has(f));
}

/**
 * Migrations are TypeScript files that knex imports. The compiled CLI (bin/skillnet.js, bin/compile.js) runs
 * without tsx, so it registers tsx the first time a migration must run (a server start with none pending does
 * not pay for tsx, nor does every module it loads later); under tsx there is nothing to do.
 */
let tsxRegistered = false;
async function migrationsReadable(): Promise<void> {
  // bin/skillnet.js marks a compiled run with how to register tsx (an ES module import, which the compiled
  // CommonJS file cannot make itself)
  const compiled = (globalThis as Record<symbol, { registerTsx(): Promise<void> } | undefined>)[Symbol.for('skillnet.compiled')];
  if (tsxRegistered || !compiled) return;
  await compiled.registerTsx();
  tsxRegistered = true;
}

/** Runs pending migrations; returns the names it ran. */
export async function migrate(db: Db): Promise<string[]> {
  // knex imports only the migrations it runs (it still checks that every one run before is in the folder)
  if (await migrationsPending(db)) await migrationsReadable();
  const [, names] = await db.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
  return names as string[];
}

export async function rollbackAll(db: Db): Promise<void> {
  await migrationsReadable();
  await db.migrate.rollback({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] }, true);
}

/**
 * A list of ids as one bound value and a subquery yielding them as column `id`, so a statement takes any number
 * of ids at once (`where x in ${'${idList.sql}'}`): SQLite reads a JSON array, PostgreSQL an int[].
 */
export function idList(db: Knex | Knex.Transaction, ids: readonly number[]): { sql: string; binding: string | number[] } {
  return isPostgres(db)
    ? { sql: '(select unnest(?::int[]) as id)', binding: [...ids] }
    : { sql: '(select value as id from json_each(?))', binding: JSON.stringify(ids) };
}

/**
 * Runs a large write (a bulk change to tens of thousands of people) with a bigger page cache on SQLite's
 * connection (64 MB instead of 16), so the transaction's dirty pages are not spilled to the WAL and written
 * again while it runs; the connection's own size is put back afterwards. PostgreSQL: just runs it.
 */
export async function withLargeWriteCache<T>(trx: Knex.Transaction, fn: () => Promise<T>): Promise<T> {
  if (isPostgres(trx)) return fn();
  const [{ cache_size: before }] = (await trx.raw('PRAGMA cache_size')) as { cache_size: number }[];
  await trx.raw('PRAGMA cache_size = -65536');
  try {
    return await fn();
  } finally {
    await trx.raw(`PRAGMA cache_size = ${Number(before)}`);
  }
}

/** The raw better-sqlite3 handle, for the online backup API and bulk work that bypasses knex (SQLite only). */
export async function withRawConnection<T>(db: Db, fn: (conn: import('better-sqlite3').Database) => Promise<T> | T): Promise<T> {
  if (isPostgres(db)) throw new Error('withRawConnection is SQLite only; use knex on PostgreSQL');
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
    registerNameSortKey(conn);
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
/** A consistent copy of the SQLite database in a new file, while others keep writing (VACUUM INTO). */
export async function vacuumInto(db: Db, target: string): Promise<void> {
  await db.raw('VACUUM INTO ?', [target]);
}

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
    // one row of every table, on one connection without knex between (a query through knex each was most of
    // this check's time, and it runs before every CLI command)
    await withRawConnection(db, (conn) => {
      const tables = conn.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'").pluck().all() as string[];
      for (const t of tables) conn.prepare(`select * from "${t.replace(/"/g, '""')}" limit 1`).get();
    });
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
