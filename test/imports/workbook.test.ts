// Workbook import (issue 13 §1 and "Bad input"): .xlsx and .ods read as the user sees the cells, through the
// one CSV path; every kind of bad workbook refused with one line, nothing written.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import knexFactory from 'knex';
import { ImportRefused } from '../../src/imports/decode.domain.js';
import {
  chooseSheet, classifyFormat, columnIndex, formatNumber, mergedHeaderLabels, numberText, odsNumber, serialToIso,
} from '../../src/imports/workbook.domain.js';
import { workbookToCsv } from '../../src/imports/workbook.reader.js';
import { prepareImportFile } from '../../src/imports/workbook.service.js';
import { makeXlsx, makeZip, row } from '../support/zip.js';
import { jobSettled } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-workbook-'));
const file = (name: string, data: Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, data);
  return f;
};

/** The workbook as the tests of several kinds use it: written by exceljs, the way Excel lays it out. */
export async function peopleWorkbook(to: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes', { state: 'hidden' }).addRow(['Nothing', 'here']);
  const ws = wb.addWorksheet('Kontakte');
  ws.addRow(['Name', 'E-Mail', 'PLZ', 'Notizen', 'Telefon', 'Stunden', 'Adresse', '', '']);
  ws.mergeCells('G1:I1');
  ws.addRow(['Ann Lee', 'ann@example.org', '01067', 'Seit 31.12.2024 dabei', '030 1234567', 29.5, 'Hauptstr. 1', 'Berlin', 'DE']);
  const bo = ws.addRow(['Bo Berg', 'bo@example.org', 4109, new Date(Date.UTC(2023, 0, 2)), { formula: '"+49 " & "40 555"', result: '+49 40 555' }, 3, '', '', '']);
  bo.getCell(3).numFmt = '00000';
  bo.getCell(4).numFmt = 'dd.mm.yyyy';
  ws.addRow([]);
  ws.addRow(['Zoë Ødegård', 'zoe@example.org', '10115', 'a, b; c', '', { formula: 'F2+F3', result: 32.5 }, '', '', '']);
  await wb.xlsx.writeFile(to);
  return to;
}

describe('workbook cells (domain)', () => {
  it('column letters, numbers as General shows them, dates as ISO', () => {
    expect([columnIndex('A1'), columnIndex('Z9'), columnIndex('AA1'), columnIndex('XFD1'), columnIndex('12')]).to.deep.equal([0, 25, 26, 16383, -1]);
    expect([numberText(1067), numberText(29.5), numberText(0.1 + 0.2), numberText(-3), numberText(4930123456789)]).to.deep.equal(['1067', '29.5', '0.3', '-3', '4930123456789']);
    expect(serialToIso(45657)).to.equal('2024-12-31');
    expect(serialToIso(45657.5)).to.equal('2024-12-31 12:00');
    expect(serialToIso(0, true)).to.equal('1904-01-01');
  });

  it('number formats: dates, zero padding, percent, text', () => {
    expect(classifyFormat(14, undefined)).to.deep.equal({ kind: 'date' });
    expect(classifyFormat(164, 'dd.mm.yyyy')).to.deep.equal({ kind: 'date' });
    expect(classifyFormat(165, '[$-407]d. mmmm yyyy;@')).to.deep.equal({ kind: 'date' });
    expect(classifyFormat(166, '00000')).to.deep.equal({ kind: 'zeros', width: 5 });
    expect(classifyFormat(167, '#,##0.00 "days"')).to.deep.equal({ kind: 'general' });
    expect(classifyFormat(168, '[Red]0.0')).to.deep.equal({ kind: 'general' });
    expect(classifyFormat(49, undefined)).to.deep.equal({ kind: 'text' });
    expect(formatNumber(1067, { kind: 'zeros', width: 5 })).to.equal('01067');
    expect(formatNumber(0.15, { kind: 'percent' })).to.equal('15%');
    expect(odsNumber('1067', '01067')).to.equal('01067');
    expect(odsNumber('1067', '1.067,00 €')).to.equal('1067');
  });

  it('sheet choice by name or number; hidden sheets only when chosen; merged header labels', () => {
    const sheets = [{ name: 'Hidden', hidden: true }, { name: 'Kontakte', hidden: false }, { name: 'Other', hidden: false }];
    expect(chooseSheet(sheets, undefined)?.name).to.equal('Kontakte');
    expect(chooseSheet(sheets, 'other')?.name).to.equal('Other');
    expect(chooseSheet(sheets, '1')?.name).to.equal('Hidden');
    expect(chooseSheet(sheets, 'Nope')).to.equal(null);
    expect(mergedHeaderLabels(['Name', 'Adresse', '#3', '#4', 'Ort'], [{ c0: 1, c1: 3 }])).to.deep.equal(['Name', 'Adresse', 'Adresse 2', 'Adresse 3', 'Ort']);
  });
});

describe('workbook import (xlsx written by exceljs)', function () {
  this.timeout(240000);
  let xlsx: string;
  before(async () => { xlsx = await peopleWorkbook(path.join(dir, 'people.xlsx')); });

  it('the first visible sheet as CSV: text stays text, whole numbers without .0, 00000 keeps zeros, dates ISO, formulas cached, blank rows kept', async () => {
    const out = path.join(dir, 'people.csv');
    const c = await workbookToCsv(xlsx, out);
    expect(c).to.deep.include({ kind: 'xlsx', sheet: 'Kontakte', sheets: [{ name: 'Notes', hidden: true }, { name: 'Kontakte', hidden: false }] });
    expect(readFileSync(out, 'utf8')).to.equal([
      'Name,E-Mail,PLZ,Notizen,Telefon,Stunden,Adresse',
      'Ann Lee,ann@example.org,01067,Seit 31.12.2024 dabei,030 1234567,29.5,Hauptstr. 1,Berlin,DE',
      'Bo Berg,bo@example.org,04109,2023-01-02,+49 40 555,3,,,',
      '',
      'Zoë Ødegård,zoe@example.org,10115,"a, b; c",,32.5,,,',
      '',
    ].join('\n'));
    const hidden = path.join(dir, 'hidden.csv');
    expect((await workbookToCsv(xlsx, hidden, 'Notes')).sheet).to.equal('Notes');
    expect(readFileSync(hidden, 'utf8')).to.equal('Nothing,here\n');
  });

  it('detection names the columns under a merged header', async () => {
    const p = await prepareImportFile(xlsx, path.join(dir, 'prep.csv'));
    expect(p.detection.headers).to.deep.equal(['Name', 'E-Mail', 'PLZ', 'Notizen', 'Telefon', 'Stunden', 'Adresse', 'Adresse 2', 'Adresse 3']);
    expect(p.workbook?.sheet).to.equal('Kontakte');
  });

  it('skillnet import people FILE.xlsx imports with row numbers of the sheet; --sheet picks another; a second import changes nothing', async () => {
    const db = path.join(dir, 'cli.sqlite');
    const run = (args: string[]) => spawnSync(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${db}` }, encoding: 'utf8', timeout: 60000 });
    const r = run(['import', 'people', xlsx, '--json']);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ batch: 1, rows: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, errors: 0 });
    const again = run(['import', 'people', xlsx, '--json', '--on-duplicate', 'update']);
    expect(JSON.parse(again.stdout)).to.include({ created: 0, updated: 0, unchanged: 3 });
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: db }, useNullAsDefault: true });
    try {
      expect(await k('people').orderBy('id').select('first_name', 'postcode', 'phone')).to.deep.equal([
        { first_name: 'Ann', postcode: '01067', phone: '030 1234567' }, { first_name: 'Bo', postcode: '04109', phone: '+49 40 555' },
        { first_name: 'Zoë', postcode: '10115', phone: null },
      ]);
    } finally {
      await k.destroy();
    }
    const wrong = run(['import', 'people', xlsx, '--sheet', 'Nope']);
    expect(wrong.status).to.equal(2);
    expect(wrong.stderr.trim()).to.equal(`skillnet: ${xlsx}: There is no sheet “Nope”; the workbook has: Notes, Kontakte.`);
    const notes = run(['import', 'people', xlsx, '--sheet', '1', '--dry-run']);
    expect(notes.status).to.equal(2);
    expect(notes.stderr).to.contain('header');
  });
});

describe('bad workbooks: one line, nothing written', function () {
  this.timeout(240000);
  const refusal = async (f: string, limits?: Parameters<typeof workbookToCsv>[3]) => {
    try {
      await workbookToCsv(f, path.join(dir, 'bad.csv'), undefined, limits);
    } catch (err) {
      if (err instanceof ImportRefused) return err.key;
      throw err;
    }
    return null;
  };
  const sheet = [{ name: 'S', xml: row(1, ['Name', 'E-Mail']) + row(2, ['Ann', 'ann@example.org']) }];

  it('a legacy .xls and a password-protected file (OLE containers) are told apart', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    expect(await refusal(file('old.xls', ole))).to.equal('imports.refused.xls');
    Buffer.from('EncryptionInfo', 'utf16le').copy(ole, 1024);
    expect(await refusal(file('locked.xlsx', ole))).to.equal('imports.refused.password');
  });

  it('macros, a broken zip, an ODS with encryption, a zip that is no workbook', async () => {
    expect(await refusal(file('m.xlsm', makeXlsx(sheet, [{ name: 'xl/vbaProject.bin', data: 'x' }])))).to.equal('imports.refused.macros');
    const good = makeXlsx(sheet);
    expect(await refusal(file('cut.xlsx', good.subarray(0, good.length - 30)))).to.equal('imports.refused.brokenZip');
    expect(await refusal(file('enc.ods', makeZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }, { name: 'content.xml', data: '<x/>' },
      { name: 'META-INF/manifest.xml', data: '<manifest:file-entry><manifest:encryption-data/></manifest:file-entry>' },
    ])))).to.equal('imports.refused.password');
    expect(await refusal(file('docs.zip', makeZip([{ name: 'readme.txt', data: 'hi' }])))).to.equal('imports.refused.notWorkbook');
  });

  it('a zip bomb is refused before it is inflated; an entry larger than it claims is caught while reading', async () => {
    // declared 4 GB: refused from the directory alone
    const huge = makeZip([
      { name: 'xl/workbook.xml', data: '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>' },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>' },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1024 * 1024), declaredSize: 0xfffffff0 },
    ]);
    expect(await refusal(file('bomb.xlsx', huge))).to.equal('imports.refused.expandsTooLarge');
    // a real one: 20 MB of zeros packed into ~20 KB, against a 5 MB budget
    const zeros = makeXlsx([{ name: 'S', xml: `${row(1, ['Name'])}<!--${' '.repeat(20 * 1024 * 1024)}-->` }]);
    expect(zeros.length).to.be.lessThan(100_000);
    expect(await refusal(file('zeros.xlsx', zeros), { maxExpanded: 5 * 1024 * 1024, maxColumns: 1024, maxEntries: 100 })).to.equal('imports.refused.expandsTooLarge');
    // shared strings are held in memory: their own, smaller budget
    const strings = makeXlsx([{ name: 'S', xml: row(1, ['Name']) }], [{ name: 'xl/sharedStrings.xml', data: `<sst>${'<si><t>x</t></si>'.repeat(100_000)}</sst>` }]);
    expect(await refusal(file('strings.xlsx', strings), { maxExpanded: 512 * 1024 * 1024, maxColumns: 1024, maxEntries: 100, maxInMemory: 1024 * 1024 })).to.equal('imports.refused.expandsTooLarge');
    // a size that lies: the directory says 10 bytes, the data inflates to more
    const lying = makeZip([
      { name: 'xl/workbook.xml', data: '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>' },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>' },
      { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${row(1, ['Name'])}</sheetData></worksheet>`, declaredSize: 10 },
    ]);
    expect(await refusal(file('liar.xlsx', lying))).to.equal('imports.refused.brokenZip');
  });

  it('16,384 columns are refused; a CLI import of a bad workbook exits 2 with one line and writes nothing', async () => {
    const wide = makeXlsx([{ name: 'S', xml: `${row(1, ['Name'])}<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>` }]);
    expect(await refusal(file('wide.xlsx', wide))).to.equal('imports.refused.sheetTooWide');
    const db = path.join(dir, 'bad.sqlite');
    const r = spawnSync(process.execPath, ['bin/skillnet.js', 'import', 'people', file('m2.xlsx', makeXlsx(sheet, [{ name: 'xl/vbaProject.bin', data: 'x' }]))], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${db}` }, encoding: 'utf8', timeout: 60000,
    });
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.contain('contains macros');
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: db }, useNullAsDefault: true });
    try {
      expect(Number((await k('people').count({ n: '*' }))[0]!.n)).to.equal(0);
      expect(Number((await k('import_batches').count({ n: '*' }))[0]!.n)).to.equal(0);
    } finally {
      await k.destroy();
    }
  });
});

describe('wizard: a workbook upload', function () {
  this.timeout(240000);
  it('reads the first visible sheet, offers the others (hidden ones marked), and previews like a CSV', async () => {
    const { testEnv, login } = await import('../support/app.js');
    const env = await testEnv();
    try {
      const xlsx = await peopleWorkbook(path.join(dir, 'wizard.xlsx'));
      const m = await login(env, 'manager@example.org', 'manager');
      const token = await m.csrf('/imports/new');
      const up = await m.agent.post('/imports/new').field('_csrf', token).attach('file', xlsx);
      expect(up.status, up.text).to.equal(303);
      const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
      const map = await m.agent.get(up.headers.location);
      expect(map.text).to.contain('<dd>Kontakte</dd>').and.to.contain('>Notes (hidden)</option>').and.to.contain('Adresse 3');
      // the hidden sheet has no data rows: refused with a message, the sheet read stays
      const other = await m.post(`/imports/drafts/${key}/sheet`, { sheet: 'Notes' });
      expect(other.status).to.equal(303);
      const after = await m.agent.get(`/imports/drafts/${key}/map`);
      expect(after.text).to.contain('<dd>Kontakte</dd>').and.to.contain('no rows of data');
      expect((await m.post(`/imports/drafts/${key}/sheet`, { sheet: 'Nope' })).status).to.equal(400);
      await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes', lossy: 'keep' });
      await jobSettled(m, key);
      const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain('Zoë Ødegård').and.to.contain('Bo Berg');
    } finally {
      await env.close();
    }
  });
});
