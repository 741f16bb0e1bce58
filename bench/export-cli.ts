// CLI export figure (issue 19, item 4): `skillnet export people --q nobody -o FILE` as a child process — a filter
// that matches no one, so the time is what the export costs before its first row — against bench/raw-export.ts
// (the same FTS match in one bare statement + csv-stringify to a file), also a child process: both pay Node and
// tsx start-up. Three runs each, alternating; the medians are compared.
import path from 'node:path';
import { benchEnv } from './servers.js';
import { log, ratio, round, runTimed } from './util.js';

export interface CliExportFigure {
  status: string;
  app_s: number | null;
  raw_s: number | null;
  /** app ÷ bare, medians */
  ratio: number | null;
  app_rows: number | null;
  raw_rows: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function cliExportFigure(dir: string, file: string, runs = 3): Promise<CliExportFigure> {
  const env = { ...benchEnv(), DATABASE_URL: `sqlite:${file}` };
  const appOut = path.join(dir, 'cli-export.csv');
  const rawOut = path.join(dir, 'raw-export.csv');
  const app: number[] = [];
  const raw: number[] = [];
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
    const r = await runTimed(['--import', 'tsx', 'bench/raw-export.ts', file, 'nobody', rawOut], env);
    if (r.code !== 0) throw new Error(`bare export failed: ${r.stderr.slice(-500)}`);
    rawRows = (JSON.parse(r.stdout.trim()) as { rows: number }).rows;
    raw.push(r.seconds);
  }
  const fig: CliExportFigure = {
    status, app_s: app.length === runs ? round(median(app), 2) : null, raw_s: raw.length ? round(median(raw), 2) : null,
    ratio: null, app_rows: appRows, raw_rows: rawRows,
  };
  fig.ratio = ratio(fig.app_s, fig.raw_s);
  log(`cli export --q nobody: ${JSON.stringify(fig)}`);
  return fig;
}
