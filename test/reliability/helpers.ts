// Shared by the reliability tests: a real app on a SQLite FILE (WAL, as in production), big CSV files,
// and child processes of the real CLI and server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createDb, migrate } from '../../src/db.js';
import type { TestEnv } from '../support/app.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/skillnet.js');

const dirs: string[] = [];
process.on('exit', () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-rel-'));
  dirs.push(dir);
  return dir;
}

/** A CSV of n people (p0@example.org …), with a skill and a tag each. */
export function peopleCsv(dir: string, n: number, name = 'people.csv', prefix = 'p'): string {
  const file = path.join(dir, name);
  const lines = ['First Name,Last Name,Email,City,Skills,Tags'];
  for (let i = 0; i < n; i++) lines.push(`Person,${prefix}${i},${prefix}${i}@example.org,Berlin,SEO;Skill ${i % 40},T${i % 7}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The app on a database file (several connections and processes can share it). */
export async function fileEnv(file: string): Promise<TestEnv> {
  const db: Knex = createDb({ databaseFile: file });
  await migrate(db);
  const app = createApp({ db, config: testConfig({ databaseFile: file }), loginAttempts: 1000 });
  return {
    db, app,
    async close() {
      await app.shutdown();
      await db.destroy();
    },
  };
}

export interface Child {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real `skillnet` command in a child process. */
export function skillnet(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out: () => out, err: () => err, exited };
}

/** Polls until fn returns a truthy value (or fails after `ms`). */
export async function until<T>(fn: () => Promise<T> | T, ms = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `skillnet serve` on a free port and waits until it listens. */
export async function startServer(env: Record<string, string>): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = skillnet(['serve'], { ...env, PORT: String(port) });
  await until(() => child.out().includes('Skillnet is running') || child.proc.exitCode !== null, 60_000, 'the server to listen');
  if (child.proc.exitCode !== null) throw new Error(`the server did not start: ${child.err()}`);
  return { ...child, url: `http://127.0.0.1:${port}` };
}
