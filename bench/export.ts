// Export figure: GET /people.csv of everyone from a freshly started app server (time to first body byte, total,
// peak RSS of the server process), against the bare server's better-sqlite3 iterate + csv-stringify stream.
// Each server is started for this figure alone, so its peak RSS is the export's (plus start-up and login).
import http from 'node:http';
import { PROXY_HEADERS, loginTo, startAppServer, startRawServer } from './servers.js';
import { log, ratio, round, rssMb, type Server } from './util.js';

export interface ExportSide {
  status: number;
  type: string;
  ttfb_s: number | null;
  total_s: number | null;
  bytes: number;
  rows: number;
  peak_rss_mb: number | null;
}

export interface ExportFigure {
  status: string;
  app: ExportSide | null;
  raw: ExportSide;
  app_s: number | null;
  raw_s: number | null;
  ratio: number | null;
  peak_rss_mb: number | null;
}

/** Downloads a URL, counting bytes and CRLF-ended lines; times are from the request to the first body byte and the end. */
function download(url: string, headers: Record<string, string>): Promise<Omit<ExportSide, 'peak_rss_mb'>> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first: number | null = null;
    let bytes = 0;
    let lines = 0;
    http.get(url, { headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        first ??= performance.now();
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => {
        const end = performance.now();
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          ttfb_s: first === null ? null : round((first - t0) / 1000, 3),
          total_s: round((end - t0) / 1000, 3),
          bytes,
          rows: Math.max(0, lines - 1),
        });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function measure(server: Server, path: string, headers: Record<string, string>): Promise<ExportSide> {
  try {
    const r = await download(server.url + path, headers);
    return { ...r, peak_rss_mb: server.peakRssMb() };
  } finally {
    await server.stop();
  }
}

export async function exportFigure(file: string): Promise<ExportFigure> {
  // dnc=1: everyone, including people marked do-not-contact (the bare export has no such filter either)
  const path = '/people.csv?dnc=1';
  const rawServer = await startRawServer(file);
  const raw = await measure(rawServer, path, {});
  if (raw.status !== 200) throw new Error(`bare export answered ${raw.status}`);
  log(`export: bare ${raw.rows} rows in ${raw.total_s} s (first byte ${raw.ttfb_s} s, peak RSS ${raw.peak_rss_mb} MB)`);
  const fig: ExportFigure = { status: 'ok', app: null, raw, app_s: null, raw_s: raw.total_s, ratio: null, peak_rss_mb: null };

  const appServer = await startAppServer(file);
  let cookie: string;
  try {
    cookie = await loginTo(appServer);
  } catch (err) {
    await appServer.stop();
    throw err;
  }
  const app = await measure(appServer, path, { ...PROXY_HEADERS, cookie });
  fig.app = app;
  const csv = app.status === 200 && app.type.includes('csv');
  if (!csv) {
    fig.status = app.status === 404 ? 'not available' : `answers ${app.status} ${app.type}`;
    log(`export: /people.csv ${fig.status}`);
    return fig;
  }
  fig.app_s = app.total_s;
  fig.ratio = ratio(app.total_s, raw.total_s);
  fig.peak_rss_mb = app.peak_rss_mb;
  if (app.rows !== raw.rows) fig.status = `ok, but ${app.rows} rows against ${raw.rows}`;
  log(`export: app ${app.rows} rows in ${app.total_s} s (first byte ${app.ttfb_s} s, peak RSS ${app.peak_rss_mb} MB)`);
  return fig;
}

export interface WorkbookFigure {
  status: string;
  app: ExportSide | null;
  /** seconds for /people.xlsx of everyone */
  app_s: number | null;
  /** the app's own /people.csv of the same rows, on a server started and warmed the same way (issue 13: ratio ≤ 2) */
  csv_s: number | null;
  ratio: number | null;
  /** the xlsx server's peak RSS (VmHWM): start-up, search index, login and the export */
  peak_rss_mb: number | null;
  /** its resident memory just before the request (search index loaded, logged in) */
  rss_before_mb: number | null;
  /** how far its resident memory rose above that during the export (sampled every 20 ms): the export's own memory */
  growth_mb: number | null;
  /** the same for the CSV export, for comparison */
  csv_growth_mb: number | null;
}

/** A fresh app server, logged in, its search index loaded (a search page waits for it): what an export finds. */
async function warmServer(file: string): Promise<{ server: Server; cookie: string }> {
  const server = await startAppServer(file);
  try {
    const cookie = await loginTo(server);
    const warm = await fetch(`${server.url}/people?q=schmidt`, { headers: { ...PROXY_HEADERS, cookie } });
    await warm.arrayBuffer();
    if (warm.status !== 200) throw new Error(`warming /people answered ${warm.status}`);
    return { server, cookie };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Downloads from a warmed server, sampling its resident memory; stops the server. */
async function sampled(file: string, path: string): Promise<{ side: ExportSide; before: number | null; growth: number | null }> {
  const { server, cookie } = await warmServer(file);
  const before = rssMb(server.pid);
  let max = before;
  const timer = setInterval(() => {
    const now = rssMb(server.pid);
    if (now !== null && (max === null || now > max)) max = now;
  }, 20);
  try {
    const side = await measure(server, path, { ...PROXY_HEADERS, cookie });
    return { side, before, growth: before === null || max === null ? null : round(max - before, 1) };
  } finally {
    clearInterval(timer);
  }
}

/** Rounds of the workbook figure: CSV and xlsx alternate, so a burst of load from elsewhere hits both alike. */
export const WORKBOOK_ROUNDS = (people: number) => (people <= 200_000 ? 3 : 1);

/**
 * Workbook export figure: GET /people.xlsx of everyone against the app's own GET /people.csv of the same rows
 * (target: ≤ 2× its time), each from a freshly started server that has logged in and loaded its search index
 * first, so both times are the export's alone; CSV and xlsx alternate for `rounds` rounds and the best time of
 * each counts. Peak RSS is reported so that runs at 100,000 and 1,000,000 can be compared (target: ≤ 1.3×),
 * beside the export's own growth above the warmed server's memory (the highest of the rounds), which tells the
 * streaming writer's share from the search index's (that one grows with the network by design).
 */
export async function workbookFigure(file: string, rounds = 1): Promise<WorkbookFigure> {
  const csvRuns: Awaited<ReturnType<typeof sampled>>[] = [];
  const xRuns: Awaited<ReturnType<typeof sampled>>[] = [];
  for (let i = 0; i < rounds; i++) {
    const csv = await sampled(file, '/people.csv?dnc=1');
    log(`export: warmed /people.csv ${csv.side.rows} rows in ${csv.side.total_s} s (RSS ${csv.before} MB before, +${csv.growth} MB during, peak ${csv.side.peak_rss_mb} MB)`);
    const x = await sampled(file, '/people.xlsx?dnc=1');
    log(`export: /people.xlsx ${x.side.status}: ${x.side.bytes} bytes in ${x.side.total_s} s (RSS ${x.before} MB before, +${x.growth} MB during, peak ${x.side.peak_rss_mb} MB)`);
    csvRuns.push(csv);
    xRuns.push(x);
  }
  const csvOk = csvRuns.every((r) => r.side.status === 200 && r.side.type.includes('csv'));
  const ok = xRuns.every((r) => r.side.status === 200 && r.side.type.includes('spreadsheetml'));
  const best = (runs: typeof csvRuns) => runs.reduce((a, b) => ((b.side.total_s ?? Infinity) < (a.side.total_s ?? Infinity) ? b : a));
  const most = (values: (number | null)[]) => (values.some((v) => v === null) ? null : Math.max(...(values as number[])));
  const app = best(xRuns).side;
  const csvSeconds = csvOk ? best(csvRuns).side.total_s : null;
  const last = xRuns[xRuns.length - 1]!.side;
  const fig: WorkbookFigure = {
    status: ok ? 'ok' : last.status === 404 ? 'not available' : `answers ${last.status} ${last.type}`, app,
    app_s: ok ? app.total_s : null, csv_s: csvSeconds, ratio: ok ? ratio(app.total_s, csvSeconds) : null,
    peak_rss_mb: ok ? most(xRuns.map((r) => r.side.peak_rss_mb)) : null,
    rss_before_mb: ok ? most(xRuns.map((r) => r.before)) : null, growth_mb: ok ? most(xRuns.map((r) => r.growth)) : null,
    csv_growth_mb: csvOk ? most(csvRuns.map((r) => r.growth)) : null,
  };
  log(`export: /people.xlsx ${fig.status}: best of ${rounds} ${fig.app_s} s against CSV ${fig.csv_s} s`);
  return fig;
}
