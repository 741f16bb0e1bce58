// Journey: a network's history through the import wizard (the people wizard's steps with the history's fields),
// a row with an unreadable date taken without it and its person tagged for review, then undone.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { makeTranslator } from '../../src/i18n/i18n.js';
import { ADMIN, seedDirectory } from './fixtures.js';
import { historyCsv, tempFile } from './pages.js';
import { assertNoMissingMessages, useBrowser } from './support.js';

const en = makeTranslator(catalog, 'en');
const text = (page: Page, selector: string) => page.locator(selector).innerText();
const path = (page: Page) => new URL(page.url()).pathname;

describe('journey: import a network’s history → one row without its bad date, tagged for review → undo', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });
  let page: Page;
  let batchPath = '';
  const count = (k: string) => text(page, `.counts .count-${k} dd`);

  h.step('chooses “a network’s history” on the imports page and gets the history’s columns guessed', async () => {
    page = await h.keptPage({ user: ADMIN.email });
    await h.goto(page, '/imports');
    await h.navigate(page, page.getByRole('link', { name: en('imports.newEngagements') }));
    expect(await page.locator('#kind_engagements').isChecked()).to.equal(true);
    await page.locator('#file').setInputFiles(tempFile('history.csv', historyCsv('en')));
    expect(await h.navigate(page, page.getByRole('button', { name: en('imports.upload') }))).to.equal(200);
    expect(path(page)).to.match(/^\/imports\/drafts\/\w+\/map$/);
    const guessed = await page.locator('table.mapping select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(guessed).to.deep.equal(['email', 'organisation', 'project', 'role', 'start_date', 'hours']);
  });

  h.step('takes rows with one bad field without it; the preview lists the row and writes nothing', async () => {
    await h.navigate(page, page.getByRole('button', { name: en('imports.continue') }));
    await page.locator('#bad_field_drop').check();
    await page.getByRole('button', { name: en('imports.preview') }).click();
    await page.waitForURL(/\/preview$/);
    expect(await count('created')).to.equal('2');
    expect(await count('dropped')).to.equal('1');
    expect(await text(page, '#entries-h + .table-wrap')).to.contain('Tafel Leipzig').and.to.contain('Neue Website');
    expect(await text(page, 'tr.issue-dropped')).to.contain(en('imports.issue.dropped')).and.to.contain('32.13.2021');
  });

  h.step('commits; the result links to Undo; Jonas carries the review tag', async () => {
    await page.getByRole('button', { name: en('imports.commit') }).click();
    await page.waitForURL(/\/result$/);
    expect(await count('created')).to.equal('2');
    const undo = page.locator('main').getByRole('link', { name: en('imports.undoThis') });
    batchPath = (await undo.getAttribute('href'))!.replace(/\/undo$/, '');
    await h.goto(page, `/people?tag=${encodeURIComponent(en('imports.reviewTag'))}`);
    expect(await text(page, 'main')).to.contain('Jonas Weber').and.not.to.contain('Clara Schmidt');
    await h.goto(page, `${batchPath}/undo`);
    expect(await h.navigate(page, page.getByRole('button', { name: en('imports.undoConfirm') }))).to.equal(200);
    expect(path(page)).to.equal(batchPath);
    await h.goto(page, `/people?tag=${encodeURIComponent(en('imports.reviewTag'))}`);
    expect(await text(page, 'main')).not.to.contain('Jonas Weber');
  });

  after(() => assertNoMissingMessages());
});
