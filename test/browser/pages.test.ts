// Every main page (pages.ts) in English and German: zero axe violations (WCAG 2.1 A + AA), no raw message key
// and no English fallback on German pages, no sideways scrolling at 375 px, screenshots at 375 and 1280 px,
// then one run of the Nu HTML Checker over all the pages' HTML as the server sent it.
import { expect } from 'chai';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locale } from '../../src/i18n/i18n.js';
import { axeViolations, englishLeftovers, horizontalOverflow, identifiers, rawKeys, readableStrings, vnuErrors } from './checks.js';
import { ADMIN, ADMIN_DE, seedAccounts, seedDirectory, seeded, type Fixture } from './fixtures.js';
import { MAIN_PAGES, type MainPage } from './pages.js';
import { RESULTS_DIR, assertNoMissingMessages, useBrowser, type BrowserHarness } from './support.js';

const LOCALES: Locale[] = ['en', 'de'];
const HTML_DIR = path.join(RESULTS_DIR, 'html');
const SHOTS_DIR = path.join(RESULTS_DIR, 'screenshots');
const htmlFiles: string[] = [];
/** a fresh install (or one with only its accounts) has no directory: its pages' paths take no ids */
const NO_FIXTURE = new Proxy({} as Fixture, { get: () => { throw new Error('a fresh install has no fixture'); } });

before(() => {
  rmSync(HTML_DIR, { recursive: true, force: true });
  mkdirSync(HTML_DIR, { recursive: true });
  mkdirSync(SHOTS_DIR, { recursive: true });
});

function checkPage(h: BrowserHarness, p: MainPage, locale: Locale) {
  h.it(`${p.name} [${locale}]`, async () => {
    const user = p.as === 'admin' ? (locale === 'de' ? ADMIN_DE.email : ADMIN.email) : undefined;
    const page = await h.sharedPage({ locale, user });
    let status = await h.goto(page, p.path(p.as === 'empty' || p.bare ? NO_FIXTURE : seeded()));
    if (p.act) status = await p.act(page, h, locale);
    expect(status, `status of ${page.url()}`).to.equal(p.status ?? 200);
    expect(await page.locator('html').getAttribute('lang')).to.equal(locale);

    const file = path.join(HTML_DIR, `${p.name}-${locale}.html`);
    writeFileSync(file, await h.sourceOf(page));
    htmlFiles.push(file);

    const strings = await readableStrings(page);
    expect(rawKeys(strings), 'raw message keys on the page').to.deep.equal([]);
    expect(englishLeftovers(strings, locale), 'English messages on a German page').to.deep.equal([]);
    if (!p.showsFieldNames) expect(identifiers(strings), 'column names where a label belongs').to.deep.equal([]);

    expect(await axeViolations(page), 'axe violations').to.deep.equal([]);
    await page.screenshot({ path: path.join(SHOTS_DIR, `${p.name}-${locale}-1280.png`), fullPage: true });

    await page.setViewportSize({ width: 375, height: 740 });
    await page.screenshot({ path: path.join(SHOTS_DIR, `${p.name}-${locale}-375.png`), fullPage: true });
    expect(await horizontalOverflow(page), 'px of sideways scrolling at 375 px').to.equal(0);
  });
}

describe('main pages of a fresh install', function () {
  const h = useBrowser();
  for (const locale of LOCALES) for (const p of MAIN_PAGES.filter((x) => x.as === 'empty')) checkPage(h, p, locale);
});

describe('main pages of an install with accounts but no directory yet', function () {
  const h = useBrowser({ seed: async (s) => void (await seedAccounts(s)) });
  for (const locale of LOCALES) for (const p of MAIN_PAGES.filter((x) => x.bare)) checkPage(h, p, locale);
});

describe('main pages with a directory', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });
  for (const locale of LOCALES) for (const p of MAIN_PAGES.filter((x) => x.as !== 'empty' && !x.bare)) checkPage(h, p, locale);
});

describe('all main pages together', function () {
  it('the Nu HTML Checker reports no error', async function () {
    if (!htmlFiles.length) this.skip();
    const errors = await vnuErrors(htmlFiles);
    const lines = errors.map((e) => `${path.basename(e.url ?? '')}:${e.lastLine ?? '?'}: ${e.message} [${(e.extract ?? '').replace(/\s+/g, ' ')}]`);
    expect(lines).to.deep.equal([]);
  });

  it('no page looked up a message key that English or German lacks', () => {
    assertNoMissingMessages();
  });
});
