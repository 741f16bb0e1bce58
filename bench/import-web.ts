// Web import figure (issue 19, item 4): the network's people as a CSV (the import figure's file) through the web
// wizard of a running `skillnet serve` — upload, the guessed mapping as it is, options (skip duplicates), preview,
// commit — against `skillnet import people FILE --json --on-duplicate skip` of the same file, each into its own
// fresh network with the taxonomy. Preview and commit are timed from the POST that starts the job until
// status.json says done (polled every 100 ms); the CLI from spawn to exit.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_EMAIL, ADMIN_PASSWORD, emptyNetwork, writePeopleCsv } from './data.js';
import { PROXY_HEADERS, benchEnv, loginTo, startAppServer } from './servers.js';
import { log, ratio, round, runTimed } from './util.js';
import { createDb } from '../src/db.js';
import { hashPassword } from '../src/users/passwords.service.js';
import { insertUser } from '../src/users/users.queries.js';

export interface WebImportFigure {
  status: string;
  rows: number;
  preview_s: number | null;
  commit_s: number | null;
  cli_s: number | null;
  /** (preview + commit) ÷ CLI */
  ratio: number | null;
  /** people in each database afterwards (the same when both imported the same rows) */
  web_people: number | null;
  cli_people: number | null;
}

function peopleIn(file: string): number {
  const conn = new Database(file, { readonly: true });
  try {
    return Number(conn.prepare('SELECT count(*) FROM people').pluck().get());
  } finally {
    conn.close();
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The wizard's guessed mapping, as the map form shows it selected. */
function mappingOf(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<select[^>]*name="(target_\d+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)"[^>]*\sselected/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    out[m[1]!] = chosen?.[1] ?? 'ignore';
  }
  return out;
}

async function addAdmin(file: string): Promise<void> {
  const db = createDb({ databaseFile: file });
  try {
    await insertUser(db, { email: ADMIN_EMAIL, name: 'Bench admin', role: 'admin', passwordHash: await hashPassword(ADMIN_PASSWORD) });
  } finally {
    await db.destroy();
  }
}

class Client {
  constructor(readonly base: string, readonly cookie: string) {}
  get(url: string) {
    return fetch(this.base + url, { headers: { ...PROXY_HEADERS, cookie: this.cookie }, redirect: 'manual' });
  }
  post(url: string, body: URLSearchParams | FormData) {
    return fetch(this.base + url, { method: 'POST', body, headers: { ...PROXY_HEADERS, cookie: this.cookie }, redirect: 'manual' });
  }
  /** POSTs a form of `page` with its CSRF token; returns where it redirects to. */
  async submit(page: string, action: string, fields: Record<string, string>): Promise<string> {
    const token = csrfOf(await (await this.get(page)).text());
    const res = await this.post(action, new URLSearchParams({ ...fields, _csrf: token }));
    await res.arrayBuffer();
    if (res.status !== 303 && res.status !== 302) throw new Error(`${action} answered ${res.status}`);
    return res.headers.get('location') ?? '';
  }
  /** Polls the draft's job until it is done; throws when it failed. */
  async finished(key: string): Promise<void> {
    for (;;) {
      const s = (await (await this.get(`/imports/drafts/${key}/status.json`)).json()) as { status: string };
      if (s.status === 'done') return;
      if (s.status !== 'running' && s.status !== 'waiting') throw new Error(`import job ${s.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function webImportFigure(dir: string, sourceFile: string): Promise<WebImportFigure> {
  const csv = path.join(dir, 'web-import.csv');
  const webDb = path.join(dir, 'web-import.sqlite');
  const cliDb = path.join(dir, 'web-import-cli.sqlite');
  try {
    const rows = await writePeopleCsv(sourceFile, csv);
    await emptyNetwork(webDb);
    await emptyNetwork(cliDb);
    await addAdmin(webDb);
    const fig: WebImportFigure = { status: 'ok', rows, preview_s: null, commit_s: null, cli_s: null, ratio: null, web_people: null, cli_people: null };

    const cli = await runTimed(['bin/skillnet.js', 'import', 'people', csv, '--json', '--on-duplicate', 'skip'], { ...benchEnv(), DATABASE_URL: `sqlite:${cliDb}` });
    if (cli.code !== 0) throw new Error(`CLI import failed: ${cli.stderr.slice(-500)}`);
    fig.cli_s = round(cli.seconds, 2);
    fig.cli_people = peopleIn(cliDb);

    const server = await startAppServer(webDb);
    try {
      const client = new Client(server.url, await loginTo(server));
      const form = new FormData();
      form.append('_csrf', csrfOf(await (await client.get('/imports/new')).text()));
      form.append('file', new Blob([readFileSync(csv)], { type: 'text/csv' }), 'people.csv');
      const uploaded = await client.post('/imports/new', form);
      await uploaded.arrayBuffer();
      const key = /\/imports\/drafts\/([^/]+)\/map/.exec(uploaded.headers.get('location') ?? '')?.[1];
      if (!key) throw new Error(`upload answered ${uploaded.status} → ${uploaded.headers.get('location')}`);
      const map = await (await client.get(`/imports/drafts/${key}/map`)).text();
      await client.submit(`/imports/drafts/${key}/map`, `/imports/drafts/${key}/map`, mappingOf(map));
      const t0 = performance.now();
      await client.submit(`/imports/drafts/${key}/options`, `/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes', lossy: 'keep', bad_field: 'fail' });
      await client.finished(key);
      fig.preview_s = round((performance.now() - t0) / 1000, 2);
      const t1 = performance.now();
      await client.submit(`/imports/drafts/${key}/preview`, `/imports/drafts/${key}/commit`, {});
      await client.finished(key);
      fig.commit_s = round((performance.now() - t1) / 1000, 2);
      fig.web_people = peopleIn(webDb);
      if (fig.web_people !== fig.cli_people) fig.status = `the wizard wrote ${fig.web_people} people, the CLI ${fig.cli_people}`;
      fig.ratio = ratio(round(fig.preview_s! + fig.commit_s!, 2), fig.cli_s);
    } catch (err) {
      fig.status = `web wizard: ${(err as Error).message.slice(0, 200)}`;
    } finally {
      await server.stop();
    }
    log(`web import: ${JSON.stringify(fig)}`);
    return fig;
  } finally {
    for (const f of [csv, webDb, cliDb]) for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });
  }
}
