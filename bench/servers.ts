// The two servers the page and export figures load: the app itself (`skillnet serve`, production settings,
// its own process) and the bare baseline (bench/raw-server.ts), plus a real login through /login.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './data.js';
import { BENCH_DIR, startServerChild, type Server } from './util.js';
import { databaseUrlOf, isPgTarget } from './pg-databases.js';

/** Production is what speed claims are about (view cache on, secure cookies); a TLS proxy on loopback is assumed
 * (TRUST_PROXY=loopback, as a real deployment behind a proxy sets it). */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

export function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'), HOST: '127.0.0.1', TRUST_PROXY: 'loopback' };
}

/** The line each server prints once it listens (src/server.ts, bench/raw-server.ts). */
export const listeningLine = (url: string) => `running at ${url}/`;

/** `skillnet serve` on a target (a SQLite file or a postgres:// URL); `secret`: the same for instances sharing one database. */
export function startAppServer(dbFile: string, secret?: string): Promise<Server> {
  const env = (port: number) => ({ ...benchEnv(), ...(secret ? { SESSION_SECRET: secret } : {}), PORT: String(port), DATABASE_URL: databaseUrlOf(dbFile) });
  return startServerChild(['bin/skillnet.js', 'serve'], env, 'skillnet serve', listeningLine);
}

/** The bare server: better-sqlite3 on a file (raw-server.ts), or `pg` on a postgres:// URL (raw-server-pg.ts). */
export function startRawServer(dbFile: string): Promise<Server> {
  const env = (port: number) => ({ ...benchEnv(), PORT: String(port), BENCH_DB: dbFile });
  const script = isPgTarget(dbFile) ? 'raw-server-pg.ts' : 'raw-server.ts';
  return startServerChild(['--import', 'tsx', path.join(BENCH_DIR, script)], env, 'bare server', listeningLine);
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

/** login() on a server child; when it fails, the error says whether the child still runs and what it printed. */
export async function loginTo(server: Server): Promise<string> {
  try {
    return await login(server.url);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const cause = e.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? ''})` : '';
    const state = server.child.exitCode === null && server.child.signalCode === null ? 'still runs' : `exited (${server.child.exitCode ?? server.child.signalCode})`;
    throw new Error(`${e.message}${cause}; the server ${state}; it printed:\n${server.output()}`, { cause: err });
  }
}

/** Logs in as the bench admin through the real form (CSRF included); returns the Cookie header to send. */
export async function login(baseUrl: string): Promise<string> {
  const page = await fetch(`${baseUrl}/login`, { headers: PROXY_HEADERS, redirect: 'manual' });
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const jar = cookiesOf(page);
  if (!token || !jar.length) throw new Error(`no login form at ${baseUrl}/login (status ${page.status})`);
  const res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY_HEADERS, cookie: jar.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, _csrf: token }).toString(),
  });
  const after = cookiesOf(res);
  const location = res.headers.get('location') ?? '';
  if (res.status !== 302 || location.includes('/login') || !after.length) {
    throw new Error(`login failed: ${res.status} → ${location}`);
  }
  const cookie = after.join('; ');
  const check = await fetch(`${baseUrl}/people`, { headers: { ...PROXY_HEADERS, cookie }, redirect: 'manual' });
  if (check.status !== 200) throw new Error(`logged in, but /people answers ${check.status}`);
  return cookie;
}
