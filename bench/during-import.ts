// Pages during an import (issue 11, reliability 1): while `skillnet import people` writes as many new people
// as the network holds, one client keeps asking the app server for /health and a logged-in /people page, one
// request after the other. Reported: their p99 and worst latency and how many failed. Baseline: the same
// requests before the import starts, so the figure is a ratio in the same run.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PROXY_HEADERS, benchEnv, login, startAppServer } from './servers.js';
import { ROOT, log, percentile, round } from './util.js';
import { newWriteProbe, writeRound, type WriteProbe } from './during-import-writes.js';

export interface DuringImportFigure {
  status: string;
  rows: number;
  import_s: number | null;
  requests: number;
  failures: number;
  health_p99_ms: number | null;
  page_p99_ms: number | null;
  page_max_ms: number | null;
  /** the same page before the import, p99 */
  idle_page_p99_ms: number | null;
  /** every tenth round: a fresh login, a person's form saved, a small export (during-import-writes.ts) */
  writes: WriteProbe;
}

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; ok: boolean }> {
  const t = performance.now();
  try {
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    return { ms: performance.now() - t, ok: res.status === 200 };
  } catch {
    return { ms: performance.now() - t, ok: false };
  }
}

export async function duringImportFigure(dir: string, sourceFile: string, rows: number): Promise<DuringImportFigure> {
  const db = path.join(dir, 'during-import.sqlite');
  const src = new Database(sourceFile, { readonly: true });
  const personId = src.prepare('SELECT min(id) FROM people').pluck().get() as number;
  src.exec(`VACUUM INTO '${db.replace(/'/g, "''")}'`);
  src.close();
  const csv = path.join(dir, 'during-import.csv');
  const lines = ['First Name,Last Name,Email,City,Skills,Tags'];
  for (let i = 0; i < rows; i++) lines.push(`Bench,During ${i},bench-during-${i}@example.org,Berlin,SEO;Skill ${i % 40},T${i % 7}`);
  writeFileSync(csv, lines.join('\n') + '\n');

  const fig: DuringImportFigure = { status: 'ok', rows, import_s: null, requests: 0, failures: 0, health_p99_ms: null, page_p99_ms: null, page_max_ms: null, idle_page_p99_ms: null, writes: newWriteProbe() };
  const server = await startAppServer(db);
  try {
    let cookie: string;
    try {
      cookie = await login(server.url);
    } catch (err) {
      throw new Error(`during import: login failed (${(err as Error).message}); server said:\n${server.output?.() ?? ""}`);
    }
    const headers = { ...PROXY_HEADERS, cookie };
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) idle.push((await timed(`${server.url}/people`, headers)).ms);
    fig.idle_page_p99_ms = round(percentile(idle, 99), 1);

    const started = performance.now();
    const child = spawn(process.execPath, ['bin/skillnet.js', 'import', 'people', csv, '--json'], {
      cwd: ROOT, env: { ...benchEnv(), DATABASE_URL: `sqlite:${db}` }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let done = false;
    void exited.then(() => { done = true; });
    const health: number[] = [];
    const page: number[] = [];
    while (!done) {
      const h = await timed(`${server.url}/health`, PROXY_HEADERS);
      const p = await timed(`${server.url}/people`, headers);
      health.push(h.ms);
      page.push(p.ms);
      fig.requests += 2;
      fig.failures += (h.ok ? 0 : 1) + (p.ok ? 0 : 1);
      if (health.length % 10 === 1) await writeRound(server.url, cookie, personId, fig.writes);
    }
    const code = await exited;
    fig.import_s = round((performance.now() - started) / 1000, 2);
    if (code !== 0) fig.status = `import failed: ${stderr.trim().split('\n').pop()?.slice(0, 200) ?? code}`;
    fig.health_p99_ms = health.length ? round(percentile(health, 99), 1) : null;
    fig.page_p99_ms = page.length ? round(percentile(page, 99), 1) : null;
    fig.page_max_ms = page.length ? round(Math.max(...page), 1) : null;
    log(`during import: ${JSON.stringify(fig)}`);
    return fig;
  } finally {
    await server.stop();
  }
}
