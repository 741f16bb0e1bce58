// The only reader of process.env: every setting with its default, validated once at start-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { ROLES as ROLE_NAMES } from './users/roles.domain.js';

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
  /** LOG_LEVEL: pino's level; `silent` by default under tests */
  logLevel: LogLevel;
  /** SMTP_URL (smtp:// or smtps://); null: mails are written to data/outbox/ as .eml files */
  smtpUrl: string | null;
  /** MAIL_FROM: the sender of every mail */
  mailFrom: string;
  /** PUBLIC_URL: the address people's links in mails start with */
  publicUrl: string;
  /** MAIL_RATE_PER_MINUTE: most mails sent per minute (0: no limit) */
  mailRatePerMinute: number;
  /** ME_LINK_DAYS: how long a person's own link works */
  meLinkDays: number;
  /** API_RATE_PER_MINUTE: most API requests per token and minute (0: no limit) */
  apiRatePerMinute: number;
  /** Express's "trust proxy": false (the default: X-Forwarded-* are ignored), a hop count, or proxy addresses */
  trustProxy: false | number | string[];
  /** OIDC_*: single sign-on through an OpenID Connect provider; null when OIDC_ISSUER is unset */
  oidc: OidcConfig | null;
}

/** Single sign-on settings (README, "Sign-in: single sign-on and two-factor"). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_ALLOWED_DOMAINS: only e-mail addresses of these domains may sign in (empty: any) */
  allowedDomains: string[];
  /** OIDC_ROLE_CLAIM: `claim:value=role,value=role`; null: roles stay as set in Skillnet */
  roleClaim: { claim: string; map: Record<string, string> } | null;
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

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: unset or "false" trusts no proxy; a number trusts that many hops in front of Skillnet; otherwise a
 * comma-separated list of proxy addresses, networks (10.0.0.0/8) or the names loopback, linklocal, uniquelocal.
 */
export function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  const v = (raw ?? '').trim();
  if (!v || v === 'false') return false;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > 10) throw new ConfigError(`TRUST_PROXY: a hop count must be from 1 to 10, got "${v}"`);
    return n;
  }
  const entries = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    if (PROXY_NAMES.includes(e)) continue;
    const [addr, bits, extra] = e.split('/');
    const family = isIP(addr ?? '');
    const max = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
    if (!family || !bitsOk || extra !== undefined) {
      throw new ConfigError(`TRUST_PROXY: "${e}" is not an address, a network (10.0.0.0/8) or one of ${PROXY_NAMES.join(', ')}`);
    }
  }
  return entries;
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

/** SMTP_URL must be smtp:// or smtps:// with a host; the password in it is never printed. */
export function parseSmtpUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL is not a URL; use smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${u.protocol}//"`);
  if (!u.hostname) throw new ConfigError('SMTP_URL has no host');
  return raw;
}

/** MAIL_FROM: an address, optionally with a name ("Skillnet <skillnet@example.org>"); one line. */
export function parseMailFrom(raw: string | undefined): string {
  if (!raw) return 'Skillnet <skillnet@localhost>';
  if (/[\r\n]/.test(raw)) throw new ConfigError('MAIL_FROM must be one line');
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(raw) ?? /^\s*([^<>\s]+@[^<>\s]+)\s*$/.exec(raw);
  if (!m) throw new ConfigError(`MAIL_FROM must be an e-mail address such as "Skillnet <skillnet@example.org>", got "${raw}"`);
  return raw.trim();
}

function publicUrlFor(raw: string | undefined, host: string, port: number): string {
  if (!raw) return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError('PUBLIC_URL must start with http:// or https://');
  return raw.replace(/\/+$/, '');
}

/** Reads the configuration; throws ConfigError with one clear line when a setting is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const databaseUrl = isPostgresUrl(env.DATABASE_URL) ? checkPostgresUrl(env.DATABASE_URL!) : undefined;
  const databaseFile = databaseUrl ? '' : parseDatabaseUrl(env.DATABASE_URL, cwd);
  const inMemory = databaseFile === ':memory:';
  // a mistyped folder must not quietly become a new, empty network (whose first visitor would be its admin)
  if (env.DATABASE_URL && !databaseUrl && !inMemory && !existsSync(path.dirname(databaseFile))) {
    throw new ConfigError(`DATABASE_URL: the folder ${path.dirname(databaseFile)} does not exist; create it first or correct the path`);
  }
  // On PostgreSQL the data folder (session secret, mail outbox) is ./data beside the working directory.
  const dataDir = inMemory || databaseUrl ? path.resolve(cwd, 'data') : path.dirname(databaseFile);
  const port = intSetting(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  return {
    env: nodeEnv,
    port,
    host,
    databaseFile,
    ...(databaseUrl ? { databaseUrl } : {}),
    dataDir,
    sessionSecret: sessionSecretFor(env, nodeEnv, dataDir, inMemory),
    uploadLimitBytes: intSetting(env, 'UPLOAD_LIMIT_MB', 50, 1, 4096) * 1024 * 1024,
    reviewMonths: intSetting(env, 'REVIEW_MONTHS', 24, 1, 600),
    trustTestClients: nodeEnv === 'test',
    logLevel: logLevelOf(env.LOG_LEVEL, nodeEnv),
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: parseMailFrom(env.MAIL_FROM),
    publicUrl: publicUrlFor(env.PUBLIC_URL, host, port),
    mailRatePerMinute: intSetting(env, 'MAIL_RATE_PER_MINUTE', 60, 0, 100000),
    meLinkDays: intSetting(env, 'ME_LINK_DAYS', 60, 1, 3650),
    apiRatePerMinute: intSetting(env, 'API_RATE_PER_MINUTE', 600, 0, 1_000_000),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    oidc: parseOidc(env),
  };
}

/** The issuer must be HTTPS; plain HTTP only on this machine (development and tests). */
export function checkIssuerUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`OIDC_ISSUER is not a URL: "${raw}"`);
  }
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) {
    throw new ConfigError('OIDC_ISSUER must start with https:// (plain http:// only for localhost or 127.0.0.1)');
  }
  if (u.search || u.hash) throw new ConfigError('OIDC_ISSUER must not have a query or fragment');
  return raw;
}

/** OIDC_ROLE_CLAIM: `groups:skillnet-admins=admin,helpers=staff` (the claim, then provider values mapped to roles). */
export function parseRoleClaim(raw: string | undefined, roles: readonly string[]): OidcConfig['roleClaim'] {
  const v = (raw ?? '').trim();
  if (!v) return null;
  const colon = v.indexOf(':');
  const claim = (colon < 0 ? v : v.slice(0, colon)).trim();
  const pairs = colon < 0 ? [] : v.slice(colon + 1).split(',').map((p) => p.trim()).filter(Boolean);
  if (!/^[\w.-]+$/.test(claim)) throw new ConfigError(`OIDC_ROLE_CLAIM: "${claim}" is not a claim name`);
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    const value = eq < 0 ? '' : pair.slice(0, eq).trim();
    const role = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (!value || !roles.includes(role)) {
      throw new ConfigError(`OIDC_ROLE_CLAIM: "${pair}" must be VALUE=ROLE with a role of ${roles.join(', ')}`);
    }
    map[value] = role;
  }
  // no pairs: the claim's values are Skillnet's role names themselves
  if (!pairs.length) for (const r of roles) map[r] = r;
  return { claim, map };
}

function parseOidc(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = (env.OIDC_ISSUER ?? '').trim();
  if (!issuer) return null;
  const clientId = (env.OIDC_CLIENT_ID ?? '').trim();
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
  const allowedDomains = (env.OIDC_ALLOWED_DOMAINS ?? '').split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
  for (const d of allowedDomains) {
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(d)) throw new ConfigError(`OIDC_ALLOWED_DOMAINS: "${d}" is not a domain`);
  }
  return {
    issuer: checkIssuerUrl(issuer),
    clientId,
    clientSecret: env.OIDC_CLIENT_SECRET ?? '',
    allowedDomains,
    roleClaim: parseRoleClaim(env.OIDC_ROLE_CLAIM, ROLE_NAMES),
  };
}

function logLevelOf(raw: string | undefined, nodeEnv: Config['env']): LogLevel {
  if (raw === undefined || raw === '') return nodeEnv === 'test' ? 'silent' : 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw as LogLevel;
}

/** A configuration for tests: in-memory database, fixed secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test', port: 0, host: '127.0.0.1', databaseFile: ':memory:', dataDir: path.resolve('data'),
    sessionSecret: 'test-secret-test-secret-test-secret', uploadLimitBytes: 50 * 1024 * 1024,
    reviewMonths: 24, trustTestClients: true, trustProxy: false, smtpUrl: null, mailFrom: 'Skillnet <skillnet@example.org>',
    publicUrl: 'http://skillnet.test', mailRatePerMinute: 0, meLinkDays: 60, apiRatePerMinute: 600, logLevel: 'silent', oidc: null, ...overrides,
  };
}
