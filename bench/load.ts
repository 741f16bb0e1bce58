// Many people at once (issue 19, item 5): 50 connections, logged in, on a mix of the five search questions and
// person pages (random people, seeded), first on their own for `seconds`, then again for as long as a CLI import
// of new people commits into the same database. Reported: p99 latency and errors (any non-2xx answer, socket
// error or timeout) of each phase. Runs on a copy of the network, since the import writes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { PROXY_HEADERS, benchEnv, loginTo, startAppServer } from './servers.js';
import { QUESTIONS } from './search.js';
import { ROOT, log, round } from './util.js';

export interface LoadPhase {
  requests: number;
  rps: number;
  p99_ms: number | null;
  errors: number;
  /** the errors by kind */
  non2xx: number;
  socket_errors: number;
  timeouts: number;
}

export interface LoadFigure {
  status: string;
  connections: number;
  seconds: number;
  alone: LoadPhase | null;
  import_rows: number;
  import_s: number | null;
  during_import: LoadPhase | null;
}

/** The mix: each search question, then as many person pages of random people, round and round. */
function mixOf(file: string, seed: number): () => string {
  const db = new Database(file, { readonly: true });
  const ids = db.prepare('SELECT id FROM people ORDER BY id').pluck().all() as number[];
  db.close();
  let x = seed >>> 0 || 1;
  const random = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const searches = QUESTIONS.map((q) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(q.params)) for (const one of Array.isArray(v) ? v : [v]) u.append(k, one);
    return `/people?${u}`;
  });
  let i = 0;
  return () => {
    const n = i++ % (2 * searches.length);
    return n < searches.length ? searches[n]! : `/people/${ids[Math.floor(random() * ids.length)]}`;
  };
}

function phaseOf(res: Result): LoadPhase {
  // autocannon counts a timeout among its errors too
  const errors = res.non2xx + res.errors;
  const requests = res['2xx'] + res.non2xx;
  return {
    requests, rps: round(res['2xx'] / res.duration, 0)!, p99_ms: requests ? res.latency.p99 : null, errors,
    non2xx: res.non2xx, socket_errors: res.errors - res.timeouts, timeouts: res.timeouts,
  };
}

/** Loads the server until `seconds` have passed or `until` resolves (whichever the caller asks for). */
function load(url: string, cookie: string, next: () => string, connections: number, seconds: number, until?: Promise<unknown>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const tracker = autocannon({
      url, connections, duration: seconds, timeout: 10, headers: { ...PROXY_HEADERS, cookie },
      requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }],
    }, (err, res) => (err ? reject(err) : resolve(res)));
    void until?.then(() => tracker.stop());
  });
}

export async function loadFigure(dir: string, sourceFile: string, people: number, seconds: number, importRows: number, connections = 50): Promise<LoadFigure> {
  const file = path.join(dir, 'load.sqlite');
  const src = new Database(sourceFile, { readonly: true });
  src.exec(`VACUUM INTO '${file.replace(/'/g, "''")}'`);
  src.close();
  const csv = path.join(dir, 'load-import.csv');
  const lines = ['First Name,Last Name,Email,City,Skills,Tags'];
  for (let i = 0; i < importRows; i++) lines.push(`Load,Person ${i},bench-load-${i}@example.org,Berlin,SEO (2);WordPress (3),T${i % 7}`);
  writeFileSync(csv, lines.join('\n') + '\n');

  const fig: LoadFigure = { status: 'ok', connections, seconds, alone: null, import_rows: importRows, import_s: null, during_import: null };
  const next = mixOf(file, people);
  const server = await startAppServer(file);
  try {
    const cookie = await loginTo(server);
    for (let i = 0; i < 30; i++) await (await fetch(server.url + next(), { headers: { ...PROXY_HEADERS, cookie } })).arrayBuffer();
    fig.alone = phaseOf(await load(server.url, cookie, next, connections, seconds));
    log(`load: ${connections} connections for ${seconds} s: ${JSON.stringify(fig.alone)}`);

    const started = performance.now();
    const child = spawn(process.execPath, ['bin/skillnet.js', 'import', 'people', csv, '--json'], {
      cwd: ROOT, env: { ...benchEnv(), DATABASE_URL: `sqlite:${file}` }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the load runs for as long as the import (at most ten minutes)
    const during = await load(server.url, cookie, next, connections, 600, exited);
    const code = await exited;
    fig.import_s = round((performance.now() - started) / 1000, 2);
    fig.during_import = phaseOf(during);
    if (code !== 0) fig.status = `import failed: ${stderr.trim().split('\n').pop()?.slice(0, 200) ?? code}`;
    log(`load during an import of ${importRows} rows (${fig.import_s} s): ${JSON.stringify(fig.during_import)}${fig.status === 'ok' ? '' : `; ${fig.status}`}`);
    return fig;
  } finally {
    await server.stop();
  }
}
