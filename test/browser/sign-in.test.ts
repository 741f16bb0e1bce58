// Journey: single sign-on through a real OpenID Connect provider (oidc-provider on 127.0.0.1), clicked through in
// Chromium: "Sign in with …" on the login page → the provider's login and consent pages → back in Skillnet → the account
// page shows the session → log out, with the provider's logout offered.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js';
import { makeTranslator } from '../../src/i18n/i18n.js';
import { axeViolations } from './checks.js';
import { addUser, useBrowser } from './support.js';
import { startProvider, type TestProvider } from '../support/oidc.js';

const en = makeTranslator(catalog, 'en');
const path = (page: Page) => new URL(page.url()).pathname;

describe('journey: single sign-on through the provider → account page → log out', function () {
  let provider: TestProvider;
  let appUrl = '';
  before(async () => {
    provider = await startProvider(() => appUrl);
    provider.accounts['sso-sara'] = { email: 'sara@example.org', email_verified: true, name: 'Sara Single' };
  });
  after(async () => { await provider?.close(); });
  const h = useBrowser({
    config: (url) => {
      appUrl = url;
      return { publicUrl: url, oidc: provider.config() };
    },
    seed: async (s) => void (await addUser(s.db, { email: 'sara@example.org', name: 'Sara Single', role: 'manager' })),
  });
  let page: Page;
  const label = () => new URL(provider.issuer).host;

  h.step('the login page offers "Sign in with …" and passes axe', async () => {
    page = await h.keptPage();
    expect(await h.goto(page, '/login')).to.equal(200);
    const link = page.getByRole('link', { name: en('oidc.signInWith', { provider: label() }) });
    expect(await link.getAttribute('href')).to.equal('/login/oidc');
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  h.step('signs in at the provider and comes back signed in', async () => {
    // the provider's development pages ask for a web font and a favicon it does not have: answer those here
    await page.route('https://fonts.googleapis.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    await page.route(`${provider.issuer}/favicon.ico`, (r) => r.fulfill({ status: 204, body: '' }));
    await h.navigate(page, page.getByRole('link', { name: en('oidc.signInWith', { provider: label() }) }));
    expect(new URL(page.url()).origin).to.equal(provider.issuer);
    await page.locator('input[name=login]').fill('sso-sara');
    await page.locator('input[name=password]').fill('anything');
    await h.navigate(page, page.locator('button[type=submit]'));
    // the consent page, then back to Skillnet
    if (new URL(page.url()).origin === provider.issuer) await h.navigate(page, page.locator('button[type=submit]'));
    expect(page.url()).to.equal(`${h.server.url}/`);
    expect(await page.locator('.site-header .who').innerText()).to.contain('Sara Single');
  });

  h.step('the account page shows this session, signed in through single sign-on', async () => {
    expect(await h.goto(page, '/account')).to.equal(200);
    const row = page.locator('main table tbody tr', { hasText: en('account.thisSession') });
    expect(await row.innerText()).to.contain(en('account.method.oidc')).and.contain('Chrome');
    expect(await page.locator('main').innerText()).to.contain(en('account.providerLinked', { provider: provider.issuer, email: 'sara@example.org', date: '' }).split(',')[0]!);
  });

  h.step('logging out ends the session and offers the provider’s logout', async () => {
    expect(await h.navigate(page, page.getByRole('button', { name: en('nav.logout') }))).to.equal(200);
    const providerLogout = page.getByRole('link', { name: en('oidc.providerLogout', { provider: label() }) });
    expect(new URL((await providerLogout.getAttribute('href'))!).origin).to.equal(provider.issuer);
    expect(await h.goto(page, '/people')).to.equal(200);
    expect(path(page)).to.equal('/login');
  });
});
