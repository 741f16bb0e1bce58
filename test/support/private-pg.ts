// A private PostgreSQL server of one test, for tests that stop and start the database: initdb into a temporary
// folder, pg_ctl on a free port with its socket in that folder. The shared server on 5432 is never touched.
// PostgreSQL refuses to run as root: then the server runs as the `postgres` user (runuser), owning the folder.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './instances.js';

const run = promisify(execFile);
const BIN = process.env.SKILLNET_PG_BIN || '/usr/lib/postgresql/15/bin';

export interface PrivatePg {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:PORT/NAME */
  url(name: string): string;
  start(): Promise<void>;
  /** pg_ctl stop -m fast: open connections end with "terminating connection due to administrator command" */
  stop(): Promise<void>;
  /** stops the server (if it runs) and removes its folder */
  destroy(): Promise<void>;
}

/** Runs a PostgreSQL program, as the postgres user when this process is root. */
async function pgCommand(user: { uid: number; gid: number } | null, program: string, args: string[]): Promise<string> {
  const file = path.join(BIN, program);
  const { stdout } = user
    ? await run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 60_000 })
    : await run(file, args, { timeout: 60_000 });
  return stdout;
}

/** initdb (trust authentication, user postgres) and start; throws with the tool's own words when it cannot. */
export async function startPrivatePg(): Promise<PrivatePg> {
  if (!existsSync(path.join(BIN, 'initdb'))) throw new Error(`no PostgreSQL programs in ${BIN} (set SKILLNET_PG_BIN)`);
  const root = process.getuid?.() === 0;
  let user: { uid: number; gid: number } | null = null;
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: g } = await run('id', ['-g', 'postgres']);
    user = { uid: Number(stdout.trim()), gid: Number(g.trim()) };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-private-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  await pgCommand(user, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale', 'C.UTF-8', '--no-sync']);
  const port = await freePort();
  let running = false;
  const pg: PrivatePg = {
    port,
    dir,
    url: (name) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    async start() {
      await pgCommand(user, 'pg_ctl', ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'server.log'), '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`, 'start']);
      running = true;
    },
    async stop() {
      await pgCommand(user, 'pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running) await pg.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await pg.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return pg;
}
