// Shared pieces of the benchmark: options, statistics, the table, child processes and their memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { peakRssKb } from './peak-rss.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DIR = path.join(ROOT, 'bench');

export const FIGURES = ['import', 'search', 'pages', 'export', 'duplicates', 'mail', 'api', 'load'] as const;
export type Figure = (typeof FIGURES)[number];
/** The figures measured on PostgreSQL (--db postgres), each against bare `pg` on the same server. */
export const PG_FIGURES: Figure[] = ['import', 'search', 'pages', 'export'];

export interface BenchOptions {
  people: number;
  /** timed runs per search question (after warm-up) */
  runs: number;
  /** seconds of load per page (autocannon) */
  duration: number;
  connections: number;
  /** seconds of the 50-connection load (60, --quick 10) */
  loadSeconds: number;
  json: string | null;
  only: Figure[];
  keep: boolean;
  seed: number;
  /** --network FILE: measure a copy of this SQLite network instead of seeding one */
  network: string | null;
  db: 'sqlite' | 'postgres';
  /** --db postgres: a server to make (and drop) the run's own databases on */
  databaseUrl: string | null;
}

const USAGE = `usage: npm run bench -- [--quick] [--people N] [--runs N] [--duration S] [--connections N] [--json FILE]
                        [--only import,search,pages,export,duplicates,mail,api,load] [--load-seconds S] [--keep] [--seed S] [--network FILE]
                        [--db sqlite|postgres --database-url postgres://user@host:5432/db]
  --db postgres measures import, search, pages (and two instances on one database) and export on PostgreSQL,
  each against bare pg on the same server, in a database skillnet_bench_<pid> it creates there and drops.
  --network FILE measures a copy of a SQLite network kept by an earlier run (--keep prints its folder; the file is
  network.sqlite there) instead of seeding one; --people is then read from it.`;

/** Reads the command line; --quick means 20,000 people, 100 runs per search and 5 s per page. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      people: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'load-seconds': { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
      keep: { type: 'boolean', default: false },
      seed: { type: 'string' },
      network: { type: 'string' },
      db: { type: 'string', default: 'sqlite' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (raw: string | undefined, fallback: number, min: number, max: number, name: string) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
    return n;
  };
  const quick = values.quick;
  const db = values.db;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db must be sqlite or postgres\n${USAGE}`);
  const databaseUrl = values['database-url'] ?? null;
  if (db === 'postgres' && !databaseUrl) throw new Error(`--db postgres needs --database-url postgres://user@host:5432/db\n${USAGE}`);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`--database-url must start with postgres:// or postgresql://\n${USAGE}`);
  if (databaseUrl && db !== 'postgres') throw new Error(`--database-url goes with --db postgres\n${USAGE}`);
  if (values.network && db !== 'sqlite') throw new Error(`--network takes a SQLite network; on PostgreSQL the run seeds its own database\n${USAGE}`);
  if (values.network && !existsSync(values.network)) throw new Error(`--network ${values.network}: no such file\n${USAGE}`);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...(db === 'postgres' ? PG_FIGURES : FIGURES)];
  for (const f of only) if (!(FIGURES as readonly string[]).includes(f)) throw new Error(`--only: unknown figure "${f}"\n${USAGE}`);
  for (const f of only) if (db === 'postgres' && !PG_FIGURES.includes(f as Figure)) throw new Error(`--only: "${f}" is not measured on PostgreSQL (${PG_FIGURES.join(', ')} are)\n${USAGE}`);
  return {
    people: int(values.people, quick ? 20_000 : 100_000, 100, 2_000_000, 'people'),
    runs: int(values.runs, quick ? 100 : 200, 1, 100_000, 'runs'),
    duration: int(values.duration, quick ? 5 : 10, 1, 600, 'duration'),
    connections: int(values.connections, 10, 1, 1000, 'connections'),
    loadSeconds: int(values['load-seconds'], quick ? 10 : 60, 1, 600, 'load-seconds'),
    json: values.json ?? null,
    only: only as Figure[],
    keep: values.keep,
    seed: int(values.seed, 1, 0, 0xffffffff, 'seed'),
    network: values.network ?? null,
    db,
    databaseUrl,
  };
}

/** Progress goes to stderr, so stdout holds only the table and the JSON line. */
export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Nearest-rank percentile of a list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function round(n: number | null | undefined, digits = 2): number | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** app ÷ raw, or null when either is missing. */
export function ratio(app: number | null, raw: number | null): number | null {
  if (app === null || raw === null || raw <= 0) return null;
  return round(app / raw, 2);
}

/** A plain text table: first row is the header. */
export function table(rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '–' : String(c))));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  // first and last columns (names, notes) to the left, figures to the right
  const last = widths.length - 1;
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i === last ? c.padEnd(i === last ? 0 : widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Resident memory (VmRSS) of a running process now, in MB, from /proc; null where /proc is missing. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process has used so far, from /proc; null where there is no /proc. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** Peak resident memory (VmHWM) of a running process in MB, from /proc; null where /proc is missing. */
export function peakRssMb(pid: number): number | null {
  const kb = peakRssKb(pid);
  return kb === null ? null : round(kb / 1024, 1);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end; seconds is the wall time from spawn to exit, as seen from here. */
export function runTimed(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

export interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  /** peak RSS so far, MB */
  peakRssMb(): number | null;
  /** the end of what the child printed (for error messages) */
  output(): string;
  stop(): Promise<void>;
}

/** The child printed this: it could not listen on its port (the app's and the bare server's own words). */
const PORT_TAKEN = /already in use|EADDRINUSE/;

class PortTaken extends Error {}

/**
 * Starts a long-running server child on a free port and waits until the child itself says it listens there
 * (`listening(url)` appears in its output) and GET /health answers. /health alone is no proof: under load a
 * child needs seconds to start, and in that time another process on the machine may take the port that was
 * free a moment ago — /health is then answered by that stranger (another checkout's Skillnet answers
 * 302 to a page without login) while our child dies of EADDRINUSE. Such a port is given up and another tried.
 */
export async function startServerChild(
  args: string[], env: (port: number) => NodeJS.ProcessEnv, name: string, listening: (url: string) => string,
  pickPort: () => Promise<number> = freePort,
): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const port = await pickPort();
    try {
      return await startChild(args, env(port), port, name, listening);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= 3) throw err;
      log(`${name}: port ${port} was taken by another process while it started; trying another port`);
    }
  }
}

/** Starts a long-running child and waits until it says it listens on `port` and GET /health answers. */
export async function startChild(args: string[], env: NodeJS.ProcessEnv, port: number, name: string, listening: (url: string) => string): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const ownLine = listening(url);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) {
      if (PORT_TAKEN.test(output)) throw new PortTaken(`${name} could not listen on port ${port}:\n${output.slice(-2000)}`);
      throw new Error(`${name} exited before it served:\n${output.slice(-2000)}`);
    }
    if (output.includes(ownLine)) {
      try {
        const res = await fetch(`${url}/health`);
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        // not answering yet
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not listen and answer /health within 60 s:\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    peakRssMb: () => peakRssMb(child.pid!),
    output: () => output.slice(-3000),
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
