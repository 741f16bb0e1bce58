// API figures (issue 17), against the app server itself (`skillnet serve`, production settings):
// 1. GET /api/v1/people?skill=…&city=… beside GET /people with the same search (the HTML page, logged in):
//    p95 of the whole answer on loopback, alternating, so machine noise hits both alike. Target ≤ 1.2.
// 2. Cursor paging through everyone (`dnc=1`) in pages of 500 beside the full /people.csv?dnc=1. Target ≤ 2.
// The token is made in the database before the server starts; the rate limit counts every request as usual
// (its database write included) but is set high enough not to refuse the benchmark's own requests.
import { createDb } from '../src/db.js';
import { createApiToken } from '../src/api/tokens.queries.js';
import { ADMIN_EMAIL } from './data.js';
import { benchEnv, listeningLine, loginTo, PROXY_HEADERS } from './servers.js';
import { log, percentile, ratio, round, startServerChild, type Server } from './util.js';

export interface ApiFigure {
  status: string;
  list_p95_ms: number | null;
  html_p95_ms: number | null;
  list_ratio: number | null;
  paging_s: number | null;
  csv_s: number | null;
  paging_ratio: number | null;
  pages: number;
  rows: number;
  csv_rows: number;
}

const SEARCH = 'skill=WordPress&city=Berlin';

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; status: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { ...PROXY_HEADERS, ...headers }, redirect: 'manual' });
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, text };
}

export async function apiFigure(file: string, runs: number): Promise<ApiFigure> {
  const db = createDb({ databaseFile: file });
  let token: string;
  try {
    const admin = await db('users').where({ email: ADMIN_EMAIL }).first('id');
    token = (await createApiToken(db, { userId: admin.id, label: 'bench', source: 'cli' }, { userId: admin.id, name: 'bench', scope: 'read' })).token;
  } finally {
    await db.destroy();
  }
  const env = (port: number) => ({ ...benchEnv(), PORT: String(port), DATABASE_URL: `sqlite:${file}`, API_RATE_PER_MINUTE: '1000000' });
  const server: Server = await startServerChild(['bin/skillnet.js', 'serve'], env, 'skillnet serve', listeningLine);
  const fig: ApiFigure = { status: 'ok', list_p95_ms: null, html_p95_ms: null, list_ratio: null, paging_s: null, csv_s: null, paging_ratio: null, pages: 0, rows: 0, csv_rows: 0 };
  try {
    const cookie = await loginTo(server);
    const bearer = { authorization: `Bearer ${token}` };
    const api: number[] = [];
    const html: number[] = [];
    // warm both (search snapshot, view cache)
    await timed(`${server.url}/people?${SEARCH}`, { cookie });
    await timed(`${server.url}/api/v1/people?${SEARCH}`, bearer);
    for (let i = 0; i < runs; i++) {
      const a = await timed(`${server.url}/api/v1/people?${SEARCH}`, bearer);
      const h = await timed(`${server.url}/people?${SEARCH}`, { cookie });
      if (a.status !== 200 || h.status !== 200) throw new Error(`API ${a.status}, page ${h.status}`);
      api.push(a.ms);
      html.push(h.ms);
    }
    fig.list_p95_ms = round(percentile(api, 95), 2);
    fig.html_p95_ms = round(percentile(html, 95), 2);
    fig.list_ratio = ratio(fig.list_p95_ms, fig.html_p95_ms);
    log(`api: list p95 ${fig.list_p95_ms} ms vs page p95 ${fig.html_p95_ms} ms`);

    const t0 = performance.now();
    let url: string | null = `${server.url}/api/v1/people?dnc=1&limit=500`;
    while (url) {
      const r = await timed(url, bearer);
      if (r.status !== 200) throw new Error(`paging answered ${r.status}`);
      const body = JSON.parse(r.text) as { data: unknown[]; next: string | null };
      fig.pages++;
      fig.rows += body.data.length;
      url = body.next ? `${server.url}/api/v1/people?dnc=1&limit=500&cursor=${body.next}` : null;
    }
    fig.paging_s = round((performance.now() - t0) / 1000, 3);
    const csv = await timed(`${server.url}/people.csv?dnc=1`, { cookie });
    if (csv.status !== 200) throw new Error(`/people.csv answered ${csv.status}`);
    fig.csv_s = round(csv.ms / 1000, 3);
    fig.csv_rows = csv.text.split('\r\n').filter(Boolean).length - 1;
    fig.paging_ratio = ratio(fig.paging_s, fig.csv_s);
    log(`api: paged ${fig.rows} people in ${fig.pages} pages in ${fig.paging_s} s vs /people.csv ${fig.csv_rows} rows in ${fig.csv_s} s`);
  } catch (err) {
    fig.status = (err as Error).message;
  } finally {
    await server.stop();
  }
  return fig;
}
