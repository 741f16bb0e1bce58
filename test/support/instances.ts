// Real `skillnet serve` processes on a PostgreSQL database, as behind a proxy (test/pg/: npm run test:pg only).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { csrfFrom, PASSWORD } from './app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Instance {
  child: ChildProcess;
  base: string;
  /** everything the process wrote (standard output and error), for failure messages */
  output: () => string;
}

/** Starts `skillnet serve` on a free port and waits until it answers /health. */
export async function startInstance(url: string, env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/skillnet.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), NODE_ENV: 'development', SESSION_SECRET: 'shared-secret-of-both-instances', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${out}`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, base, output: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`instance did not answer /health: ${out}`);
}

export async function stopInstance(i: Instance | undefined): Promise<void> {
  if (!i || i.child.exitCode !== null) return;
  const done = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  await done;
}

/** The cookies a response set, as a Cookie header. */
export function cookiesOf(res: request.Response, before = ''): string {
  const set = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const jar = new Map(before.split('; ').filter(Boolean).map((c) => [c.split('=')[0]!, c] as [string, string]));
  for (const c of set) jar.set(c.split('=')[0]!, c.split(';')[0]!);
  return [...jar.values()].join('; ');
}

/** Logs in through one instance's /login form; resolves with the response and the cookie header to send on. */
export async function loginOn(i: Instance, email: string, password = PASSWORD): Promise<{ res: request.Response; cookie: string }> {
  const page = await request(i.base).get('/login');
  const cookie = cookiesOf(page);
  const res = await request(i.base).post('/login').type('form').set('Cookie', cookie)
    .send({ email, password, _csrf: csrfFrom(page.text) });
  return { res, cookie: cookiesOf(res, cookie) };
}
