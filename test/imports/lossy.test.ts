// No silent damage on re-import (issue 13 §4): values a spreadsheet damaged are held back and listed.
import { expect } from 'chai';
import iconv from 'iconv-lite';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { csvFile, importCsv } from './helpers.js';
import { isCodePageLoss, isDateReformatted, isLeadingZeroLoss, lossOf } from '../../src/imports/lossy.domain.js';

describe('lossy values (domain)', () => {
  it('a ? (or the base letter) for each character Windows-1252 lacks is a code-page loss', () => {
    for (const [from, to] of [['Gülşen', 'Gül?en'], ['Nguyễn', 'Nguy?n'], ['Ann 🌻', 'Ann ?'], ['Ann 🌻', 'Ann ??'], ['Gülşen', 'Gülsen']]) {
      expect(isCodePageLoss(from!, to!), `${from} → ${to}`).to.equal(true);
    }
    // characters the code page holds are not excused; a real edit is not a loss
    for (const [from, to] of [['Müller', 'M?ller'], ['Gülşen', 'Gül?em'], ['Gülşen', 'Gülşen'], ['Ann', 'Ann ?'], ['Nguyễn', 'Nguyen Van']]) {
      expect(isCodePageLoss(from!, to!), `${from} → ${to}`).to.equal(false);
    }
  });

  it('a postcode or phone that became a number lost its leading zero', () => {
    expect(isLeadingZeroLoss('01067', '1067')).to.equal(true);
    expect(isLeadingZeroLoss('030 1234567', '301234567')).to.equal(true);
    expect(isLeadingZeroLoss('01067', '1067.0')).to.equal(true);
    expect(isLeadingZeroLoss('01067', '01069')).to.equal(false);
    expect(isLeadingZeroLoss('10115', '10115')).to.equal(false);
    expect(isLeadingZeroLoss('01067', '2067')).to.equal(false);
    expect(lossOf('postcode', '01067', '1067')).to.equal('leadingZero');
    expect(lossOf('city', '01067', '1067')).to.equal(null);
  });

  it('a date inside text rewritten in another format, all else equal', () => {
    expect(isDateReformatted('Seit 31.12.2024 dabei', 'Seit 12/31/24 dabei')).to.equal(true);
    expect(isDateReformatted('Start 2024-03-05', 'Start 05/03/2024')).to.equal(true);
    expect(isDateReformatted('Seit 31.12.2024 dabei', 'Seit 12/30/24 dabei')).to.equal(false);
    expect(isDateReformatted('Seit 31.12.2024 dabei', 'Bis 12/31/24 dabei')).to.equal(false);
    expect(lossOf('notes', 'Seit 31.12.2024', 'Seit 12/31/24')).to.equal('date');
  });

  it('an empty stored value loses nothing', () => {
    expect(lossOf('postcode', null, '1067')).to.equal(null);
    expect(lossOf('first_name', '', 'Gül?en')).to.equal(null);
  });
});

describe('lossy values on re-import (engine)', function () {
  this.timeout(120000);
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  const ORIGINAL = 'First name;Last name;E-mail;Phone;Postcode;Notes\n'
    + 'Gülşen;Yılmaz;gulsen@example.org;;01067;Seit 31.12.2024 dabei\n'
    + 'Nguyễn;Lan;;+49 30 111;04109;\n'
    + 'Ann 🌻;Berg;ann@example.org;;10115;\n';

  it('a Windows-1252 copy with update: names, postcode and date held back and listed, no duplicate for the person without e-mail', async () => {
    expect((await importCsv(db, ORIGINAL)).created).to.equal(3);
    // what LibreOffice/Excel give back: Windows-1252, "?" for missing characters, numbers for postcodes, US dates
    const damaged = ORIGINAL.replace('01067', '1067').replace('04109', '4109').replace('31.12.2024', '12/31/24').replace('Ann 🌻', 'Ann Maria');
    const file = iconv.encode(damaged, 'windows-1252');
    const dry = await importCsv(db, csvFile(file), { policy: 'update', dryRun: true });
    expect(dry).to.include({ rows: 3, created: 0, errors: 0 });
    const held = dry.issues.filter((i) => i.type === 'held');
    expect(held.map((i) => [i.row, i.key, i.vars.from, i.vars.to])).to.deep.include.members([
      [2, 'imports.held.codepage', 'Gülşen', 'Gül?en'], [2, 'imports.held.codepage', 'Yılmaz', 'Y?lmaz'], [2, 'imports.held.leadingZero', '01067', '1067'],
      [2, 'imports.held.date', 'Seit 31.12.2024 dabei', 'Seit 12/31/24 dabei'], [3, 'imports.held.codepage', 'Nguyễn', 'Nguy?n'],
      [3, 'imports.held.leadingZero', '04109', '4109'],
    ]);
    expect(dry.held).to.equal(held.length);
    const real = await importCsv(db, csvFile(file), { policy: 'update' });
    expect(real).to.include({ created: 0, errors: 0 });
    // a real edit in the same file is written (Ann's first name), damaged values are not
    expect(await db('people').orderBy('id').select('first_name', 'last_name', 'postcode', 'notes')).to.deep.equal([
      { first_name: 'Gülşen', last_name: 'Yılmaz', postcode: '01067', notes: 'Seit 31.12.2024 dabei' },
      { first_name: 'Nguyễn', last_name: 'Lan', postcode: '04109', notes: null },
      { first_name: 'Ann Maria', last_name: 'Berg', postcode: '10115', notes: null },
    ]);
    // fill creates no duplicate either
    const fill = await importCsv(db, csvFile(file), { policy: 'fill' });
    expect(fill.created).to.equal(0);
    expect(Number((await db('people').count({ n: '*' }))[0]!.n)).to.equal(3);
  });

  it('--overwrite-lossy writes them anyway', async () => {
    await importCsv(db, ORIGINAL);
    const damaged = ORIGINAL.replace('01067', '1067');
    const r = await importCsv(db, damaged, { policy: 'update', overwriteLossy: true });
    expect(r).to.include({ updated: 1, held: 0 });
    expect(await db('people').where({ email: 'gulsen@example.org' }).first('postcode')).to.deep.equal({ postcode: '1067' });
  });
});
