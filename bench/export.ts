// Export figure: GET /people.csv of everyone from a freshly started app server (time to first body byte, total,
// peak RSS of the server process), against the bare server's better-sqlite3 iterate + csv-stringify stream.
// Each server is started for this figure alone, so its peak RSS is the export's (plus start-up and login).
import http from 'node:http';
import { PROXY_HEADERS, login, startAppServer, startRawServer } from './servers.js';
import { log, ratio, round, type Server } from './util.js';

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
    cookie = await login(appServer.url);
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
  /** the app's own CSV export of the same rows, for the ratio (issue 13: ≤ 2) */
  csv_s: number | null;
  ratio: number | null;
  peak_rss_mb: number | null;
}

/**
 * Workbook export figure: GET /people.xlsx of everyone from a freshly started app server, against the app's
 * own /people.csv of the same run (target: ≤ 2× its time). Peak RSS is reported so that runs at 100,000 and
 * 1,000,000 people can be compared (target: ≤ 1.3×; the streaming writer keeps it flat).
 */
export async function workbookFigure(file: string, csvSeconds: number | null): Promise<WorkbookFigure> {
  const appServer = await startAppServer(file);
  let cookie: string;
  try {
    cookie = await login(appServer.url);
  } catch (err) {
    await appServer.stop();
    throw err;
  }
  const app = await measure(appServer, '/people.xlsx?dnc=1', { ...PROXY_HEADERS, cookie });
  const ok = app.status === 200 && app.type.includes('spreadsheetml');
  const fig: WorkbookFigure = {
    status: ok ? 'ok' : app.status === 404 ? 'not available' : `answers ${app.status} ${app.type}`, app,
    app_s: ok ? app.total_s : null, csv_s: csvSeconds, ratio: ok ? ratio(app.total_s, csvSeconds) : null, peak_rss_mb: ok ? app.peak_rss_mb : null,
  };
  log(`export: /people.xlsx ${fig.status}: ${app.bytes} bytes in ${app.total_s} s (peak RSS ${app.peak_rss_mb} MB)`);
  return fig;
}
