// PostgreSQL for the test suite (npm run test:pg): one template database migrated once per run, and a fresh
// copy of it for every test database (CREATE DATABASE … TEMPLATE: about as fast as a fresh in-memory SQLite
// plus its migrations). Every database this run creates is named skillnet_pg_<pid>_… and dropped again.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { connectionFailure, createDb, migrate } from '../../src/db.js';

/** The server the suite runs against; the database in this URL is only used to create and drop others. */
export const PG_ADMIN_URL = process.env.SKILLNET_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = `skillnet_pg_${process.pid}`;
const TEMPLATE = `${PREFIX}_tpl`;

/** Is this run on PostgreSQL (npm run test:pg)? */
export const onPostgres = process.env.SKILLNET_TEST_DB === 'postgres';

let admin: Knex | null = null;
let counter = 0;
const live = new Set<string>();

function adminDb(): Knex {
  admin ??= knexFactory({ client: 'pg', connection: PG_ADMIN_URL, pool: { min: 0, max: 2 } });
  return admin;
}

/** The URL of database `name` on the test server. */
export function urlFor(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates and migrates the template; one line and exit 1 when PostgreSQL cannot be reached. */
export async function setUpTemplate(): Promise<void> {
  const probe = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    await probe.query('select 1');
    await probe.end();
  } catch (err) {
    const u = new URL(PG_ADMIN_URL);
    process.stderr.write(`test:pg: PostgreSQL is not reachable at ${u.hostname}:${u.port || 5432} (${connectionFailure(err)}); `
      + 'start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set SKILLNET_TEST_PG_URL\n');
    process.exit(1);
  }
  await dropAll();
  await adminDb().raw(`CREATE DATABASE ${TEMPLATE}`);
  const db = createDb({ databaseFile: '', databaseUrl: urlFor(TEMPLATE) }, { poolMax: 1 });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
}

/** A new migrated PostgreSQL database (name and URL); dropped by dropDatabase or at the end of the run. */
export async function freshPgDatabase(): Promise<{ name: string; url: string }> {
  const name = `${PREFIX}_${++counter}`;
  await adminDb().raw(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  live.add(name);
  return { name, url: urlFor(name) };
}

/** A new, migrated, empty PostgreSQL database; destroying the knex instance drops it. */
export async function freshPgDb(opts: { poolMax?: number } = {}): Promise<Knex> {
  const { name } = await freshPgDatabase();
  const db = createDb({ databaseFile: '', databaseUrl: urlFor(name) }, { poolMax: opts.poolMax ?? 4 });
  const destroy = db.destroy.bind(db);
  let dropped: Promise<void> | null = null;
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    value: (cb?: unknown) => {
      dropped ??= destroy().then(() => dropDatabase(name));
      return typeof cb === 'function' ? dropped.then(() => (cb as () => void)()) : dropped;
    },
  });
  return db;
}

/** An empty database (no migrations), for tests that migrate themselves; dropped by dropAll at the latest. */
export async function emptyPgDatabase(): Promise<string> {
  const name = `${PREFIX}_${++counter}`;
  await adminDb().raw(`CREATE DATABASE ${name}`);
  live.add(name);
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await adminDb().raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  live.delete(name);
}

/** Drops every database of this run (and the template). */
export async function dropAll(): Promise<void> {
  const rows = (await adminDb().raw('SELECT datname FROM pg_database WHERE datname LIKE ?', [`${PREFIX}\\_%`])).rows as { datname: string }[];
  for (const { datname } of rows) await adminDb().raw(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  live.clear();
}

export async function tearDown(): Promise<void> {
  await dropAll();
  await admin?.destroy();
  admin = null;
}
