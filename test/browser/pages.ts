// The main pages, each in the state a user sees it. pages.test.ts runs every check on every entry in both
// languages: axe (WCAG 2.1 A/AA), the Nu HTML Checker, no raw message keys or English left in German, no
// sideways scrolling at 375 px, and screenshots at 375 and 1280 px.
//
// A new screen adds ONE entry here (its form, its 422 state, its empty state...); nothing else to change.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Locale } from '../../src/i18n/i18n.js';
import type { Fixture } from './fixtures.js';
import { generate } from 'otplib';
import { addUser, PASSWORD, type BrowserHarness } from './support.js';

export interface MainPage {
  /** unique, used in file names */
  name: string;
  /** admin: logged in (an English or a German admin); anonymous: no session; empty: a fresh install without users */
  as: 'admin' | 'anonymous' | 'empty';
  /** an admin in an install that has its two admins and nothing else (the empty states of the directory) */
  bare?: boolean;
  path(f: Fixture): string;
  /** the page documents stored names (the API reference): snake_case field names are its content, not leaked keys */
  showsFieldNames?: boolean;
  /** the status the page should end with (default 200) */
  status?: number;
  /** brings the page into the state to check (fill and submit a form...); returns the new document's status */
  act?(page: Page, h: BrowserHarness, locale: Locale): Promise<number>;
}

/** Submits the page's main form (the last one with a primary button) without filling it further. */
const submitMain = (page: Page, h: BrowserHarness) => h.navigate(page, page.locator('main form button.primary').last());

/** A small CSV for the import pages: a new person with an umlaut, a skill and a skill the network lacks (the preview's
 *  unknown-skill step), and a duplicate of Clara. Its header
 *  is in the user's language, as a German office's spreadsheet would be (an English header is user data, not a leak). */
export const importCsv = (locale: Locale) => `${locale === 'de' ? 'Vorname,Nachname,E-Mail,Ort,Fähigkeiten' : 'First name,Last name,E-mail,City,Skills'}\n`
  + 'Jürgen,Müller,juergen.mueller@example.org,Köln,Web design; Fotoarbeiten\n'
  + 'Clara,Schmidt,clara@example.net,Leipzig,Accounting\n';

/** A network's history for the engagements wizard: two of the directory's people, one row with a date no calendar has. */
export const historyCsv = (locale: Locale) => `${locale === 'de' ? 'E-Mail;Organisation;Projekt;Rolle;Von;Stunden' : 'E-mail;Organisation;Project;Role;Start date;Hours'}\n`
  + 'clara@example.net;Tafel Leipzig;Neue Website;Beratung;01.03.2021;12,5\n'
  + 'jonas@example.net;Kältehilfe;Newsletter;;32.13.2021;3\n';

/** Writes `content` to a temp file named `name` and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'skillnet-upload-')), name);
  writeFileSync(file, content);
  return file;
}

type WizardStep = 'map' | 'options' | 'preview' | 'result';
const WIZARD: WizardStep[] = ['map', 'options', 'preview', 'result'];

/** Runs the import wizard from /imports/new (the page is there) up to `to`; returns the status of that page. */
export async function importTo(page: Page, h: BrowserHarness, to: WizardStep, csv: string): Promise<number> {
  await page.locator('#file').setInputFiles(tempFile('volunteers.csv', csv));
  // the upload goes through imports.js (XHR with a progress bar), which then loads the mapping page
  let status = await h.navigate(page, page.locator('main form button.primary'));
  for (const step of WIZARD.slice(1, WIZARD.indexOf(to) + 1)) {
    await page.locator('main form button.primary').last().click();
    // preview and commit pass through the progress page, which moves on by itself when the work is done
    await page.waitForURL(new RegExp(`/imports/drafts/[^/]+/${step}$`));
    await page.waitForLoadState('load');
    status = 200;
  }
  return status;
}

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
  // the box read as filters (chips with "as text"), and a search with nothing found offering looser ones
  { name: 'people-typed', as: 'admin', path: () => '/people?q=Web+design+Leipzig+Schmidt' },
  { name: 'people-looser', as: 'admin', path: () => '/people?q=Accounting+Photography+Leipzig' },
  { name: 'people-sorted-city', as: 'admin', path: () => '/people?sort=city' },
  // bulk actions: the confirmation of each kind, the project step of the shortlist, a result page
  { name: 'people-bulk-tag', as: 'admin', path: (f) => `/people/bulk?action=tag_add&scope=selected&id=${f.people.clara}&id=${f.people.jonas}` },
  { name: 'people-bulk-dnc', as: 'admin', path: () => '/people/bulk?action=dnc&scope=all&city=Leipzig' },
  { name: 'people-bulk-delete', as: 'admin', path: () => '/people/bulk?action=delete&scope=all&skill=Web+design' },
  { name: 'people-bulk-shortlist', as: 'admin', path: () => '/people/bulk?action=shortlist&scope=all&skill=Web+design&project_q=photo' },
  {
    name: 'people-bulk-tag-invalid', as: 'admin', path: () => '/people/bulk?action=tag_add&scope=all&skill=Web+design', status: 422,
    async act(page, h) {
      await page.locator('#tag').evaluate((el) => el.removeAttribute('required'));
      return submitMain(page, h);
    },
  },
  {
    name: 'people-bulk-result', as: 'admin', path: () => '/people/bulk?action=tag_add&scope=all&skill=Web+design',
    async act(page, h) {
      await page.locator('#tag').fill('Mentoring 2027');
      return submitMain(page, h);
    },
  },
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
  {
    // a second Clara Schmidt in Leipzig: the form warns before saving
    name: 'person-new-duplicate', as: 'admin', path: () => '/people/new', status: 409,
    async act(page, h) {
      await page.locator('#first_name').fill('Clara');
      await page.locator('#last_name').fill('Schmidt');
      await page.locator('#city').fill('Leipzig');
      return submitMain(page, h);
    },
  },
  { name: 'person-edit', as: 'admin', path: (f) => `/people/${f.people.clara}/edit` },
  { name: 'duplicates', as: 'admin', path: () => '/people/duplicates' },
  { name: 'people-merge', as: 'admin', path: (f) => `/people/merge?ids=${f.people.jonas}&ids=${f.people.otto}` },
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
  { name: 'user-two-factor-reset', as: 'admin', path: (f) => `/users/${f.users.adminDe}/two-factor/reset` },

  // the user's own account: sessions, two-factor sign-in (enrolment switches it on for the admin of that language)
  { name: 'account', as: 'admin', path: () => '/account' },
  { name: 'account-two-factor', as: 'admin', path: () => '/account/2fa' },
  {
    name: 'account-two-factor-invalid', as: 'admin', path: () => '/account/2fa', status: 422,
    async act(page, h) {
      await page.locator('#code').fill('000000');
      return submitMain(page, h);
    },
  },
  {
    name: 'account-recovery-codes', as: 'admin', path: () => '/account/2fa',
    async act(page, h) {
      const secret = (await page.locator('code.secret').innerText()).replace(/\s/g, '');
      await page.locator('#code').fill(await generate({ secret }));
      return submitMain(page, h);
    },
  },
  { name: 'account-with-two-factor', as: 'admin', path: () => '/account' },
  {
    name: 'login-second-step', as: 'anonymous', path: () => '/login',
    async act(page, h, locale) {
      // an account with two-factor sign-in: after its password comes the code
      const email = `second-step-${locale}@example.org`;
      if (!(await h.server.db('users').where({ email }).first())) {
        const id = await addUser(h.server.db, { email, name: 'Second Step', role: 'viewer' });
        await h.server.db('users').where({ id }).update({ totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_enabled_at: '2026-12-01T10:00:00.000Z' });
      }
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      return submitMain(page, h);
    },
  },

  // organisations
  { name: 'organisations', as: 'admin', path: () => '/organisations' },
  { name: 'organisations-no-match', as: 'admin', path: () => '/organisations?q=zzzzzz' },
  { name: 'organisation', as: 'admin', path: (f) => `/organisations/${f.organisationId}` },
  { name: 'organisation-helpers-by-skill', as: 'admin', path: (f) => `/organisations/${f.organisationId}?skill=${f.skills.accounting}` },
  { name: 'organisation-without-projects', as: 'admin', path: (f) => `/organisations/${f.emptyOrganisationId}` },
  { name: 'organisation-new', as: 'admin', path: () => '/organisations/new' },
  {
    name: 'organisation-new-invalid', as: 'admin', path: () => '/organisations/new', status: 422,
    async act(page, h) {
      await page.locator('#website').fill('javascript:alert(1)');
      await page.locator('#contact_email').fill('not an e-mail');
      return submitMain(page, h);
    },
  },
  { name: 'organisation-edit', as: 'admin', path: (f) => `/organisations/${f.organisationId}/edit` },
  { name: 'organisation-delete', as: 'admin', path: (f) => `/organisations/${f.organisationId}/delete` },
  { name: 'organisation-delete-unused', as: 'admin', path: (f) => `/organisations/${f.emptyOrganisationId}/delete` },

  // projects, their suggested helpers and engagements
  { name: 'projects', as: 'admin', path: () => '/projects' },
  { name: 'projects-no-match', as: 'admin', path: () => '/projects?status=cancelled' },
  { name: 'project', as: 'admin', path: (f) => `/projects/${f.projectId}` },
  { name: 'project-open', as: 'admin', path: (f) => `/projects/${f.openProjectId}` },
  { name: 'project-without-skills', as: 'admin', path: (f) => `/projects/${f.emptyProjectId}` },
  { name: 'project-new', as: 'admin', path: (f) => `/projects/new?organisation=${f.organisationId}` },
  {
    name: 'project-new-invalid', as: 'admin', path: () => '/projects/new', status: 422,
    async act(page, h) {
      await page.locator('#start_date').fill('2027-05-01');
      await page.locator('#end_date').fill('2027-04-01');
      return submitMain(page, h);
    },
  },
  { name: 'project-edit', as: 'admin', path: (f) => `/projects/${f.projectId}/edit` },
  { name: 'project-delete', as: 'admin', path: (f) => `/projects/${f.projectId}/delete` },
  { name: 'project-suggestions', as: 'admin', path: (f) => `/projects/${f.openProjectId}/suggestions` },
  { name: 'project-suggestions-no-skills', as: 'admin', path: (f) => `/projects/${f.emptyProjectId}/suggestions` },
  { name: 'project-suggestions-filtered-none', as: 'admin', path: (f) => `/projects/${f.openProjectId}/suggestions?city=Atlantis&remote=1&availability=limited` },
  { name: 'project-shortlist-empty', as: 'admin', path: (f) => `/projects/${f.emptyProjectId}/shortlist` },
  {
    // someone put on the shortlist from the suggestions, then asked: the shortlist with its actions and history
    name: 'project-shortlist', as: 'admin', path: (f) => `/projects/${f.openProjectId}/suggestions`,
    async act(page, h) {
      const add = page.locator('.suggestions button.primary').first();
      if (await add.count()) await h.navigate(page, add);
      return h.navigate(page, page.locator('main .page-head a[href$="/shortlist"]').first());
    },
  },
  { name: 'projects-search', as: 'admin', path: () => '/projects?q=photo&org_q=tafel' },
  { name: 'people-languages', as: 'admin', path: () => '/people/languages' },
  { name: 'engagement-new', as: 'admin', path: (f) => `/projects/${f.openProjectId}/engagements/new` },
  { name: 'engagement-new-nobody-found', as: 'admin', path: (f) => `/projects/${f.openProjectId}/engagements/new?person_id_q=zzzzzz` },
  {
    name: 'engagement-new-invalid', as: 'admin', path: (f) => `/projects/${f.openProjectId}/engagements/new`, status: 422,
    async act(page, h) {
      await page.locator('#end_date').fill('2026-01-01');
      await page.locator('#hours').fill('-3');
      await page.locator('#rate').fill('20');
      return submitMain(page, h);
    },
  },
  { name: 'engagement-edit', as: 'admin', path: (f) => `/engagements/${f.engagements.jonas}/edit` },
  { name: 'engagement-delete', as: 'admin', path: (f) => `/engagements/${f.engagements.jonas}/delete` },
  { name: 'insights', as: 'admin', path: () => '/insights' },

  // data protection
  { name: 'person-privacy', as: 'admin', path: (f) => `/people/${f.people.clara}/privacy` },
  { name: 'person-privacy-no-consents', as: 'admin', path: (f) => `/people/${f.people.otto}/privacy` },
  { name: 'consent-new', as: 'admin', path: (f) => `/people/${f.people.clara}/consents/new` },
  {
    name: 'consent-new-invalid', as: 'admin', path: (f) => `/people/${f.people.clara}/consents/new`, status: 422,
    async act(page, h) {
      await page.locator('#purpose').selectOption('other');
      return submitMain(page, h);
    },
  },
  { name: 'person-erase', as: 'admin', path: (f) => `/people/${f.people.clara}/erase` },
  { name: 'privacy-review', as: 'admin', path: () => '/privacy/review' },
  { name: 'privacy-review-none-selected', as: 'admin', path: () => '/privacy/review', status: 422, act: (page, h) => submitMain(page, h) },
  {
    name: 'privacy-review-anonymise', as: 'admin', path: () => '/privacy/review',
    async act(page, h) {
      await page.locator('main input[name=ids]').first().check();
      return h.navigate(page, page.locator('main button[value=anonymise]'));
    },
  },
  {
    name: 'privacy-review-erase', as: 'admin', path: () => '/privacy/review',
    async act(page, h) {
      await page.locator('main input[name=ids]').first().check();
      return h.navigate(page, page.locator('main button[value=erase]'));
    },
  },

  // the empty states of an install that has its accounts and nothing else yet
  { name: 'home-empty', as: 'admin', bare: true, path: () => '/' },
  { name: 'organisations-empty', as: 'admin', bare: true, path: () => '/organisations' },
  { name: 'projects-empty', as: 'admin', bare: true, path: () => '/projects' },
  { name: 'insights-empty', as: 'admin', bare: true, path: () => '/insights' },
  { name: 'privacy-review-empty', as: 'admin', bare: true, path: () => '/privacy/review' },

  // the import wizard
  { name: 'imports', as: 'admin', path: () => '/imports' },
  { name: 'imports-empty', as: 'admin', bare: true, path: () => '/imports' },
  { name: 'import-upload', as: 'admin', path: () => '/imports/new' },
  {
    name: 'import-upload-no-file', as: 'admin', path: () => '/imports/new', status: 422,
    async act(page, h) {
      // the browser would stop an empty required file field; the server's answer is what we check here
      await page.locator('#file').evaluate((el) => el.removeAttribute('required'));
      return submitMain(page, h);
    },
  },
  {
    name: 'import-upload-empty-file', as: 'admin', path: () => '/imports/new', status: 422,
    async act(page) {
      await page.locator('#file').setInputFiles(tempFile('empty.csv', ''));
      // the plain form post (imports.js would show the same page through its XHR)
      const [res] = await Promise.all([page.waitForNavigation(), page.locator('main form').evaluate((f) => (f as HTMLFormElement).submit())]);
      return res?.status() ?? 0;
    },
  },
  { name: 'import-map', as: 'admin', path: () => '/imports/new', act: (page, h, locale) => importTo(page, h, 'map', importCsv(locale)) },
  { name: 'import-options', as: 'admin', path: () => '/imports/new', act: (page, h, locale) => importTo(page, h, 'options', importCsv(locale)) },
  { name: 'import-preview', as: 'admin', path: () => '/imports/new', act: (page, h, locale) => importTo(page, h, 'preview', importCsv(locale)) },
  { name: 'import-result', as: 'admin', path: () => '/imports/new', act: (page, h, locale) => importTo(page, h, 'result', importCsv(locale)) },
  // the same wizard for a network's history (engagements)
  { name: 'import-history-upload', as: 'admin', path: () => '/imports/new?kind=engagements' },
  { name: 'import-history-map', as: 'admin', path: () => '/imports/new?kind=engagements', act: (page, h, locale) => importTo(page, h, 'map', historyCsv(locale)) },
  { name: 'import-history-options', as: 'admin', path: () => '/imports/new?kind=engagements', act: (page, h, locale) => importTo(page, h, 'options', historyCsv(locale)) },
  { name: 'import-history-preview', as: 'admin', path: () => '/imports/new?kind=engagements', act: (page, h, locale) => importTo(page, h, 'preview', historyCsv(locale)) },
  { name: 'import-history-result', as: 'admin', path: () => '/imports/new?kind=engagements', act: (page, h, locale) => importTo(page, h, 'result', historyCsv(locale)) },
  {
    name: 'import-batch', as: 'admin', path: () => '/imports/new',
    async act(page, h, locale) {
      await importTo(page, h, 'result', importCsv(locale));
      return h.navigate(page, page.locator('main .flash a'));
    },
  },
  {
    name: 'import-undo', as: 'admin', path: () => '/imports/new',
    async act(page, h, locale) {
      await importTo(page, h, 'result', importCsv(locale));
      await h.navigate(page, page.locator('main .flash a'));
      return h.navigate(page, page.locator('main .page-head a.danger'));
    },
  },

  // exports
  { name: 'export-people', as: 'admin', path: () => '/exports/people?skill=Web+design&city=Leipzig' },
  { name: 'export-people-all', as: 'admin', path: () => '/exports/people' },
  { name: 'exports', as: 'admin', path: () => '/exports' },

  // mail, a person's own link, campaigns, joining, accounts by mail
  { name: 'outbox', as: 'admin', path: () => '/outbox' },
  { name: 'outbox-empty', as: 'admin', bare: true, path: () => '/outbox' },
  { name: 'me', as: 'anonymous', path: (f) => `/me/${f.links.clara}` },
  {
    name: 'me-invalid-details', as: 'anonymous', path: (f) => `/me/${f.links.clara}`, status: 422,
    async act(page, h) {
      await page.locator('#email').fill('not an address');
      return h.navigate(page, page.locator('main form[action$="/details"] button.primary'));
    },
  },
  { name: 'me-stop', as: 'anonymous', path: (f) => `/me/${f.links.clara}/stop` },
  { name: 'me-invalid-link', as: 'anonymous', path: () => '/me/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
  { name: 'person-links', as: 'admin', path: (f) => `/people/${f.people.clara}/links` },
  {
    name: 'person-links-new', as: 'admin', path: (f) => `/people/${f.people.clara}/links`,
    act: (page, h) => h.navigate(page, page.locator('main form button:not(.primary):not(.danger)').first()),
  },
  { name: 'requests', as: 'admin', path: () => '/requests' },
  { name: 'requests-empty', as: 'admin', bare: true, path: () => '/requests' },
  { name: 'campaigns', as: 'admin', path: () => '/campaigns' },
  { name: 'campaign-new', as: 'admin', path: () => '/campaigns/new?city=Leipzig&dnc=1' },
  {
    name: 'campaign', as: 'admin', path: () => '/campaigns/new?city=Leipzig&dnc=1',
    act: (page, h) => submitMain(page, h),
  },
  { name: 'join', as: 'anonymous', path: () => '/join' },
  { name: 'join-sent', as: 'anonymous', path: () => '/join', act: (page, h) => submitMain(page, h) },
  { name: 'join-confirm-invalid', as: 'anonymous', path: () => '/join/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
  { name: 'password-forgot', as: 'anonymous', path: () => '/password/forgot' },
  {
    name: 'password-forgot-sent', as: 'anonymous', path: () => '/password/forgot',
    async act(page, h) {
      await page.locator('#email').fill('nobody@example.org');
      return submitMain(page, h);
    },
  },
  { name: 'password-set', as: 'anonymous', path: (f) => `/password/set/${f.links.adminReset}` },
  {
    name: 'password-set-invalid', as: 'anonymous', path: (f) => `/password/set/${f.links.adminReset}`, status: 422,
    async act(page, h) {
      await page.locator('#password').fill('short');
      await page.locator('#password_confirm').fill('other');
      return submitMain(page, h);
    },
  },
  { name: 'api-docs', as: 'admin', showsFieldNames: true, path: () => '/api/docs' },
  { name: 'account-tokens', as: 'admin', path: () => '/account/tokens' },
  {
    name: 'account-token-created', as: 'admin', path: () => '/account/tokens', status: 201,
    async act(page, h) {
      await page.locator('#name').fill('CRM sync');
      return submitMain(page, h);
    },
  },
  { name: 'account-token-invalid', as: 'admin', path: () => '/account/tokens', status: 422, act: (page, h) => submitMain(page, h) },
  { name: 'users-tokens', as: 'admin', path: () => '/users/tokens' },
  { name: 'webhooks', as: 'admin', path: () => '/webhooks' },
  { name: 'webhook-new', as: 'admin', path: () => '/webhooks/new' },
  { name: 'webhook-new-invalid', as: 'admin', path: () => '/webhooks/new', status: 422, act: (page, h) => submitMain(page, h) },
];
