// The journeys people make, clicked through in Chromium against the real app. Steps of one journey share a page;
// once a step fails the rest of that journey is skipped.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { makeTranslator } from '../../src/i18n/i18n.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { createPerson } from '../../src/people/people.queries.js';
import { ADMIN, seedDirectory, seeded } from './fixtures.js';
import { importCsv, tempFile } from './pages.js';
import { PASSWORD, assertNoMissingMessages, useBrowser } from './support.js';

const en = makeTranslator(catalog, 'en');
const de = makeTranslator(catalog, 'de');

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const path = (page: Page) => new URL(page.url()).pathname;
// the people list has a checkbox column first: its name cell is td.person-name
const rowNames = (page: Page) => page.locator('main table tbody tr > td:first-child a, main table.people-table tbody tr > td.person-name a').allInnerTexts();

describe('journey: first run (signed in at once) → a person with skills → search → edit → German → log out', function () {
  const h = useBrowser();
  let page: Page;
  const me = { name: 'Erin Example', email: 'erin@example.org', password: 'a long enough secret' };

  h.step('an empty install sends every page to /setup, which creates the first admin', async () => {
    page = await h.keptPage();
    expect(await h.goto(page, '/people')).to.equal(200);
    expect(path(page)).to.equal('/setup');
    await page.locator('#name').fill(me.name);
    await page.locator('#email').fill(me.email);
    await page.locator('#password').fill(me.password);
    await page.locator('#password_confirm').fill('something else entirely');
    expect(await h.navigate(page, page.getByRole('button', { name: en('setup.submit') }))).to.equal(422);
    expect(await page.locator('#password_confirm').getAttribute('aria-invalid')).to.equal('true');
    expect(await text(page, '#password_confirm-error')).to.equal(en('users.passwordMismatch'));
    expect(await page.locator('#name').inputValue(), 'the form keeps what was typed').to.equal(me.name);

    await page.locator('#password').fill(me.password);
    await page.locator('#password_confirm').fill(me.password);
    expect(await h.navigate(page, page.getByRole('button', { name: en('setup.submit') }))).to.equal(200);
    expect(path(page)).to.equal('/');
    expect(await text(page, '.flash')).to.equal(en('setup.done'));
  });

  h.step('is signed in at once, on a start page that says what to do first', async () => {
    expect(await text(page, '.site-header .who')).to.contain(me.name);
    const steps = await text(page, '#start-h ~ ol');
    expect(steps).to.contain(en('home.stepImport')).and.contain(en('home.stepPerson')).and.contain(en('home.stepStaff'));
  });

  h.step('adds two skills with their German names', async () => {
    await h.navigate(page, page.locator('.main-nav').getByRole('link', { name: en('nav.skills'), exact: true }));
    for (const [name, nameDe] of [['Web design', 'Webdesign'], ['Accounting', 'Buchhaltung']]) {
      await h.navigate(page, page.getByRole('link', { name: en('skills.new') }));
      await page.locator('#name').fill(name!);
      await page.locator('#name_de').fill(nameDe!);
      expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(200);
      expect(await text(page, '.flash')).to.equal(en('skills.created', { name }));
    }
    expect(await rowNames(page)).to.have.members(['Web design', 'Accounting']);
  });

  h.step('creates a person with two skills', async () => {
    await h.navigate(page, page.locator('.main-nav').getByRole('link', { name: en('nav.people'), exact: true }));
    expect(await text(page, '.empty')).to.contain(en('people.empty'));
    await h.navigate(page, page.getByRole('link', { name: en('people.new') }).first());
    await page.locator('#first_name').fill('Clara');
    await page.locator('#last_name').fill('Schmidt');
    await page.locator('#email').fill('clara@example.net');
    await page.locator('#city').fill('Leipzig');
    // one type-ahead field adds as many skills as needed (public/skill-entry.js), each with a level in words
    await page.locator('#skill_add').fill('web des');
    await page.locator('.skill-matches button', { hasText: 'Web design' }).click();
    await page.locator('.skill-rows select').nth(0).selectOption({ label: `3 · ${en('levels.3')}` });
    await page.locator('#skill_add').fill('ACCOU');
    await page.locator('.skill-matches button', { hasText: 'Accounting' }).click();
    await page.locator('.skill-rows select').nth(1).selectOption({ label: `2 · ${en('levels.2')}` });
    expect(await page.locator('.skill-rows .skill-name').allInnerTexts()).to.deep.equal(['Web design', 'Accounting']);
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(200);
    expect(path(page)).to.match(/^\/people\/\d+$/);
    expect(await text(page, 'h1')).to.equal('Clara Schmidt');
    expect(await text(page, '.flash')).to.equal(en('people.created', { name: 'Clara Schmidt' }));
    const skills = await page.locator('.skill-list li').allInnerTexts();
    expect(skills.map((s) => s.replace(/\s+/g, ' ').trim())).to.deep.equal([`Web design ${en('levels.3')}`, `Accounting ${en('levels.2')}`]);
  });

  h.step('finds her by two skills and a city (and only her)', async () => {
    // two more people: one with both skills elsewhere, one in Leipzig with one of them
    const { db } = h.server;
    const ids = Object.fromEntries((await db('skills').select('id', 'name')).map((s: { id: number; name: string }) => [s.name, String(s.id)]));
    for (const body of [
      { first_name: 'Jonas', last_name: 'Weber', city: 'Hamburg', skill_id: [ids['Web design'], ids.Accounting], skill_level: ['2', '2'] },
      { first_name: 'Mia', last_name: 'Wagner', city: 'Leipzig', skill_id: [ids['Web design']], skill_level: ['3'] },
    ]) {
      const v = validatePerson(body);
      if (!v.ok) throw new Error('bad person');
      await createPerson(db, SYSTEM_ACTOR, v.value);
    }
    await h.navigate(page, page.locator('.main-nav').getByRole('link', { name: en('nav.people'), exact: true }));
    await page.locator('#skill').fill('Web design');
    await page.getByPlaceholder(en('people.anotherSkill')).fill('Accounting');
    await h.navigate(page, page.getByRole('button', { name: en('people.search') }));
    expect(await rowNames(page)).to.have.members(['Clara Schmidt', 'Jonas Weber']);

    await page.locator('#city').fill('Leipzig');
    await h.navigate(page, page.getByRole('button', { name: en('people.search') }));
    expect(await rowNames(page)).to.deep.equal(['Clara Schmidt']);
    expect(await text(page, '.result-count')).to.equal(en('people.resultCount', { count: 1 }));
    const q = new URL(page.url()).searchParams;
    expect(q.getAll('skill').filter(Boolean)).to.deep.equal(['Web design', 'Accounting']);
    expect(q.get('city')).to.equal('Leipzig');
  });

  h.step('edits her details; the page shows the change and its history', async () => {
    await h.navigate(page, page.getByRole('link', { name: 'Clara Schmidt' }));
    await h.navigate(page, page.getByRole('link', { name: en('layout.edit') }));
    expect(await page.locator('#skill_name_0').innerText()).to.equal('Web design');
    await page.locator('#job_title').fill('Art director');
    await page.locator('#last_confirmed_at').fill('2026-11-27');
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(200);
    expect(await text(page, '.flash')).to.equal(en('people.saved', { name: 'Clara Schmidt' }));
    expect(await text(page, '.facts')).to.contain('Art director').and.to.contain('27/11/2026');
    expect(await text(page, '.history-list')).to.contain(en('audit.action.update')).and.contain(`${en('people.jobTitle')}: — → Art director`);
  });

  h.step('switches to German: texts, skill names and dates follow, and the choice sticks', async () => {
    await h.navigate(page, page.getByRole('button', { name: /Deutsch/ }));
    expect(path(page)).to.match(/^\/people\/\d+$/);
    expect(await page.locator('html').getAttribute('lang')).to.equal('de');
    expect(await text(page, '#contact-h')).to.equal('Kontakt');
    expect(await text(page, '.main-nav')).to.contain('Personen').and.to.contain('Fähigkeiten');
    expect(await text(page, '.facts')).to.contain('27.11.2026').and.not.contain('27/11/2026');
    expect(await text(page, '.skill-list')).to.contain('Webdesign').and.contain('Buchhaltung').and.contain(de('levels.3'));
    await h.goto(page, '/people');
    expect(await text(page, 'h1')).to.equal(de('people.title'));
    expect(await page.locator('#q').getAttribute('placeholder')).to.equal(de('people.searchPlaceholder'));
  });

  h.step('logs out (in German) and is asked to log in again', async () => {
    await h.navigate(page, page.getByRole('button', { name: de('nav.logout') }));
    expect(path(page)).to.equal('/login');
    expect(await text(page, '.flash')).to.equal('Sie sind abgemeldet.');
    expect(await page.locator('html').getAttribute('lang')).to.equal('de');
    await h.goto(page, '/people');
    expect(path(page)).to.equal('/login');
  });
});

describe('journey: record an engagement → suggested helpers → shortlist → asked → accepted: on the team', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });
  let page: Page;
  const teamNames = () => page.locator('#team-h ~ .table-wrap tbody tr td:first-child a').allInnerTexts();

  h.step('opens an open project from the projects list', async () => {
    page = await h.keptPage({ user: ADMIN.email });
    await h.goto(page, '/');
    await h.navigate(page, page.locator('.main-nav').getByRole('link', { name: en('nav.projects'), exact: true }));
    await h.navigate(page, page.locator('main table').getByRole('link', { name: 'Photo archive' }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}`);
    expect(await text(page, '#team-h ~ .empty')).to.contain(en('projects.noTeam'));
  });

  h.step('records an engagement: finds the person by name, is re-asked on a mistake, saves', async () => {
    await h.navigate(page, page.getByRole('link', { name: en('engagements.new') }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}/engagements/new`);
    // the type-ahead: the list follows the typing (public/picker.js asks /pickers/people)
    await page.locator('#person_id_q').fill('Weber');
    await page.waitForFunction(() => document.querySelectorAll('#person_id option[value]:not([value=""])').length === 1);
    const options = await page.locator('#person_id option').allInnerTexts();
    expect(options.filter((o) => o !== en('pickers.nothingChosen')), 'the picker narrowed to the name searched').to.deep.equal(['Weber, Jonas (Hamburg)']);
    expect(await text(page, '#person_id-status')).to.equal(en('pickers.found', { count: 1 }));

    await page.locator('#role').fill('Photo scanning');
    await page.locator('#hours').fill('7,5');
    await page.locator('#rate').fill('40');
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(422);
    expect(await text(page, '#person_id-error')).to.equal(en('engagements.personRequired'));
    expect(await text(page, '#rate-error')).to.equal(en('engagements.rateNeedsPaid'));
    expect(await page.locator('#role').inputValue(), 'the form keeps what was typed').to.equal('Photo scanning');

    await page.locator('#person_id').selectOption({ label: 'Weber, Jonas (Hamburg)' });
    await page.locator('#paid').check();
    await page.locator('#rating').selectOption('4');
    await page.locator('#handover').selectOption({ label: en('handover.partly') });
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(200);
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}`);
    expect(await text(page, '.flash')).to.equal(en('engagements.created', { project: 'Photo archive' }));
    expect(await teamNames()).to.deep.equal(['Jonas Weber']);
    const row = await text(page, '#team-h ~ .table-wrap tbody tr');
    expect(row).to.contain('Photo scanning').and.contain('7.5').and.contain(en('engagements.paidShort')).and.contain('4/5')
      .and.contain(en('handover.partly'));
  });

  h.step("the engagement shows on the person's page", async () => {
    await h.navigate(page, page.locator('#team-h ~ .table-wrap').getByRole('link', { name: 'Jonas Weber', exact: true }));
    expect(await page.locator('main').innerText()).to.contain(en('people.engagements')).and.contain('Photo archive').and.contain('Photo scanning');
    await page.goBack();
  });

  h.step("opens the project's suggested helpers: ranked, with reasons, nobody already on the team or marked do not contact", async () => {
    await h.navigate(page, page.locator('main .page-head').getByRole('link', { name: en('suggestions.link') }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}/suggestions`);
    const names = await page.locator('.suggestions > li h2').allInnerTexts();
    expect(names, 'Clara covers two skills at a higher level than Otto; Jonas is on the team, Mia is do-not-contact').to.deep.equal(['Clara Schmidt', 'Otto Alt']);
    expect(await text(page, '.result-count')).to.equal(en('suggestions.countPage', { from: 1, to: 2, total: 2 }));
    const clara = await text(page, '.suggestions > li:first-child');
    expect(clara).to.contain(en('suggestions.helpedOrg', { count: 1, org: 'Tafel Leipzig' })).and.contain(`${en('suggestions.missing')}: Photography`);
  });

  h.step('puts a suggested person on the shortlist: marked there, not yet on the team', async () => {
    await h.navigate(page, page.getByRole('button', { name: `${en('shortlist.add')} Clara Schmidt` }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}/suggestions`);
    expect(await text(page, '.flash')).to.equal(en('shortlist.added#one', { count: 1, title: 'Photo archive' }));
    expect(await text(page, '.suggestions > li:first-child .marks')).to.equal(en('shortlist.onList', { state: en('shortlist.states.shortlisted') }));
  });

  h.step('on the shortlist: marks her as asked, then records her acceptance, which puts her on the team', async () => {
    await h.navigate(page, page.locator('main .page-head').getByRole('link', { name: en('shortlist.link') }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}/shortlist`);
    await h.navigate(page, page.getByRole('button', { name: `${en('shortlist.to.asked')} Clara Schmidt` }));
    expect(await text(page, '.flash')).to.equal(en('shortlist.changed', { name: 'Clara Schmidt', state: en('shortlist.states.asked') }));
    expect(await text(page, '.shortlist > li:first-child .page-head .badge')).to.equal(en('shortlist.states.asked'));
    await h.navigate(page, page.getByRole('button', { name: `${en('shortlist.to.accepted')} Clara Schmidt` }));
    expect(path(page)).to.equal(`/projects/${seeded().openProjectId}`);
    expect(await text(page, '.flash')).to.equal(en('shortlist.accepted', { name: 'Clara Schmidt', title: 'Photo archive' }));
    expect(await teamNames()).to.have.members(['Jonas Weber', 'Clara Schmidt']);
    expect(await text(page, '#team-h ~ .table-wrap tbody'), 'the role names the skills she brings').to.contain('Web design, Accounting');

    await h.navigate(page, page.locator('main .page-head').getByRole('link', { name: en('suggestions.link') }));
    expect(await page.locator('.suggestions > li h2').allInnerTexts()).to.deep.equal(['Otto Alt']);
  });
});

describe('journey: import a CSV through the wizard → undo it → export a search result', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });
  let page: Page;
  let batchPath = '';
  const peopleNames = async () => { await h.goto(page, '/people'); return rowNames(page); };
  const count = (k: string) => text(page, `.counts .count-${k} dd`);

  h.step('uploads a CSV on the first wizard step and gets its columns guessed', async () => {
    page = await h.keptPage({ user: ADMIN.email });
    expect(await peopleNames()).to.not.include('Jürgen Müller');
    await h.goto(page, '/imports');
    await h.navigate(page, page.getByRole('link', { name: en('imports.new') }));
    expect(path(page)).to.equal('/imports/new');
    await page.locator('#file').setInputFiles(tempFile('volunteers.csv', importCsv('en')));
    expect(await h.navigate(page, page.getByRole('button', { name: en('imports.upload') }))).to.equal(200);
    expect(path(page)).to.match(/^\/imports\/drafts\/\w+\/map$/);
    expect(await text(page, '#detected-h')).to.contain('volunteers.csv');
    const guessed = await page.locator('table.mapping select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(guessed).to.deep.equal(['first_name', 'last_name', 'email', 'city', 'skills']);
  });

  h.step('accepts the mapping and the options; the preview counts one new person and one already known', async () => {
    await h.navigate(page, page.getByRole('button', { name: en('imports.continue') }));
    expect(path(page)).to.match(/\/options$/);
    await page.getByRole('button', { name: en('imports.preview') }).click();
    await page.waitForURL(/\/preview$/);
    expect(await count('rows')).to.equal('2');
    expect(await count('created')).to.equal('1');
    expect(await count('unchanged'), 'Clara is already there; "skip" leaves her untouched').to.equal('1');
    expect(await text(page, 'ul.created')).to.contain('Jürgen Müller').and.contain('Web design').and.contain('Fotoarbeiten');
    // the unknown skill counts as an existing one, found with the type-ahead (public/picker.js over /pickers/skills)
    expect(await text(page, '.skill-choice legend')).to.contain('Fotoarbeiten');
    await page.locator('#skill_map_0_q').fill('photo');
    await page.locator('#skill_map_0 option', { hasText: 'Photography' }).waitFor({ state: 'attached' });
    await page.locator('#skill_map_0').selectOption({ label: 'Photography' });
    expect(await page.locator('#skill_0_map').isChecked(), 'choosing a skill ticks "existing skill"').to.equal(true);
    await page.getByRole('button', { name: en('imports.recheck') }).click();
    await page.waitForURL(/\/preview$/);
    await page.locator('ul.created').waitFor();
    expect(await text(page, 'ul.created')).to.contain('Photography').and.not.contain('Fotoarbeiten');
    const previewPath = path(page);
    expect(await peopleNames(), 'a preview writes nothing').to.not.include('Jürgen Müller');
    await h.goto(page, previewPath);
  });

  h.step('commits: the progress page moves on to the result by itself', async () => {
    await page.getByRole('button', { name: en('imports.commit') }).click();
    await page.waitForURL(/\/result$/);
    expect(await text(page, 'main .flash')).to.match(new RegExp(en('imports.resultSaved', { batch: 'BATCH' }).replace('BATCH', '\\d+')));
    expect(await count('created')).to.equal('1');
    await h.navigate(page, page.locator('main .flash').getByRole('link', { name: en('imports.view') }));
    batchPath = path(page);
    expect(batchPath).to.match(/^\/imports\/\d+$/);
    expect(await text(page, '.batch-people')).to.contain('Jürgen Müller');
    expect(await peopleNames()).to.include('Jürgen Müller');
    await h.navigate(page, page.locator('main table').getByRole('link', { name: 'Jürgen Müller' }));
    expect(await text(page, '.skill-list')).to.contain('Web design').and.contain('Photography');
  });

  h.step('undoes the import after a confirmation page: the new person is gone, Clara stays', async () => {
    await h.goto(page, batchPath);
    await h.navigate(page, page.locator('main .page-head').getByRole('link', { name: en('imports.undo') }));
    expect(path(page)).to.equal(`${batchPath}/undo`);
    expect(await h.navigate(page, page.getByRole('button', { name: en('imports.undoConfirm') }))).to.equal(200);
    expect(path(page)).to.equal(batchPath);
    expect(await text(page, '.flash')).to.contain(`#${batchPath.split('/').pop()}`);
    expect(await page.locator('main .page-head a.danger').count(), 'no second undo').to.equal(0);
    const names = await peopleNames();
    expect(names).to.not.include('Jürgen Müller');
    expect(names).to.include('Clara Schmidt');
  });

  h.step('exports a search result with chosen columns: a CSV with a BOM, the chosen header and the rows found', async () => {
    await h.goto(page, '/people?skill=Web+design');
    const found = await rowNames(page);
    expect(found).to.have.members(['Clara Schmidt', 'Jonas Weber']);
    await h.navigate(page, page.getByRole('link', { name: en('people.exportCsv') }));
    expect(path(page)).to.equal('/exports/people');
    expect(new URL(page.url()).searchParams.getAll('skill')).to.deep.equal(['Web design']);
    for (const box of await page.locator('input[name=col]').all()) await box.uncheck();
    for (const col of ['first_name', 'last_name', 'city']) await page.locator(`#col-${col}`).check();
    await page.locator('#delimiter-semicolon').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en('exports.download') }).click()]);
    expect(download.suggestedFilename()).to.match(/\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)], 'a UTF-8 BOM for Excel').to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/).filter(Boolean);
    expect(lines[0]).to.equal([en('exports.col.first_name'), en('exports.col.last_name'), en('exports.col.city')].join(';'));
    expect(lines.slice(1)).to.have.members(['Clara;Schmidt;Leipzig', 'Jonas;Weber;Hamburg']);
  });
});

describe('screens', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });

  h.it('people: free-text search, and a skill search that names an unknown skill', async () => {
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, '/people');
    await page.locator('#q').fill('Schmidt');
    await h.navigate(page, page.getByRole('button', { name: en('people.search') }));
    expect(await rowNames(page)).to.deep.equal(['Clara Schmidt']);
    await h.goto(page, '/people?skill=Underwater+basket+weaving');
    expect(await text(page, '.flash-info')).to.contain('Underwater basket weaving');
  });

  h.it('people: delete asks on its own page; cancel keeps, confirm removes', async () => {
    const { db } = h.server;
    const v = validatePerson({ first_name: 'Temp', last_name: 'Person', city: 'Kassel' });
    if (!v.ok) throw new Error('bad person');
    const id = await createPerson(db, SYSTEM_ACTOR, v.value);
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, `/people/${id}`);
    await h.navigate(page, page.getByRole('link', { name: en('people.deleteRecord') }));
    expect(path(page)).to.equal(`/people/${id}/delete`);
    expect(await text(page, '.confirm')).to.contain(en('people.deleteQuestion', { name: 'Temp Person' }));
    await h.navigate(page, page.getByRole('link', { name: en('layout.cancel') }));
    expect(path(page)).to.equal(`/people/${id}`);
    await h.navigate(page, page.getByRole('link', { name: en('people.deleteRecord') }));
    await h.navigate(page, page.getByRole('button', { name: en('layout.deleteConfirm') }));
    expect(path(page)).to.equal('/people');
    expect(await text(page, '.flash')).to.equal(en('people.deleted', { name: 'Temp Person' }));
    expect(await h.goto(page, `/people/${id}`)).to.equal(404);
  });

  h.it('skills: the form re-asks on a missing name, saves aliases, and finds people by an alias', async () => {
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, '/skills/new');
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(422);
    expect(await page.locator('#name').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#name').getAttribute('aria-describedby')).to.contain('name-error');
    await page.locator('#name').fill('Knitting');
    await page.locator('#name_de').fill('Stricken');
    await page.locator('#aliases').fill('yarn craft, Handarbeit');
    expect(await h.navigate(page, page.getByRole('button', { name: en('layout.save') }))).to.equal(200);
    expect(await page.locator('main table').innerText()).to.contain('Knitting').and.contain('Stricken').and.contain('yarn craft');
    await h.goto(page, '/people?skill=web+layout');
    expect(await rowNames(page), 'found by an alias of Web design; Mia is "do not contact"').to.have.members(['Clara Schmidt', 'Jonas Weber']);
    await h.goto(page, '/people?skill=web+layout&dnc=1');
    expect(await rowNames(page)).to.have.members(['Clara Schmidt', 'Jonas Weber', 'Mia Wagner']);
  });

  h.it('skills: merging moves the people over and removes the merged skill', async () => {
    const f = seeded();
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, '/skills');
    await h.navigate(page, page.getByRole('link', { name: `${en('skills.merge')} Book keeping` }));
    expect(path(page)).to.equal(`/skills/${f.skills.bookkeeping}/merge`);
    await page.locator('#into').selectOption({ label: 'Accounting / Buchhaltung' });
    expect(await h.navigate(page, page.getByRole('button', { name: en('skills.mergeSubmit') }))).to.equal(200);
    expect(path(page)).to.equal('/skills');
    expect(await text(page, '.flash')).to.contain('Book keeping').and.contain('Accounting');
    expect(await rowNames(page)).to.not.include('Book keeping');
    await h.goto(page, '/people?skill=Accounting&dnc=1');
    expect(await rowNames(page), 'Mia had only Book keeping').to.include('Mia Wagner');
  });

  h.it('users: an invited user gets a mail with a link and chooses their own password', async () => {
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, '/users');
    await h.navigate(page, page.getByRole('link', { name: en('users.new') }));
    await page.locator('#email').fill('new.colleague@example.org');
    await page.locator('#name').fill('New Colleague');
    await page.locator('#role').selectOption('admin');
    expect(await h.navigate(page, page.getByRole('button', { name: en('users.invite') }))).to.equal(200);
    expect(await text(page, 'h1')).to.equal(en('users.invitedTitle'));
    expect(await page.locator('.otp, main code').count(), 'no password on screen').to.equal(0);
    await h.navigate(page, page.getByRole('link', { name: en('users.back') }));
    expect(await page.locator('main table').innerText()).to.contain('new.colleague@example.org');

    const mail = await h.server.db('mail_outbox').where({ kind: 'invite', to_address: 'new.colleague@example.org' }).first();
    const link = /https?:\/\/[^/\s]+(\/password\/set\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
    const invitee = await h.newPage();
    await h.goto(invitee, link);
    const chosen = 'Quiet harbour lantern 47';
    await invitee.locator('#password').fill(chosen);
    await invitee.locator('#password_confirm').fill(chosen);
    await h.navigate(invitee, invitee.getByRole('button', { name: en('accounts.setSubmit') }));
    expect(path(invitee)).to.equal('/login');
    expect(await text(invitee, '.flash')).to.equal(en('accounts.done'));
    await h.login(invitee, 'new.colleague@example.org', chosen);
    expect(path(invitee)).to.equal('/');
    await h.goto(invitee, link);
    expect(await text(invitee, 'h1'), 'the link works once').to.equal(en('accounts.invalidTitle'));
  });

  h.it('language: a visitor can switch the login page to German and back', async () => {
    const page = await h.newPage({ locale: 'en' });
    await h.goto(page, '/login');
    await h.navigate(page, page.getByRole('button', { name: /Deutsch/ }));
    expect(path(page)).to.equal('/login');
    expect(await text(page, 'h1')).to.equal(de('login.title'));
    await h.navigate(page, page.getByRole('button', { name: /English/ }));
    expect(await text(page, 'h1')).to.equal(en('login.title'));
  });

  h.it('404: an unknown page and an unknown person get a translated page with a way home', async () => {
    const page = await h.newPage({ user: ADMIN.email });
    expect(await h.goto(page, '/no-such-page')).to.equal(404);
    expect(await text(page, 'h1')).to.equal(en('errors.title404'));
    expect(await h.goto(page, '/people/999999')).to.equal(404);
    await h.navigate(page, page.getByRole('link', { name: en('errors.home') }));
    expect(path(page)).to.equal('/');
  });

  h.it('privacy review: "select all" (script) and anonymising after a confirmation page that can be cancelled', async () => {
    const otto = seeded().people.otto;
    const page = await h.newPage({ user: ADMIN.email });
    const reviewNames = () => page.locator('main table tbody tr td:nth-child(2) a').allInnerTexts();
    await h.goto(page, '/privacy/review');
    expect(await reviewNames()).to.deep.equal(['Otto Alt']);
    const selectAll = page.getByRole('checkbox', { name: en('privacy.review.selectAll') });
    expect(await selectAll.isVisible(), 'privacy.js shows the select-all box').to.equal(true);
    await selectAll.check();
    expect(await page.locator('main input[name=ids]:checked').count()).to.equal(1);
    await h.navigate(page, page.getByRole('button', { name: en('privacy.review.anonymise') }));
    expect(await text(page, 'h1')).to.equal(en('privacy.review.anonymiseTitle', { count: 1 }));
    await h.navigate(page, page.getByRole('link', { name: en('layout.cancel') }));
    expect(await reviewNames(), 'cancel changed nothing').to.deep.equal(['Otto Alt']);

    await selectAll.check();
    await h.navigate(page, page.getByRole('button', { name: en('privacy.review.anonymise') }));
    await h.navigate(page, page.getByRole('button', { name: en('privacy.review.anonymiseConfirm', { count: 1 }) }));
    expect(path(page)).to.equal('/privacy/review');
    expect(await text(page, '.flash')).to.equal(en('privacy.review.anonymised', { count: 1 }));
    expect(await text(page, 'main .empty')).to.equal(en('privacy.review.empty'));
    await h.goto(page, `/people/${otto}`);
    expect(await text(page, 'h1')).to.contain(`Anonymised #${otto}`).and.contain(en('people.dnc'));
  });

  h.it('no screen looked up a message key that English or German lacks', async () => {
    assertNoMissingMessages();
  });
});

describe('journey: a person changes their skills through their own link → a manager sees it in their history', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });

  h.it('changes a level and adds a skill without an account; the history names the person and the link', async () => {
    const f = seeded();
    const visitor = await h.newPage();
    await h.goto(visitor, `/me/${f.links.clara}`);
    expect(await text(visitor, 'h1')).to.equal(en('me.title', { name: 'Clara Schmidt' }));
    const level = (skill: string) => visitor.locator('#skills .skill-row', { hasText: skill }).locator('select');
    await level('Accounting').selectOption('3');
    // the forms' type-ahead skill entry, asking this link (no account) for matches
    await visitor.locator('#skill_add').fill('photo');
    await visitor.locator('.skill-matches button', { hasText: 'Photography' }).click();
    await level('Photography').selectOption({ label: `2 · ${en('levels.2')}` });
    expect(await h.navigate(visitor, visitor.getByRole('button', { name: en('me.saveSkills') }))).to.equal(200);
    expect(await text(visitor, '.flash')).to.equal(en('me.saved'));
    expect(await level('Photography').inputValue()).to.equal('2');

    const manager = await h.newPage({ user: ADMIN.email });
    await h.goto(manager, `/people/${f.people.clara}`);
    const history = await manager.locator('.history-list li').first().innerText();
    expect(history).to.contain('Clara Schmidt').and.contain(en('audit.source.self')).and.contain('Photography (2)').and.contain('Accounting (3)');
  });
});

describe('journey: search by typing → chips → bulk tag → shortlist', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });
  let page: Page;

  h.step('types skills and a city: they become chips, the rest stays text, one click makes a word text again', async () => {
    page = await h.keptPage({ user: ADMIN.email });
    await h.goto(page, '/people');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id), '"/" focuses the search box').to.equal('q');
    await page.keyboard.type('web design accounting Leipzig');
    await h.navigate(page, page.getByRole('button', { name: en('people.search') }));
    expect(await page.locator('.read-chip .chip').allInnerTexts()).to.deep.equal(['Web design ×', 'Accounting ×', 'Leipzig ×']);
    expect(await rowNames(page)).to.deep.equal(['Clara Schmidt']);
    // "Leipzig" as text: the city filter goes, the word is searched in the documents (Clara lives there; so does Mia, not contact)
    await h.navigate(page, page.getByRole('link', { name: en('search.asTextLabel', { name: 'Leipzig' }) }));
    expect(new URL(page.url()).searchParams.get('q')).to.equal('web design accounting "Leipzig"');
    expect(await page.locator('.read-chip .chip').allInnerTexts()).to.deep.equal(['Web design ×', 'Accounting ×']);
    // removing a chip drops its words
    await h.navigate(page, page.getByRole('link', { name: en('search.chipRemove', { readAs: en('search.readAs.skill'), name: 'Accounting' }) }));
    expect(new URL(page.url()).searchParams.get('q')).to.equal('web design "Leipzig"');
    expect(await rowNames(page)).to.deep.equal(['Clara Schmidt']);
  });

  h.step('ticks Clara, adds a tag after seeing the count, finds her by it, and undoes it', async () => {
    await h.goto(page, '/people?q=web+design');
    expect(await rowNames(page)).to.have.members(['Clara Schmidt', 'Jonas Weber']);
    await page.getByLabel(en('bulk.select', { name: 'Clara Schmidt' })).check();
    await page.locator('#bulk-action').selectOption('tag_add');
    await h.navigate(page, page.getByRole('button', { name: en('bulk.selectedOnPage') }));
    expect(await page.locator('[data-bulk-count]').getAttribute('data-bulk-count')).to.equal('1');
    await page.locator('#tag').fill('Mentors');
    expect(await h.navigate(page, page.getByRole('button', { name: en('bulk.tag_add.run', { count: 1 }) }))).to.equal(200);
    expect(await text(page, 'h1')).to.equal(en('bulk.tag_add.done', { count: 1, label: 'Mentors' }));
    await h.goto(page, '/people?q=mentors');
    expect(await page.locator('.read-chip .chip').allInnerTexts()).to.deep.equal(['#Mentors ×']);
    expect(await rowNames(page)).to.deep.equal(['Clara Schmidt']);
    await page.goBack();
    await h.navigate(page, page.getByRole('button', { name: en('bulk.undo', { count: 1 }) }));
    expect(await text(page, '.flash')).to.equal(en('bulk.undone', { count: 1 }));
    await h.goto(page, '/people?tag=Mentors');
    expect(await rowNames(page)).to.deep.equal([]);
  });

  h.step('puts all matching on a project\'s shortlist, choosing the project by its title', async () => {
    await h.goto(page, '/people?q=web+design');
    await page.locator('#bulk-action').selectOption('shortlist');
    await h.navigate(page, page.locator('button[data-scope-all]'));
    await page.locator('#project_q').fill('photo');
    await h.navigate(page, page.getByRole('button', { name: en('people.search') }).last());
    expect(await page.locator('#project_q').inputValue(), 'the search step keeps what was typed').to.equal('photo');
    await page.getByLabel(/Photo archive/).check();
    await h.navigate(page, page.getByRole('button', { name: en('bulk.shortlist.run', { count: 2 }) }));
    expect(await text(page, 'h1')).to.equal(en('bulk.shortlist.done', { count: 2, label: 'Photo archive' }));
    expect(await page.locator('form[action$="/undo"]').count()).to.equal(1);
  });
});

describe('the people list at 375 px', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });

  h.it('the result comes first, as cards, filters behind one button, no sideways scrolling', async () => {
    const page = await h.newPage({ user: ADMIN.email, width: 375, height: 740 });
    await h.goto(page, '/people?skill=Web+design');
    expect(await page.locator('details[data-filter-panel]').evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
    const first = await page.locator('table.people-table tbody tr').first().boundingBox();
    expect(first, 'first result card').to.not.equal(null);
    // (it started about 1,150 px down before: filters and facets came first)
    expect(first!.y, 'the first result is near the top').to.be.below(900);
    expect(first!.width).to.be.at.most(375);
    const facets = await page.locator('aside.facets').boundingBox();
    expect(facets!.y, 'facets after the result').to.be.above(first!.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).to.equal(0);
    // the skip link leads to the result
    await page.locator('a.skip-link[href="#results"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('results');
    // counts never wrap: each facet count is one line high
    await page.locator('details[data-facets] > summary').click();
    const lines = await page.locator('.facet .count').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)));
    expect(lines.length).to.be.above(0);
    expect(lines.every((x) => x < 1.8), `count heights in font sizes: ${lines.join(', ')}`).to.equal(true);
  });
});
