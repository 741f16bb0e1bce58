// Pages figure: requests/s and p99 latency of /people?q=… (logged in, 50 rows) and a person's page under
// autocannon (10 connections for 10 s), app server against the bare Express + EJS server, one after the other.
import autocannon from 'autocannon';
import { PROXY_HEADERS, login, startAppServer, startRawServer } from './servers.js';
import { log, ratio, round, type Server } from './util.js';

export interface PageTimes {
  name: string;
  path: string;
  app_rps: number | null;
  raw_rps: number | null;
  ratio: number | null;
  app_p99_ms: number | null;
  raw_p99_ms: number | null;
  app_rows: number;
  raw_rows: number;
  note: string;
}

export interface PagesFigure {
  pages: PageTimes[];
  /** the lower of the two pages' requests/s (the one that sets the ratio) */
  app_rps: number | null;
  raw_rps: number | null;
  /** the worse (lower) per-page ratio app ÷ bare */
  ratio: number | null;
  /** the worse (higher) p99 of the two app pages */
  app_p99_ms: number | null;
}

interface Load {
  rps: number | null;
  p99: number | null;
  rows: number;
  note: string;
}

/** Rows of a list, or sections of a person's page: counted from the HTML, to see both pages show the same. */
function rowsIn(html: string, path: string): number {
  if (path.startsWith('/people?')) return (html.match(/<a href="\/people\/\d+"/g) ?? []).length;
  return (html.match(/href="\/projects\/\d+"/g) ?? []).length;
}

async function load(server: Server, path: string, headers: Record<string, string>, connections: number, duration: number): Promise<Load> {
  const url = server.url + path;
  const first = await fetch(url, { headers, redirect: 'manual' });
  const html = await first.text();
  if (first.status !== 200) return { rps: null, p99: null, rows: 0, note: `answers ${first.status}` };
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer();
  const r = await autocannon({ url, connections, duration, headers });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0 || r['2xx'] === 0) {
    return { rps: null, p99: null, rows: rowsIn(html, path), note: `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` };
  }
  return { rps: round(r.requests.average, 0), p99: round(r.latency.p99, 1), rows: rowsIn(html, path), note: '' };
}

export async function pagesFigure(file: string, personId: number, q: string, connections: number, duration: number): Promise<PagesFigure> {
  const paths = [
    { name: `/people?q=${q}`, path: `/people?q=${encodeURIComponent(q)}` },
    { name: "a person's page", path: `/people/${personId}` },
  ];
  const app = await startAppServer(file);
  let raw: Server | null = null;
  const pages: PageTimes[] = [];
  try {
    raw = await startRawServer(file);
    const cookie = await login(app.url);
    for (const p of paths) {
      const a = await load(app, p.path, { ...PROXY_HEADERS, cookie }, connections, duration);
      log(`pages: app ${p.name}: ${a.rps} req/s, p99 ${a.p99} ms ${a.note}`);
      const b = await load(raw, p.path, { ...PROXY_HEADERS }, connections, duration);
      log(`pages: bare ${p.name}: ${b.rps} req/s, p99 ${b.p99} ms ${b.note}`);
      pages.push({
        name: p.name, path: p.path, app_rps: a.rps, raw_rps: b.rps, ratio: ratio(a.rps, b.rps), app_p99_ms: a.p99, raw_p99_ms: b.p99,
        app_rows: a.rows, raw_rows: b.rows, note: [a.note && `app: ${a.note}`, b.note && `bare: ${b.note}`].filter(Boolean).join('; '),
      });
    }
  } finally {
    await app.stop();
    await raw?.stop();
  }
  const measured = pages.filter((p) => p.ratio !== null);
  const worst = measured.length ? measured.reduce((w, p) => (p.ratio! < w.ratio! ? p : w)) : null;
  const p99s = pages.map((p) => p.app_p99_ms).filter((v): v is number => v !== null);
  return {
    pages,
    app_rps: worst?.app_rps ?? null,
    raw_rps: worst?.raw_rps ?? null,
    ratio: worst?.ratio ?? null,
    app_p99_ms: p99s.length === pages.length ? Math.max(...p99s) : null,
  };
}
