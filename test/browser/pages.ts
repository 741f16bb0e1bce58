// The main pages, each in the state a user sees it. pages.test.ts runs every check on every entry in both
// languages: axe (WCAG 2.1 A/AA), the Nu HTML Checker, no raw message keys or English left in German, no
// sideways scrolling at 375 px, and screenshots at 375 and 1280 px.
//
// A new screen adds ONE entry here (its form, its 422 state, its empty state...); nothing else to change.
import type { Page } from 'playwright-core';
import type { Locale } from '../../src/i18n/i18n.js';
import type { Fixture } from './fixtures.js';
import type { BrowserHarness } from './support.js';

export interface MainPage {
  /** unique, used in file names */
  name: string;
  /** admin: logged in (an English or a German admin); anonymous: no session; empty: a fresh install without users */
  as: 'admin' | 'anonymous' | 'empty';
  path(f: Fixture): string;
  /** the status the page should end with (default 200) */
  status?: number;
  /** brings the page into the state to check (fill and submit a form...); returns the new document's status */
  act?(page: Page, h: BrowserHarness, locale: Locale): Promise<number>;
}

/** Submits the page's main form (the last one with a primary button) without filling it further. */
const submitMain = (page: Page, h: BrowserHarness) => h.navigate(page, page.locator('main form button.primary').last());

export const MAIN_PAGES: MainPage[] = [
  // accounts
  { name: 'setup', as: 'empty', path: () => '/setup' },
  {
    name: 'setup-invalid', as: 'empty', path: () => '/setup', status: 422,
    async act(page, h) {
      await page.locator('#password').fill('short');
      return submitMain(page, h);
    },
  },
  { name: 'login', as: 'anonymous', path: () => '/login' },
  {
    name: 'login-failed', as: 'anonymous', path: () => '/login', status: 401,
    async act(page, h) {
      await page.locator('#email').fill('nobody@example.org');
      await page.locator('#password').fill('wrong password');
      return submitMain(page, h);
    },
  },
  { name: 'own-password', as: 'admin', path: () => '/account/password' },
  { name: 'not-found', as: 'admin', path: () => '/no-such-page', status: 404 },
  { name: 'home', as: 'admin', path: () => '/' },

  // people
  { name: 'people', as: 'admin', path: () => '/people' },
  { name: 'people-search', as: 'admin', path: () => '/people?skill=Web+design&skill=Accounting&city=Leipzig' },
  { name: 'people-unknown-skill', as: 'admin', path: () => '/people?skill=Underwater+basket+weaving' },
  { name: 'people-no-match', as: 'admin', path: () => '/people?q=zzzzzz' },
  { name: 'person', as: 'admin', path: (f) => `/people/${f.people.clara}` },
  { name: 'person-dnc', as: 'admin', path: (f) => `/people/${f.people.mia}` },
  { name: 'person-new', as: 'admin', path: () => '/people/new' },
  {
    name: 'person-new-invalid', as: 'admin', path: () => '/people/new', status: 422,
    async act(page, h) {
      await page.locator('#email').fill('not an e-mail');
      await page.locator('#portfolio_url').fill('javascript:alert(1)');
      return submitMain(page, h);
    },
  },
  { name: 'person-edit', as: 'admin', path: (f) => `/people/${f.people.clara}/edit` },
  { name: 'person-delete', as: 'admin', path: (f) => `/people/${f.people.mia}/delete` },

  // skills
  { name: 'skills', as: 'admin', path: () => '/skills' },
  { name: 'skill-new', as: 'admin', path: () => '/skills/new' },
  { name: 'skill-new-invalid', as: 'admin', path: () => '/skills/new', status: 422, act: (page, h) => submitMain(page, h) },
  { name: 'skill-edit', as: 'admin', path: (f) => `/skills/${f.skills.webDesign}/edit` },
  { name: 'skill-merge', as: 'admin', path: (f) => `/skills/${f.skills.bookkeeping}/merge` },
  { name: 'skill-merge-invalid', as: 'admin', path: (f) => `/skills/${f.skills.bookkeeping}/merge`, status: 422,
    async act(page, h) {
      // the browser would stop an empty required choice; the server's 422 is what we check here
      await page.locator('#into').evaluate((el) => el.removeAttribute('required'));
      return submitMain(page, h);
    },
  },
  { name: 'skill-delete', as: 'admin', path: (f) => `/skills/${f.skills.photography}/delete` },

  // users and settings
  { name: 'users', as: 'admin', path: () => '/users' },
  { name: 'user-new', as: 'admin', path: () => '/users/new' },
  {
    name: 'user-new-invalid', as: 'admin', path: () => '/users/new', status: 422,
    async act(page, h) {
      await page.locator('#email').fill('not an e-mail');
      return submitMain(page, h);
    },
  },
  {
    name: 'user-invited', as: 'admin', path: () => '/users/new',
    async act(page, h, locale) {
      await page.locator('#email').fill(`invitee-${locale}@example.org`);
      await page.locator('#name').fill('Invited Person');
      await page.locator('#organisation_id').selectOption({ index: 1 });
      return submitMain(page, h);
    },
  },
  { name: 'user-edit', as: 'admin', path: (f) => `/users/${f.users.adminDe}/edit` },

  // placeholders today; the screens that replace them are checked from the day they land
  { name: 'organisations', as: 'admin', path: () => '/organisations' },
  { name: 'projects', as: 'admin', path: () => '/projects' },
  { name: 'imports', as: 'admin', path: () => '/imports' },
];
