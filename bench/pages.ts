// Pages figure: requests/s and p99 latency of /people?q=… (logged in, 50 rows), a person's page and an empty
// logged-in page (/about against a bare "hello" with the same security headers: the fixed cost of a request) under
// autocannon (10 connections for 10 s each), app server against the bare Express + EJS server, in alternating rounds.
import autocannon from 'autocannon';
import { PROXY_HEADERS, loginTo, startAppServer, startRawServer } from './servers.js';
import { cpuSeconds, log, ratio, round, type Server } from './util.js';

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
  /** server CPU time (user + system) per answered request, µs: unlike req/s, hardly moved by other load */
  app_cpu_us: number | null;
  raw_cpu_us: number | null;
  note: string;
}

export interface PagesFigure {
  pages: PageTimes[];
  /** app ÷ bare for a person's page, /people?q=… and the empty page (/about ÷ /hello) */
  person_ratio: number | null;
  search_ratio: number | null;
  empty_ratio: number | null;
  /** the lower of the two pages' requests/s (the one that sets the ratio) */
  app_rps: number | null;
  raw_rps: number | null;
  /** the worse (lower) per-page ratio app ÷ bare */
  ratio: number | null;
  /** the worse (higher) p99 of the two app pages */
  app_p99_ms: number | null;
}

interface Side {
  name: string;
  server: Server;
  headers: Record<string, string>;
}

interface Load {
  rps: number | null;
  p99: number | null;
  cpuUs: number | null;
  rows: number;
  note: string;
}

/** Rows of a list, or project links on a person's page: counted from the HTML, to see both pages show the same. */
function rowsIn(html: string, path: string): number {
  if (path === '/about' || path === '/hello') return 0;
  if (path.startsWith('/people?')) return (html.match(/<a href="\/people\/\d+"/g) ?? []).length;
  return (html.match(/href="\/projects\/\d+"/g) ?? []).length;
}

/** Checks the page answers 200 and warms it up; returns the row count or the reason it cannot be loaded. */
async function prepare(side: Side, path: string): Promise<{ rows: number; note: string }> {
  const url = side.server.url + path;
  const first = await fetch(url, { headers: side.headers, redirect: 'manual' });
  const html = await first.text();
  if (first.status !== 200) return { rows: 0, note: `answers ${first.status}` };
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers: side.headers })).arrayBuffer();
  return { rows: rowsIn(html, path), note: '' };
}

/**
 * Loads both servers in alternating rounds of about 2 s (app, bare, bare, app, …) until each had `duration`
 * seconds, so a burst of load from elsewhere on the machine hits both alike. req/s = all 2xx answers ÷ seconds;
 * p99 = the request-weighted mean of the rounds' p99.
 */
async function loadBoth(sides: Side[], pathOf: (side: number) => string, connections: number, duration: number): Promise<Load[]> {
  const ready = await Promise.all(sides.map((s, i) => prepare(s, pathOf(i))));
  const rounds = Math.max(1, Math.floor(duration / 2));
  const slices = Array.from({ length: rounds }, (_, i) => Math.floor(duration / rounds) + (i < duration % rounds ? 1 : 0));
  const acc = sides.map(() => ({ ok: 0, seconds: 0, p99w: 0, cpu: 0 as number | null, bad: '' }));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...sides.keys()].reverse() : [...sides.keys()];
    for (const i of order) {
      if (ready[i]!.note || acc[i]!.bad) continue;
      const cpu0 = cpuSeconds(sides[i]!.server.pid);
      const res = await autocannon({ url: sides[i]!.server.url + pathOf(i), connections, duration: slices[r]!, headers: sides[i]!.headers });
      const cpu1 = cpuSeconds(sides[i]!.server.pid);
      acc[i]!.cpu = cpu0 === null || cpu1 === null || acc[i]!.cpu === null ? null : acc[i]!.cpu! + cpu1 - cpu0;
      if (res.non2xx + res.errors + res.timeouts > 0 || res['2xx'] === 0) {
        acc[i]!.bad = `${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`;
        continue;
      }
      acc[i]!.ok += res['2xx'];
      acc[i]!.seconds += res.duration;
      acc[i]!.p99w += res.latency.p99 * res['2xx'];
    }
  }
  return sides.map((_, i) => {
    const a = acc[i]!;
    const note = ready[i]!.note || a.bad;
    if (note) return { rps: null, p99: null, cpuUs: null, rows: ready[i]!.rows, note };
    return { rps: round(a.ok / a.seconds, 0), p99: round(a.p99w / a.ok, 1), cpuUs: a.cpu === null ? null : round((a.cpu / a.ok) * 1e6, 0), rows: ready[i]!.rows, note: '' };
  });
}

export async function pagesFigure(file: string, personId: number, q: string, connections: number, duration: number): Promise<PagesFigure> {
  const paths = [
    { key: 'search', name: `/people?q=${q}`, path: `/people?q=${encodeURIComponent(q)}`, bare: `/people?q=${encodeURIComponent(q)}` },
    { key: 'person', name: "a person's page", path: `/people/${personId}`, bare: `/people/${personId}` },
    { key: 'empty', name: 'an empty page (/about ÷ bare /hello)', path: '/about', bare: '/hello' },
  ] as const;
  const ratios: Record<string, number | null> = { search: null, person: null, empty: null };
  const app = await startAppServer(file);
  let raw: Server | null = null;
  const pages: PageTimes[] = [];
  try {
    raw = await startRawServer(file);
    const cookie = await loginTo(app);
    const sides: Side[] = [{ name: 'app', server: app, headers: { ...PROXY_HEADERS, cookie } }, { name: 'bare', server: raw, headers: { ...PROXY_HEADERS } }];
    for (const p of paths) {
      const [a, b] = (await loadBoth(sides, (i) => (i === 0 ? p.path : p.bare), connections, duration)) as [Load, Load];
      ratios[p.key] = ratio(a.rps, b.rps);
      log(`pages: ${p.name}: app ${a.rps} req/s, p99 ${a.p99} ms, ${a.cpuUs} µs CPU/request ${a.note}; bare ${b.rps} req/s, p99 ${b.p99} ms, ${b.cpuUs} µs CPU/request ${b.note}`);
      pages.push({
        name: p.name, path: p.path, app_rps: a.rps, raw_rps: b.rps, ratio: ratio(a.rps, b.rps), app_p99_ms: a.p99, raw_p99_ms: b.p99,
        app_rows: a.rows, raw_rows: b.rows, app_cpu_us: a.cpuUs, raw_cpu_us: b.cpuUs, note: [a.note && `app: ${a.note}`, b.note && `bare: ${b.note}`].filter(Boolean).join('; '),
      });
    }
  } finally {
    await app.stop();
    await raw?.stop();
  }
  // the headline ratio is the worse of the two real pages; the empty page shows the fixed cost on its own
  const real = pages.slice(0, 2);
  const measured = real.filter((p) => p.ratio !== null);
  const worst = measured.length ? measured.reduce((w, p) => (p.ratio! < w.ratio! ? p : w)) : null;
  const p99s = real.map((p) => p.app_p99_ms).filter((v): v is number => v !== null);
  return {
    pages,
    app_rps: worst?.app_rps ?? null,
    raw_rps: worst?.raw_rps ?? null,
    ratio: worst?.ratio ?? null,
    app_p99_ms: p99s.length === real.length ? Math.max(...p99s) : null,
    person_ratio: ratios.person ?? null,
    search_ratio: ratios.search ?? null,
    empty_ratio: ratios.empty ?? null,
  };
}
