// Import figure: `skillnet import people FILE --json --on-duplicate skip` into a fresh database, against a bare
// better-sqlite3 transaction inserting the same people (bench/raw-import.ts). Both are child processes timed
// from spawn to exit the same way, both pay Node + tsx start-up, both parse the CSV; peak RSS comes from
// bench/rss-wrapper.mjs (the child's own peak, bench/peak-rss.mjs). The two run one after the other, so a load that
// comes and goes on a shared machine falls on one side: ROUNDS alternated rounds, each side's fastest counts.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { emptyNetwork, writePeopleCsv } from './data.js';
import { BENCH_DIR, log, ratio, round, runTimed, type RunResult } from './util.js';
import { createBenchDatabase, databaseUrlOf, dropBenchDatabase, isPgTarget, pgRows } from './pg-databases.js';

export interface ImportFigure {
  status: string;
  rows: number;
  app_s: number | null;
  raw_s: number | null;
  ratio: number | null;
  rows_per_s: number | null;
  raw_rows_per_s: number | null;
  peak_rss_mb: number | null;
  raw_peak_rss_mb: number | null;
  app_people: number | null;
  raw_people: number | null;
  /** inside the bare child: seconds parsing the CSV and seconds in the insert transaction */
  raw_parse_s: number | null;
  raw_insert_s: number | null;
}

function kbFile(file: string): number | null {
  try {
    const kb = Number(readFileSync(file, 'utf8'));
    return Number.isFinite(kb) && kb > 0 ? round(kb / 1024, 1) : null;
  } catch {
    return null;
  }
}

async function peopleIn(file: string): Promise<number> {
  if (isPgTarget(file)) return Number((await pgRows<{ n: string }>(file, 'SELECT count(*) AS n FROM people'))[0]!.n);
  const conn = new Database(file, { readonly: true });
  try {
    return Number(conn.prepare('SELECT count(*) FROM people').pluck().get());
  } finally {
    conn.close();
  }
}

/** The last line of stdout as JSON, or null. */
function lastJson(r: RunResult): Record<string, unknown> | null {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const v = JSON.parse(line);
    return v && typeof v === 'object' ? v : null;
  } catch {
    return null;
  }
}

/** Rounds of each side, alternated (bare, app, bare, app); each side's fastest counts, as in the workbook figure. */
const ROUNDS = 2;

/** `adminUrl` (--db postgres): both imports go into databases of their own on that server, dropped afterwards. */
export async function importFigure(dir: string, sourceFile: string, env: NodeJS.ProcessEnv, adminUrl: string | null = null): Promise<ImportFigure> {
  const made: string[] = [];
  const files: string[] = ['people.csv'];
  const drop = async () => {
    // a million rows make gigabytes: free the disk between rounds and before the other figures
    for (const f of files.splice(1)) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(dir, f + suffix), { force: true });
    }
    for (const url of made.splice(0)) await dropBenchDatabase(adminUrl!, url);
  };
  try {
    const target = async (name: string) => {
      if (!adminUrl) {
        files.push(`${name}.sqlite`);
        return path.join(dir, `${name}.sqlite`);
      }
      const url = await createBenchDatabase(adminUrl, name.replace('-', '_'));
      made.push(url);
      return url;
    };
    const csv = path.join(dir, 'people.csv');
    const rows = await writePeopleCsv(sourceFile, csv);
    log(`import: wrote ${rows} people to a CSV`);
    let best: ImportFigure | null = null;
    for (let round = 1; round <= ROUNDS; round++) {
      const fig = await measureImport(dir, csv, rows, env, await target('import-raw'), await target('import-app'));
      await drop();
      best = best ? bestOf(best, fig) : fig;
      if (fig.status !== 'ok') break;
    }
    return best!;
  } finally {
    rmSync(path.join(dir, 'people.csv'), { force: true });
    await drop();
  }
}

/** Each side's fastest round (with that round's own details); a failed round's status wins. */
function bestOf(a: ImportFigure, b: ImportFigure): ImportFigure {
  if (b.status !== 'ok') return b;
  const rawFrom = (b.raw_s ?? Infinity) < (a.raw_s ?? Infinity) ? b : a;
  const appFrom = (b.app_s ?? Infinity) < (a.app_s ?? Infinity) ? b : a;
  return {
    ...appFrom,
    raw_s: rawFrom.raw_s, raw_rows_per_s: rawFrom.raw_rows_per_s, raw_peak_rss_mb: rawFrom.raw_peak_rss_mb, raw_people: rawFrom.raw_people,
    raw_parse_s: rawFrom.raw_parse_s, raw_insert_s: rawFrom.raw_insert_s, ratio: ratio(appFrom.app_s, rawFrom.raw_s),
  };
}

async function measureImport(dir: string, csv: string, rows: number, env: NodeJS.ProcessEnv, rawDb: string, appDb: string): Promise<ImportFigure> {
  await emptyNetwork(rawDb);
  await emptyNetwork(appDb);

  const rawRss = path.join(dir, 'import-raw.rss');
  const raw = await runTimed(['--import', 'tsx', path.join(BENCH_DIR, 'rss-wrapper.mjs'), rawRss, path.join(BENCH_DIR, isPgTarget(rawDb) ? 'raw-import-pg.ts' : 'raw-import.ts'), csv, rawDb], env);
  if (raw.code !== 0) throw new Error(`raw import failed:\n${raw.stderr.slice(-2000)}`);
  const inner = lastJson(raw);
  log(`import: bare ${raw.seconds.toFixed(2)} s (${JSON.stringify(inner)})`);
  const fig: ImportFigure = {
    status: 'ok', rows, app_s: null, raw_s: round(raw.seconds, 2), ratio: null, rows_per_s: null,
    raw_rows_per_s: round(rows / raw.seconds, 0), peak_rss_mb: null, raw_peak_rss_mb: kbFile(rawRss),
    app_people: null, raw_people: await peopleIn(rawDb),
    raw_parse_s: typeof inner?.parse_s === 'number' ? inner.parse_s : null,
    raw_insert_s: typeof inner?.insert_s === 'number' ? inner.insert_s : null,
  };

  const appRss = path.join(dir, 'import-app.rss');
  const app = await runTimed(
    [path.join(BENCH_DIR, 'rss-wrapper.mjs'), appRss, 'bin/skillnet.js', 'import', 'people', csv, '--json', '--on-duplicate', 'skip'],
    { ...env, DATABASE_URL: databaseUrlOf(appDb) },
  );
  if (app.code !== 0) {
    const reason = app.stderr.trim().split('\n')[0] ?? '';
    fig.status = /unknown command/i.test(app.stderr) ? 'not available' : `failed: ${reason.slice(0, 200)}`;
    log(`import: ${fig.status}`);
    return fig;
  }
  const summary = lastJson(app);
  fig.app_people = await peopleIn(appDb);
  if (!summary || typeof summary.created !== 'number') fig.status = 'ran, but printed no JSON summary';
  else if (summary.created !== fig.app_people) fig.status = `summary says ${summary.created} created, database has ${fig.app_people}`;
  fig.app_s = round(app.seconds, 2);
  fig.ratio = ratio(fig.app_s, fig.raw_s);
  fig.rows_per_s = round(rows / app.seconds, 0);
  fig.peak_rss_mb = kbFile(appRss);
  log(`import: skillnet import people ${app.seconds.toFixed(2)} s (${JSON.stringify(summary)})`);
  return fig;
}
