// The checks must be able to fail: each is shown a page with the problem it looks for.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { axeViolations, englishLeftovers, horizontalOverflow, identifiers, rawKeys, readableStrings, vnuErrors } from './checks.js';
import { RESULTS_DIR, useBrowser } from './support.js';

describe('the page checks themselves', function () {
  const h = useBrowser();

  h.it('axe reports a missing label and a missing alt text', async () => {
    const page = await h.newPage();
    await page.setContent('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>x</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input></main></body></html>');
    const found = (await axeViolations(page)).map((v) => v.split(' ')[0]);
    expect(found).to.include('image-alt').and.include('label');
  });

  h.it('a raw key and an English fallback on a German page are caught; data that merely has dots is not', async () => {
    const page = await h.newPage();
    await page.setContent(`<!DOCTYPE html><html lang="de"><head><title>Seite</title></head><body>
      <p>people.firstName</p><p>${catalog.en['people.contact']}</p><p>${catalog.de['people.contact']}</p>
      <p>clara@example.net, www.example.org, Version 1.2, people.csv</p><p lang="en">${catalog.en['people.notes']}</p>
      <input aria-label="layout.save"><p>job_title: A → B</p><p>skill_aliases.csv</p><p>mail first_last@example.org</p></body></html>`);
    const strings = await readableStrings(page);
    expect(rawKeys(strings)).to.deep.equal(['people.firstName', 'layout.save']);
    expect(englishLeftovers(strings, 'de')).to.include(`"${catalog.en['people.contact']}" (people.contact)`);
    expect(englishLeftovers(strings, 'de').join()).to.not.contain(catalog.de['people.contact']!);
    expect(englishLeftovers(strings, 'en')).to.deep.equal([]);
    expect(identifiers(strings)).to.deep.equal(['job_title: A → B']);
  });

  h.it('sideways scrolling at 375 px is measured', async () => {
    const page = await h.newPage({ width: 375 });
    await page.setContent('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body style="margin:0"><div style="width:500px">wide</div></body></html>');
    expect(await horizontalOverflow(page)).to.equal(125);
  });

  // a plain it: under h.it these very errors would fail the test, which is the point of recording them
  it('a console error or an uncaught exception on a page is recorded', async () => {
    const page = await h.newPage();
    await page.setContent('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body></body></html>');
    await Promise.all([
      page.waitForEvent('pageerror'),
      page.evaluate(() => {
        console.error('something broke');
        setTimeout(() => { throw new Error('boom'); }, 0);
      }),
    ]);
    const problems = h.problemsOf(page);
    expect(problems.some((p) => p.includes('something broke'))).to.equal(true);
    expect(problems.some((p) => p.includes('boom'))).to.equal(true);
  });

  it('the Nu HTML Checker reports an error in invalid HTML', async () => {
    const dir = path.join(RESULTS_DIR, 'selftest');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'invalid.html');
    writeFileSync(file, '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p><div>x</div></p></body></html>');
    const errors = await vnuErrors([file]);
    expect(errors.map((e) => e.message).join('\n')).to.match(/No “p” element in scope/);
  });
});
