// The two servers the page and export figures load: the app itself (`skillnet serve`, production settings,
// its own process) and the bare baseline (bench/raw-server.ts), plus a real login through /login.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './data.js';
import { BENCH_DIR, freePort, startChild, type Server } from './util.js';

/** Production is what speed claims are about (view cache on, secure cookies); a TLS proxy on loopback is assumed
 * (TRUST_PROXY=loopback, as a real deployment behind a proxy sets it). */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };

export function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'), HOST: '127.0.0.1', TRUST_PROXY: 'loopback' };
}

export async function startAppServer(dbFile: string): Promise<Server> {
  const port = await freePort();
  return startChild(['bin/skillnet.js', 'serve'], { ...benchEnv(), PORT: String(port), DATABASE_URL: `sqlite:${dbFile}` }, port, 'skillnet serve');
}

export async function startRawServer(dbFile: string): Promise<Server> {
  const port = await freePort();
  return startChild(['--import', 'tsx', path.join(BENCH_DIR, 'raw-server.ts')], { ...benchEnv(), PORT: String(port), BENCH_DB: dbFile }, port, 'bare server');
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
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
