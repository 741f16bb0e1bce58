// Browser-suite harness: the real app on a temp SQLite file, Debian's Chromium through playwright-core, pages that
// fail their test on a console error or an uncaught exception, and a screenshot + HTML in test-results/ on failure.
//
// In a describe block:   const h = useBrowser({ seed: seedDirectory });
//   h.it('does x', async () => { const page = await h.newPage(); await h.login(page, ADMIN.email); ... });
//   h.step(...) is h.it for journeys: once a step fails, the later steps of that describe are skipped.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page, type Response as PwResponse } from 'playwright-core';
import type { Knex } from 'knex';
import type { Context, Suite } from 'mocha';
import { createApp, type App } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config.js';
import { createDb, migrate } from '../../src/db.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import type { Locale } from '../../src/i18n/i18n.js';
import { hashPassword } from '../../src/users/passwords.service.js';
import { insertUser, updateUser } from '../../src/users/users.queries.js';
import type { Role } from '../../src/users/roles.domain.js';

export const RESULTS_DIR = path.resolve('test-results');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';

// ---------------------------------------------------------------- missing translations, recorded while rendering
/** Every message key looked up during the run that the catalog lacks, as "de:people.title" (see assertNoMissingMessages). */
export const missingMessages = new Set<string>();
for (const loc of ['en', 'de'] as const) {
  const messages = catalog[loc];
  catalog[loc] = new Proxy(messages, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^[A-Za-z]\w*\.[\w.-]+$/.test(key) && !(key in target)) missingMessages.add(`${loc}:${key}`);
      return Reflect.get(target, key, receiver);
    },
  });
}

// ---------------------------------------------------------------- the app
export interface TestServer {
  url: string;
  db: Knex;
  app: App;
  close(): Promise<void>;
}

/** The real app on a fresh, migrated SQLite file in a temp folder, listening on 127.0.0.1 on a free port.
 *  `configFor` may add settings that depend on the app's own address (single sign-on needs it). */
export async function startServer(configFor?: (url: string) => Partial<Config>): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-browser-'));
  let app: App | null = null;
  const server = http.createServer((req, res) => app!(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config = testConfig({ databaseFile: path.join(dir, 'skillnet.sqlite'), dataDir: dir, ...(configFor?.(url) ?? {}) });
  const db = createDb(config);
  await migrate(db);
  const ready = createApp({ db, config, loginAttempts: 1000 });
  app = ready;
  return {
    url,
    db,
    app: ready,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ready.shutdown();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cachedHash: string | null = null;

/** Adds an account directly (password PASSWORD), optionally with its language. */
export async function addUser(db: Knex, u: { email: string; name: string; role: Role; locale?: Locale }): Promise<number> {
  cachedHash ??= await hashPassword(PASSWORD);
  const id = await insertUser(db, { email: u.email, name: u.name, role: u.role, passwordHash: cachedHash });
  if (u.locale) await updateUser(db, id, { locale: u.locale });
  return id;
}

// ---------------------------------------------------------------- the browser
let browserPromise: Promise<Browser> | null = null;

/** One Chromium for the whole run (closed by the root after-hook below). */
export function sharedBrowser(): Promise<Browser> {
  browserPromise ??= chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return browserPromise;
}

after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

export interface PageOptions {
  /** the browser's language (Accept-Language); a logged-in user's own setting wins in the app */
  locale?: Locale;
  width?: number;
  height?: number;
  /** only for pages that need a script tag injected; everything else runs under the app's real CSP */
  bypassCSP?: boolean;
  /** starts logged in as this account (password PASSWORD; logged in once per describe, then the cookie is reused,
   *  so don't log such a page out: use login() on a plain page for that) */
  user?: string;
}

interface Tracked {
  context: BrowserContext;
  page: Page;
  label: string;
  /** console errors and uncaught exceptions */
  problems: { text: string; url: string }[];
  /** main-frame documents with a 4xx/5xx status (the browser logs those; they are expected on 404/422 pages) */
  errorDocuments: Set<string>;
  /** the last main-frame document response that was not a redirect */
  lastDocument: PwResponse | null;
  keep: boolean;
}

function documentStatus(t: Tracked): number | undefined {
  return t.lastDocument?.status();
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
}

export interface BrowserHarness {
  readonly server: TestServer;
  readonly browser: Browser;
  /** absolute URL of an app path */
  url(p: string): string;
  /** a new page in its own context, closed after the current test */
  newPage(opts?: PageOptions): Promise<Page>;
  /** a new page that lives until the end of the describe block (journeys) */
  keptPage(opts?: PageOptions): Promise<Page>;
  /** one page per account, language and CSP mode, reused by every test of the describe block that asks for the same
   *  (much cheaper than a context per test); the viewport is reset to the requested size on each call */
  sharedPage(opts?: PageOptions): Promise<Page>;
  /** goes to an app path and returns the final document's status */
  goto(page: Page, p: string): Promise<number>;
  /** clicks something that loads a new document and waits for it; returns its status */
  navigate(page: Page, target: Locator): Promise<number>;
  /** logs in through the real form */
  login(page: Page, email: string, password?: string): Promise<void>;
  /** the raw HTML the server sent for the page's current document (not the browser's re-serialisation) */
  sourceOf(page: Page): Promise<string>;
  /** console errors / page errors seen on a page so far */
  problemsOf(page: Page): string[];
  it(title: string, fn: (this: Context) => Promise<void>): void;
  step(title: string, fn: (this: Context) => Promise<void>): void;
}

/**
 * Registers before/after hooks in the current describe: a fresh server (seeded by `seed`), the shared
 * browser, artifacts on failure, and cleanup of pages.
 */
export function useBrowser(opts: { seed?: (server: TestServer) => Promise<void>; config?: (url: string) => Partial<Config> } = {}): BrowserHarness {
  let server: TestServer | null = null;
  let browser: Browser | null = null;
  const open: Tracked[] = [];
  const shared = new Map<string, Page>();
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

  const trackedOf = (page: Page): Tracked => {
    const t = open.find((o) => o.page === page);
    if (!t) throw new Error('page not opened through the harness');
    return t;
  };

  const problemsOf = (page: Page): string[] => {
    const t = trackedOf(page);
    return t.problems
      .filter((p) => !(p.text.includes('Failed to load resource: the server responded') && t.errorDocuments.has(p.url)))
      .map((p) => (p.url ? `${p.text} (${p.url})` : p.text));
  };

  async function openPage(o: PageOptions, keep: boolean): Promise<Page> {
    if (!browser) throw new Error('browser not started');
    const locale = o.locale ?? 'en';
    let storageState: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;
    if (o.user) {
      storageState = sessions.get(o.user);
      if (!storageState) {
        const p = await openPage({ locale }, false);
        await harness.login(p, o.user);
        storageState = await p.context().storageState();
        sessions.set(o.user, storageState);
        await closeTracked(trackedOf(p));
      }
    }
    const context = await browser.newContext({
      storageState,
      locale: locale === 'de' ? 'de-DE' : 'en-GB',
      extraHTTPHeaders: { 'Accept-Language': locale === 'de' ? 'de-DE,de;q=0.9' : 'en-GB,en;q=0.9' },
      viewport: { width: o.width ?? 1280, height: o.height ?? 900 },
      bypassCSP: o.bypassCSP ?? false,
      timezoneId: 'Europe/Berlin',
    });
    // tsx compiles with keepNames, so functions passed to page.evaluate call esbuild's __name helper
    await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
    const page = await context.newPage();
    const t: Tracked = { context, page, label: `page${open.length + 1}`, problems: [], errorDocuments: new Set(), lastDocument: null, keep };
    page.on('console', (msg) => {
      if (msg.type() === 'error') t.problems.push({ text: `console error: ${msg.text()}`, url: msg.location().url });
    });
    page.on('pageerror', (err) => t.problems.push({ text: `uncaught: ${err.message}`, url: '' }));
    page.on('response', (res) => {
      const req = res.request();
      if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return;
      if (res.status() >= 400) t.errorDocuments.add(res.url());
      if (res.status() < 300 || res.status() >= 400) t.lastDocument = res;
    });
    open.push(t);
    return page;
  }

  async function closeTracked(t: Tracked): Promise<void> {
    open.splice(open.indexOf(t), 1);
    await t.context.close().catch(() => undefined);
  }

  async function saveArtifacts(title: string): Promise<void> {
    const dir = path.join(RESULTS_DIR, 'failures');
    mkdirSync(dir, { recursive: true });
    for (const t of open) {
      if (t.page.isClosed()) continue;
      const base = path.join(dir, `${slug(title)}-${t.label}`);
      try {
        await t.page.screenshot({ path: `${base}.png`, fullPage: true });
        writeFileSync(`${base}.html`, await t.page.content());
        process.stderr.write(`    saved ${path.relative(process.cwd(), base)}.png/.html (${t.page.url()})\n`);
      } catch (err) {
        process.stderr.write(`    could not save artifacts for ${t.page.url()}: ${(err as Error).message}\n`);
      }
    }
  }

  before(async function () {
    server = await startServer(opts.config);
    browser = await sharedBrowser();
    if (opts.seed) await opts.seed(server);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed') await saveArtifacts(test.fullTitle());
    for (const t of open.filter((o) => !o.keep)) await closeTracked(t);
  });

  after(async () => {
    sessions.clear();
    shared.clear();
    for (const t of [...open]) await closeTracked(t);
    if (server) await server.close();
  });

  const url = (p: string) => {
    if (!server) throw new Error('server not started');
    return server.url + p;
  };

  function wrap(fn: (this: Context) => Promise<void>, isStep: boolean) {
    return async function (this: Context) {
      const suite = this.test?.parent as (Suite & { stepFailed?: boolean }) | undefined;
      if (isStep && suite?.stepFailed) this.skip();
      const seen = new Map(open.map((t) => [t, problemsOf(t.page).length]));
      try {
        await fn.call(this);
        const fresh = open.flatMap((t) => problemsOf(t.page).slice(seen.get(t) ?? 0).map((p) => `${t.page.url()}: ${p}`));
        if (fresh.length) throw new Error(`the page reported errors:\n  ${fresh.join('\n  ')}`);
      } catch (err) {
        if (isStep && suite) suite.stepFailed = true;
        throw err;
      }
    };
  }

  const harness: BrowserHarness = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('browser not started');
      return browser;
    },
    url,
    newPage: (o = {}) => openPage(o, false),
    keptPage: (o = {}) => openPage(o, true),
    async sharedPage(o = {}) {
      const key = JSON.stringify([o.user ?? null, o.locale ?? 'en', o.bypassCSP ?? false]);
      let page = shared.get(key);
      if (!page || page.isClosed()) {
        page = await openPage(o, true);
        shared.set(key, page);
      } else {
        await page.setViewportSize({ width: o.width ?? 1280, height: o.height ?? 900 });
      }
      return page;
    },
    async goto(page, p) {
      const t = trackedOf(page);
      t.lastDocument = null;
      const res = await page.goto(url(p));
      return documentStatus(t) ?? res?.status() ?? 0;
    },
    async navigate(page, target) {
      const t = trackedOf(page);
      t.lastDocument = null;
      const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
      return documentStatus(t) ?? res?.status() ?? 0;
    },
    async login(page, email, password = PASSWORD) {
      await page.goto(url('/login'));
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(password);
      const status = await this.navigate(page, page.locator('form[action="/login"] button[type=submit]'));
      if (status !== 200 || new URL(page.url()).pathname === '/login') throw new Error(`login failed for ${email} (${status})`);
    },
    async sourceOf(page) {
      const doc = trackedOf(page).lastDocument;
      if (!doc) throw new Error(`no document loaded on ${page.url()}`);
      return doc.text();
    },
    problemsOf,
    it: (title, fn) => it(title, wrap(fn, false)),
    step: (title, fn) => it(title, wrap(fn, true)),
  };
  return harness;
}

/** Fails with the list of message keys that were looked up but are missing (German falls back to English). */
export function assertNoMissingMessages(): void {
  if (missingMessages.size) throw new Error(`messages missing while rendering: ${[...missingMessages].sort().join(', ')}`);
}
