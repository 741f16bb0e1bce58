// The only reader of process.env: every setting with its default, validated once at start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** SQLite file path, or ':memory:'; '' when databaseUrl names a PostgreSQL database */
  databaseFile: string;
  /** a postgres:// or postgresql:// URL when Skillnet runs on PostgreSQL, else undefined */
  databaseUrl?: string;
  dataDir: string;
  sessionSecret: string;
  uploadLimitBytes: number;
  reviewMonths: number;
  /** when true, rate limits are relaxed (tests only) */
  trustTestClients: boolean;
}

export class ConfigError extends Error {}

const DEFAULT_DB = 'data/skillnet.sqlite';

/** Is this DATABASE_URL a PostgreSQL one (postgres:// or postgresql://)? */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** Checks a PostgreSQL URL's shape (host and database name); returns it unchanged. */
export function checkPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL: not a valid postgres:// URL');
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) throw new ConfigError('DATABASE_URL: the PostgreSQL URL names no host');
  if (!parsed.pathname.replace(/^\//, '')) throw new ConfigError('DATABASE_URL: the PostgreSQL URL names no database (postgres://user@host:5432/DATABASE)');
  return url;
}

/** Turns DATABASE_URL into a SQLite file path; `sqlite:` URLs and bare paths are accepted. */
export function parseDatabaseUrl(url: string | undefined, cwd: string): string {
  if (!url) return path.resolve(cwd, DEFAULT_DB);
  if (url === ':memory:' || url === 'sqlite::memory:') return ':memory:';
  if (isPostgresUrl(url)) throw new ConfigError('DATABASE_URL: a PostgreSQL URL has no SQLite file');
  let p = url;
  if (p.startsWith('sqlite://')) p = p.slice('sqlite://'.length);
  else if (p.startsWith('sqlite:')) p = p.slice('sqlite:'.length);
  if (!p) throw new ConfigError('DATABASE_URL: no file path after sqlite:');
  return path.resolve(cwd, p);
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function sessionSecretFor(env: NodeJS.ProcessEnv, nodeEnv: Config['env'], dataDir: string, inMemory: boolean): string {
  const given = env.SESSION_SECRET;
  if (given) {
    if (given.length < 16) throw new ConfigError('SESSION_SECRET must be at least 16 characters');
    return given;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError('SESSION_SECRET is required when NODE_ENV=production (set it to a long random string)');
  }
  if (inMemory) return randomBytes(32).toString('hex');
  // Generated once and kept beside the database, so a restart logs nobody out.
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Reads the configuration; throws ConfigError with one clear line when a setting is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const databaseUrl = isPostgresUrl(env.DATABASE_URL) ? checkPostgresUrl(env.DATABASE_URL!) : undefined;
  const databaseFile = databaseUrl ? '' : parseDatabaseUrl(env.DATABASE_URL, cwd);
  const inMemory = databaseFile === ':memory:';
  // On PostgreSQL the data folder (session secret, mail outbox) is ./data beside the working directory.
  const dataDir = inMemory || databaseUrl ? path.resolve(cwd, 'data') : path.dirname(databaseFile);
  return {
    env: nodeEnv,
    port: intSetting(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseFile,
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir,
    sessionSecret: sessionSecretFor(env, nodeEnv, dataDir, inMemory),
    uploadLimitBytes: intSetting(env, 'UPLOAD_LIMIT_MB', 50, 1, 4096) * 1024 * 1024,
    reviewMonths: intSetting(env, 'REVIEW_MONTHS', 24, 1, 600),
    trustTestClients: nodeEnv === 'test',
  };
}

/** A configuration for tests: in-memory database, fixed secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test', port: 0, host: '127.0.0.1', databaseFile: ':memory:', dataDir: path.resolve('data'),
    sessionSecret: 'test-secret-test-secret-test-secret', uploadLimitBytes: 50 * 1024 * 1024,
    reviewMonths: 24, trustTestClients: true, ...overrides,
  };
}
