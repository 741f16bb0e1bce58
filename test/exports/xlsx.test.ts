// Workbook exports (issue 13 §2): typed cells, bold frozen header with a filter, widths; read back by exceljs
// and by Skillnet's own workbook import.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { buildNetwork } from '../search/network.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { importCsv } from '../imports/helpers.js';
import { prepareImportFile } from '../../src/imports/workbook.service.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-xlsx-'));

async function download(u: LoggedIn, url: string, lang = 'en') {
  const res = await u.agent.get(url).set('Accept-Language', lang).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

describe('exports as Excel workbooks', function () {
  this.timeout(60000);
  let env: TestEnv;
  let viewer: LoggedIn;
  before(async () => {
    env = await testEnv();
    await buildNetwork(env.db);
    const r = validatePerson({
      first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567', postcode: '01067', city: 'Dresden',
      notes: '=HYPERLINK("http://evil")', languages: 'German, Danish, English', kind: 'volunteer', availability: 'available',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const zoe = await createPerson(env.db, SYSTEM_ACTOR, r.value);
    await env.db('engagements').insert({
      person_id: zoe, project_id: (await env.db('projects').first('id')).id, role: 'Beratung', start_date: '2024-02-01', hours: 12.5, paid: 1,
      rate: 45.5, created_at: 'x', updated_at: 'x',
    });
    viewer = await login(env, 'v@example.org', 'viewer');
  });
  after(async () => { await env.close(); });

  it('/people.xlsx: typed cells, no formula guard, bold frozen header with an autofilter, widths; audited as xlsx', async () => {
    const res = await download(viewer, '/people.xlsx?q=Ødegård');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="people-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).to.equal('People');
    expect(ws.rowCount).to.equal(2);
    const head = ws.getRow(1);
    expect(head.getCell(1).value).to.equal('ID');
    expect(head.getCell(1).font?.bold).to.equal(true);
    expect(ws.views[0]).to.include({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).to.be.ok;
    const byHeader = (h: string) => ws.getRow(2).getCell((head.values as unknown[]).indexOf(h));
    expect(byHeader('ID').type).to.equal(ExcelJS.ValueType.Number);
    expect(byHeader('Postcode').value).to.equal('01067');
    expect(byHeader('Postcode').type).to.equal(ExcelJS.ValueType.String);
    expect(byHeader('Phone').value).to.equal('+49 30 1234567');
    expect(byHeader('Notes').value).to.equal('=HYPERLINK("http://evil")');
    expect(byHeader('Notes').type).to.equal(ExcelJS.ValueType.String);
    expect(byHeader('Created').type).to.equal(ExcelJS.ValueType.Date);
    expect(byHeader('Created').numFmt).to.equal('yyyy-mm-dd');
    expect(ws.getColumn((head.values as unknown[]).indexOf('Notes')).width).to.be.greaterThan(30);
    const audit = await env.db('audit_log').where({ action: 'export' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.changes)).to.deep.equal({ format: 'xlsx', filter: 'q=%C3%98deg%C3%A5rd', rows: 1 });
  });

  it('every list as xlsx in German; engagements have numbers for hours; the form offers CSV and Excel', async () => {
    for (const list of ['people', 'organisations', 'projects', 'engagements']) {
      const res = await download(viewer, `/exports/${list}/file?format=xlsx`, 'de');
      expect(res.status, list).to.equal(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      expect(wb.worksheets[0]!.rowCount, list).to.be.greaterThan(1);
      if (list === 'engagements') {
        const head = wb.worksheets[0]!.getRow(1).values as unknown[];
        const hours = wb.worksheets[0]!.getColumn(head.indexOf('Stunden')).values.slice(2).filter((v) => v !== null && v !== undefined);
        expect(hours.length).to.be.greaterThan(0);
        for (const h of hours) expect(h).to.be.a('number');
      }
    }
    const form = await viewer.agent.get('/exports/people').set('Accept-Language', 'de');
    expect(form.text).to.contain('action="/exports/people/file"').and.to.contain('value="xlsx"').and.to.contain('Excel-Arbeitsmappe');
    expect(form.text).to.contain('value="ods"').and.to.contain('value="vcf"');
    for (const list of ['people', 'organisations', 'projects', 'engagements']) {
      const ods = await download(viewer, `/${list}.ods`, 'de');
      expect(ods.headers['content-type'], list).to.equal('application/vnd.oasis.opendocument.spreadsheet');
      const f = path.join(dir, `${list}.ods`);
      writeFileSync(f, ods.body);
      const p = await prepareImportFile(f, path.join(dir, `${list}-ods.csv`));
      expect(p.workbook?.kind, list).to.equal('ods');
      expect(p.detection.headers[0], list).to.equal('ID');
    }
    const csv = await download(viewer, '/exports/people/file?format=csv&col=last_name');
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
  });

  it('an exported workbook imports back unchanged (the one import path)', async () => {
    const res = await download(viewer, '/people.xlsx', 'de');
    const f = path.join(dir, 'people.xlsx');
    writeFileSync(f, res.body);
    const p = await prepareImportFile(f, path.join(dir, 'people.csv'));
    expect(p.workbook?.sheet).to.equal('Personen');
    const back = await importCsv(env.db, p.csv, { policy: 'update', dryRun: true, detection: p.detection });
    expect(back.errors).to.equal(0);
    expect(back.created).to.equal(0);
    expect(back.updated).to.equal(0);
    expect(back.unchanged).to.equal(back.rows);
  });
});

describe('exports as vCards', function () {
  this.timeout(60000);
  let env: TestEnv;
  let viewer: LoggedIn;
  let zoe: number;
  before(async () => {
    env = await testEnv();
    const r = validatePerson({
      first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567', postcode: '01067', city: 'Dresden',
      organisation: 'Kiez; Laden, e.V.', notes: `Zeile eins\nZeile zwei mit einem sehr langen Text, der über fünfundsiebzig Bytes hinausgeht, äöü`,
      tags: 'Mentor, Foto', kind: 'volunteer', availability: 'available',
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    zoe = await createPerson(env.db, SYSTEM_ACTOR, r.value);
    const b = validatePerson({ first_name: 'Bo', last_name: 'Berg', kind: 'volunteer', availability: 'available' });
    if (!b.ok) throw new Error('bo');
    await createPerson(env.db, SYSTEM_ACTOR, b.value);
    viewer = await login(env, 'v@example.org', 'viewer');
  });
  after(async () => { await env.close(); });

  it('one person as a vCard 3.0 (escaped, folded at 75 octets) that reads back the same; 404 for nobody', async () => {
    const { parseVcards, contactRow } = await import('../../src/imports/vcard.domain.js');
    const res = await download(viewer, `/people/${zoe}/card.vcf`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/vcard; charset=utf-8');
    const text = res.body.toString('utf8');
    expect(text).to.match(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line), line).to.be.at.most(75);
    expect(text).to.contain('ORG:Kiez\\; Laden\\, e.V.');
    const [c] = parseVcards(text);
    expect(contactRow(c!)).to.deep.include({
      first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567', postcode: '01067', city: 'Dresden',
      organisation: 'Kiez; Laden, e.V.', notes: 'Zeile eins\nZeile zwei mit einem sehr langen Text, der über fünfundsiebzig Bytes hinausgeht, äöü',
      tags: 'Foto; Mentor',
    });
    expect((await download(viewer, '/people/999999/card.vcf')).status).to.equal(404);
    const show = await viewer.agent.get(`/people/${zoe}`);
    expect(show.text).to.contain(`href="/people/${zoe}/card.vcf"`);
  });

  it('a search result as vCards, from the export form too; audited as vcf', async () => {
    const { parseVcards } = await import('../../src/imports/vcard.domain.js');
    const all = await download(viewer, '/people.vcf');
    expect(parseVcards(all.body.toString('utf8'))).to.have.length(2);
    const one = await download(viewer, '/exports/people/file?format=vcf&q=Berg');
    expect(parseVcards(one.body.toString('utf8'))).to.have.length(1);
    const audit = await env.db('audit_log').where({ action: 'export' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.changes)).to.deep.include({ format: 'vcf', rows: 1 });
  });
});
