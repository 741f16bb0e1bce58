// CLI export figure (issue 19, item 4): `skillnet export people --q nobody -o FILE` as a child process — a filter
// that matches no one, so the time is what the export costs before its first row — against bench/raw-export.ts
// (the same FTS match in one bare statement + csv-stringify to a file), also a child process. The CLI runs as
// JavaScript compiled from src/ (bin/compile.js, no tsx), so the bare side runs as JavaScript too: raw-export.ts
// bundled by esbuild (packages left outside) into node_modules/.cache/skillnet-bench/, started by plain Node. The
// same script through tsx is timed as well and printed beside it (`raw_tsx_s`: what the bare side cost while the
// CLI still ran through tsx). Seven runs each, alternating; the medians are compared (the first run of a new build
// also writes its code cache).
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { benchEnv } from './servers.js';
import { BENCH_DIR, log, ratio, ROOT, round, runTimed } from './util.js';

/** bench/raw-export.ts as one JavaScript file beside the repository's node_modules (so its packages resolve). */
async function bareExportScript(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = path.join(ROOT, 'node_modules', '.cache', 'skillnet-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'raw-export.mjs');
  await build({ entryPoints: [path.join(BENCH_DIR, 'raw-export.ts')], outfile, bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
  return outfile;
}

export interface CliExportFigure {
  status: string;
  app_s: number | null;
  raw_s: number | null;
  /** the same bare script through tsx (not compared) */
  raw_tsx_s: number | null;
  /** app ÷ bare, medians */
  ratio: number | null;
  app_rows: number | null;
  raw_rows: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function cliExportFigure(dir: string, file: string, runs = 7): Promise<CliExportFigure> {
  const env = { ...benchEnv(), DATABASE_URL: `sqlite:${file}` };
  const appOut = path.join(dir, 'cli-export.csv');
  const rawOut = path.join(dir, 'raw-export.csv');
  const bare = await bareExportScript();
  const app: number[] = [];
  const raw: number[] = [];
  const rawTsx: number[] = [];
  let status = 'ok';
  let appRows: number | null = null;
  let rawRows: number | null = null;
  for (let i = 0; i < runs; i++) {
    const a = await runTimed(['bin/skillnet.js', 'export', 'people', '--q', 'nobody', '-o', appOut], env);
    if (a.code !== 0) {
      status = `export failed: ${a.stderr.trim().split('\n').pop()?.slice(0, 200) ?? a.code}`;
      break;
    }
    appRows = Number(/(\d+) people written/.exec(a.stderr)?.[1] ?? NaN);
    app.push(a.seconds);
    const r = await runTimed([bare, file, 'nobody', rawOut], env);
    if (r.code !== 0) throw new Error(`bare export failed: ${r.stderr.slice(-500)}`);
    rawRows = (JSON.parse(r.stdout.trim()) as { rows: number }).rows;
    raw.push(r.seconds);
    const rt = await runTimed(['--import', 'tsx', 'bench/raw-export.ts', file, 'nobody', rawOut], env);
    if (rt.code !== 0) throw new Error(`bare export through tsx failed: ${rt.stderr.slice(-500)}`);
    rawTsx.push(rt.seconds);
  }
  // milliseconds kept, and the ratio taken from the medians themselves: rounded to 0.01 s first, 0.115 ÷ 0.08 s could
  // read 1.5 or 1.38 depending on a millisecond
  const fig: CliExportFigure = {
    status, app_s: app.length === runs ? round(median(app), 3) : null, raw_s: raw.length ? round(median(raw), 3) : null,
    raw_tsx_s: rawTsx.length ? round(median(rawTsx), 3) : null,
    ratio: app.length === runs && raw.length ? ratio(median(app), median(raw)) : null, app_rows: appRows, raw_rows: rawRows,
  };
  log(`cli export --q nobody: ${JSON.stringify(fig)}`);
  return fig;
}

export interface CliWorkbookFigure {
  status: string;
  /** `skillnet export people --dnc --format xlsx -o FILE` (everyone) as a child process */
  s: number | null;
  rows: number | null;
  bytes: number | null;
  /** its own peak RSS (VmHWM of that process, bench/rss-wrapper.mjs): the export's own memory */
  peak_rss_mb: number | null;
  /** the same command with a filter that matches no one: start-up, the workbook writer, no rows */
  base_rss_mb: number | null;
  /** (peak − base) ÷ rows: what each row costs in peak memory (falls as rows grow when memory is flat) */
  bytes_per_row: number | null;
}

/**
 * Workbook export memory (issue 13: peak RSS at 1,000,000 ≤ 1.3× at 100,000): the CLI's export of everyone as an
 * xlsx file, a process of its own whose peak RSS is the export's alone — no server, no search index (the CLI
 * answers this filter in one statement: src/search/plain.queries.ts). One run per size; compare
 * `export_xlsx.peak_rss_mb` of a run at 1,000,000 with one at 100,000.
 */
export async function cliWorkbookFigure(dir: string, file: string): Promise<CliWorkbookFigure> {
  const env = { ...benchEnv(), DATABASE_URL: `sqlite:${file}` };
  const wrapper = path.join(BENCH_DIR, 'rss-wrapper.mjs');
  const fig: CliWorkbookFigure = { status: 'ok', s: null, rows: null, bytes: null, peak_rss_mb: null, base_rss_mb: null, bytes_per_row: null };
  const run = async (name: string, filter: string[]) => {
    const rssFile = path.join(dir, `${name}.rss`);
    const out = path.join(dir, `${name}.xlsx`);
    const r = await runTimed([wrapper, rssFile, 'bin/skillnet.js', 'export', 'people', ...filter, '--format', 'xlsx', '-o', out], env);
    if (r.code !== 0) return { ...r, rss: null, rows: null, bytes: null };
    const rss = round(Number(readFileSync(rssFile, 'utf8')) / 1024, 1);
    return { ...r, rss, rows: Number(/(\d+) people written/.exec(r.stderr)?.[1] ?? NaN), bytes: statSync(out).size };
  };
  const base = await run('cli-empty', ['--q', 'nobody']);
  const all = await run('cli-all', ['--dnc']);
  for (const r of [base, all]) if (r.code !== 0) fig.status = `export failed: ${r.stderr.trim().split('\n').pop()?.slice(0, 200) ?? r.code}`;
  if (fig.status !== 'ok') {
    log(`cli workbook export: ${fig.status}`);
    return fig;
  }
  Object.assign(fig, { s: round(all.seconds, 2), rows: all.rows, bytes: all.bytes, peak_rss_mb: all.rss, base_rss_mb: base.rss });
  if (all.rss !== null && base.rss !== null && all.rows) fig.bytes_per_row = Math.round(((all.rss - base.rss) * 1024 * 1024) / all.rows);
  log(`cli workbook export: ${JSON.stringify(fig)}`);
  return fig;
}
