// The databases of a `--db postgres` run: each made on the server of --database-url for this run alone, named
// skillnet_bench_<pid>[_suffix], and dropped again at the end. Nothing else on that server is touched.
// A "target" is where a figure's network lives: a SQLite file path, or a postgres:// URL.
import pg from 'pg';

export const isPgTarget = (target: string) => /^postgres(ql)?:\/\//.test(target);

/** createDb's config for a target. */
export function dbConfigOf(target: string): { databaseFile: string; databaseUrl?: string } {
  return isPgTarget(target) ? { databaseFile: '', databaseUrl: target } : { databaseFile: target };
}

/** DATABASE_URL for a child process (skillnet serve, skillnet import) on a target. */
export function databaseUrlOf(target: string): string {
  return isPgTarget(target) ? target : `sqlite:${target}`;
}

const PREFIX = `skillnet_bench_${process.pid}`;
const made = new Set<string>();

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The URL of database `name` on the server of `adminUrl`. */
function urlFor(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new, empty database skillnet_bench_<pid>[_suffix] on the server; its URL. */
export async function createBenchDatabase(adminUrl: string, suffix = ''): Promise<string> {
  const name = suffix ? `${PREFIX}_${suffix}` : PREFIX;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(adminUrl, `CREATE DATABASE ${name}`);
  made.add(name);
  return urlFor(adminUrl, name);
}

/** Drops a database this run made (by its URL). */
export async function dropBenchDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!made.has(name)) throw new Error(`${name} was not made by this run`);
  await onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  made.delete(name);
}

/** Drops every database this run made (the end of the run, also after a failure). */
export async function dropAllBenchDatabases(adminUrl: string): Promise<void> {
  for (const name of [...made]) {
    await onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    made.delete(name);
  }
}

/** Rows of one query on a connection of its own. */
export async function pgRows<T>(url: string, sql: string, args: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, args)).rows as T[];
  } finally {
    await c.end();
  }
}
