// LibreOffice as the real client (issue 13 §8): Skillnet's exports converted by soffice read back with every
// column where it belongs, text cells still text, leading zeros and names intact; files LibreOffice writes
// (xlsx, ods, CSV in UTF-8 and Windows-1252) import with the expected people and no duplicates the second time.
// soffice runs four times in all, each converting every file of its kind at once.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { prepareExport, writeExport, type FileType } from '../../src/exports/lists.service.js';
import { columnKeys } from '../../src/exports/columns.domain.js';
import { prepareImportFile } from '../../src/imports/workbook.service.js';
import { workbookToCsv } from '../../src/imports/workbook.reader.js';
import { guessMapping } from '../../src/imports/mapping.domain.js';
import { importPeopleFile, type ImportSummary } from '../../src/imports/import.service.js';
import { TEST_ACTOR } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-lo-'));
const profile = `file://${path.join(dir, 'profile')}`;

/** soffice with a profile of its own (other LibreOffice runs on the machine do not get in the way). */
function soffice(args: string[], files: string[], outdir: string): void {
  const r = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', ...args, '--outdir', outdir, ...files], { encoding: 'utf8', timeout: 120000 });
  expect(r.status, `soffice ${args.join(' ')}: ${r.stderr}`).to.equal(0);
  for (const f of files) {
    const ext = args[args.indexOf('--convert-to') + 1]!.split(':')[0]!;
    const out = path.join(outdir, `${path.basename(f, path.extname(f))}.${ext}`);
    expect(existsSync(out), `${out} written`).to.equal(true);
  }
}

// in the order the export lists them (by last name), created in that order
const PEOPLE = [
  { first_name: 'Ann 🌻', last_name: 'Berg', email: 'ann@example.org', postcode: '20095', job_title: 'Grafik, Web' },
  { first_name: 'Nguyễn', last_name: 'Lan', phone: '+49 30 111', postcode: '04109', city: 'Leipzig' },
  { first_name: 'Zoë', last_name: 'Ødegård', email: 'zoe@example.org', phone: '+49 30 1234567', postcode: '10115', notes: '=1+1' },
  { first_name: 'Gülşen', last_name: 'Yılmaz', email: 'gulsen@example.org', postcode: '01067', city: 'Dresden', languages: 'German, Danish, English', notes: 'Seit 31.12.2024 dabei\nzweite Zeile; mit Semikolon' },
];

async function exportTo(db: Knex, file: string, fileType: FileType, lang: 'en' | 'de') {
  const e = await prepareExport(db, 'people', {}, lang);
  const out = createWriteStream(file);
  const portable = columnKeys('people').filter((k) => !['id', 'created_at', 'last_confirmed_at', 'do_not_contact'].includes(k));
  await writeExport(db, e, out, { locale: lang, format: { delimiter: lang === 'de' ? ';' : ',', bom: true }, columns: portable, fileType });
  if (!out.closed) await once(out, 'close');
}

async function importFile(db: Knex, file: string, policy: 'skip' | 'update' = 'skip'): Promise<ImportSummary> {
  const p = await prepareImportFile(file, `${file}.import.csv`);
  return importPeopleFile(db, {
    file: p.csv, filename: path.basename(file), detection: p.detection, mapping: guessMapping(p.detection.headers, p.detection.sample),
    policy, newSkills: true, dryRun: false, actor: TEST_ACTOR,
  });
}

/** A workbook's first sheet as rows of cells (through Skillnet's reader). */
async function sheetRows(file: string): Promise<string[][]> {
  const out = `${file}.rows.csv`;
  await workbookToCsv(file, out);
  return parse(readFileSync(out, 'utf8'), { relax_column_count: true }) as string[][];
}

const people = async (db: Knex) => db('people').orderBy('id').select('first_name', 'last_name', 'postcode', 'phone');

describe('LibreOffice round trips (soffice as the spreadsheet)', function () {
  this.timeout(300000);
  let db: Knex;
  const out = (name: string) => path.join(dir, name);
  before(async function () {
    expect(spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status, 'LibreOffice (soffice) must be installed: apt-get install -y libreoffice-calc-nogui').to.equal(0);
    db = await testDb();
    const skill = await createSkill(db, SYSTEM_ACTOR, { name: 'Graphic design', name_de: 'Grafikdesign', category_id: null, description: null, aliases: [] });
    for (const p of PEOPLE) {
      const r = validatePerson({ kind: 'volunteer', availability: 'available', ...p, skill_id: [String(skill)], skill_level: ['3'] });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      await createPerson(db, SYSTEM_ACTOR, r.value);
    }
    await exportTo(db, out('en.csv'), 'csv', 'en');
    await exportTo(db, out('de.csv'), 'csv', 'de');
    await exportTo(db, out('people.xlsx'), 'xlsx', 'de');
    await exportTo(db, out('ours.ods'), 'ods', 'de');
    execFileSync('mkdir', ['-p', out('lo-xlsx'), out('lo-ods'), out('lo-utf8'), out('lo-1252')]);
    // 1: the CSV exports opened with comma, semicolon and tab all ticked (LibreOffice's default), saved as xlsx
    soffice(['--infilter=Text - txt - csv (StarCalc):44/59/9,34,76,1,,1031', '--convert-to', 'xlsx'], [out('en.csv'), out('de.csv')], out('lo-xlsx'));
    // 2-4: the Excel export opened in LibreOffice, saved as ods, as UTF-8 CSV and as Windows-1252 CSV
    soffice(['--convert-to', 'ods'], [out('people.xlsx')], out('lo-ods'));
    soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1'], [out('people.xlsx'), out('ours.ods')], out('lo-utf8'));
    soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):59,34,1,1'], [out('people.xlsx')], out('lo-1252'));
  });
  after(async () => { await db?.destroy(); });

  it('CSV exports read with every separator ticked: no cell spills past its column, names and lists intact', async () => {
    for (const f of ['en', 'de']) {
      const rows = await sheetRows(out(`lo-xlsx/${f}.xlsx`));
      const width = rows[0]!.length;
      expect(rows.length, f).to.equal(PEOPLE.length + 1);
      for (const r of rows) expect(r.slice(width).filter(Boolean), `${f}: ${r.join('|')}`).to.deep.equal([]);
      const col = (name: string) => rows[0]!.indexOf(name);
      const lang = f === 'de' ? { first: 'Vorname', languages: 'Sprachen', skills: 'Fähigkeiten', job: 'Berufsbezeichnung' } : { first: 'First name', languages: 'Languages', skills: 'Skills', job: 'Job title' };
      expect(rows.slice(1).map((r) => r[col(lang.first)])).to.deep.equal(PEOPLE.map((p) => p.first_name));
      expect(rows[4]![col(lang.languages)]).to.equal(f === 'de' ? 'Deutsch, Dänisch, Englisch' : 'German, Danish, English'); // languages in the file's language
      expect(rows[1]![col(lang.job)]).to.equal('Grafik, Web');
      expect(rows[4]![col(lang.skills)]).to.equal(f === 'de' ? 'Grafikdesign (3/4)' : 'Graphic design (3/4)');
    }
  });

  it('the Excel export in LibreOffice: text cells stay text (leading zeros, + phones without a guard), names intact', async () => {
    const ods = await sheetRows(out('lo-ods/people.ods'));
    const col = (name: string) => ods[0]!.indexOf(name);
    expect(ods.slice(1).map((r) => r[col('PLZ')])).to.deep.equal(PEOPLE.map((p) => p.postcode));
    expect(ods.slice(1).map((r) => r[col('Telefon')])).to.deep.equal(PEOPLE.map((p) => p.phone ?? ''));
    expect(ods.slice(1).map((r) => `${r[col('Vorname')]} ${r[col('Nachname')]}`)).to.deep.equal(PEOPLE.map((p) => `${p.first_name} ${p.last_name}`));
    expect(ods[3]![col('Notizen')]).to.equal('=1+1');
    const csv = parse(readFileSync(out('lo-utf8/people.csv'), 'utf8'), { bom: true }) as string[][];
    expect(csv.slice(1).map((r) => r[csv[0]!.indexOf('PLZ')])).to.deep.equal(PEOPLE.map((p) => p.postcode));
  });

  it('the ODS export opens in LibreOffice with text cells as text, and imports back unchanged', async () => {
    const csv = parse(readFileSync(out('lo-utf8/ours.csv'), 'utf8'), { bom: true }) as string[][];
    const col = (name: string) => csv[0]!.indexOf(name);
    expect(csv.slice(1).map((r) => r[col('PLZ')])).to.deep.equal(PEOPLE.map((p) => p.postcode));
    expect(csv.slice(1).map((r) => `${r[col('Vorname')]} ${r[col('Nachname')]}`)).to.deep.equal(PEOPLE.map((p) => `${p.first_name} ${p.last_name}`));
    expect(csv[4]![col('Notizen')]).to.equal(PEOPLE[3]!.notes);
    const back = await importFile(db, out('ours.ods'), 'update');
    expect(back).to.include({ rows: 4, created: 0, updated: 0, unchanged: 4, errors: 0 });
  });

  it('files LibreOffice wrote import with the expected people; a second import creates nobody', async () => {
    for (const f of ['lo-ods/people.ods', 'lo-xlsx/de.xlsx', 'lo-xlsx/en.xlsx', 'lo-utf8/people.csv']) {
      const fresh = await testDb();
      try {
        const first = await importFile(fresh, out(f));
        expect(first, f).to.include({ rows: 4, created: 4, errors: 0 });
        const names = (await people(fresh)).map((p) => `${p.first_name} ${p.last_name}`);
        expect(names, f).to.deep.equal(PEOPLE.map((p) => `${p.first_name} ${p.last_name}`));
        const second = await importFile(fresh, out(f), 'update');
        expect(second, f).to.include({ created: 0, errors: 0 });
        expect(Number((await fresh('people').count({ n: '*' }))[0]!.n), f).to.equal(4);
        if (f.endsWith('.ods') || f.includes('utf8')) expect((await people(fresh)).map((p) => p.postcode), f).to.deep.equal(PEOPLE.map((p) => p.postcode));
      } finally {
        await fresh.destroy();
      }
    }
  });

  it('a Windows-1252 CSV from LibreOffice back over the network with update: no duplicate, names not damaged, the losses listed', async () => {
    const text = readFileSync(out('lo-1252/people.csv'));
    expect(text.includes(Buffer.from('Gül?en', 'latin1'))).to.equal(true);
    const r = await importFile(db, out('lo-1252/people.csv'), 'update');
    expect(r).to.include({ rows: 4, created: 0, errors: 0 });
    expect(await people(db)).to.deep.equal(PEOPLE.map((p) => ({ first_name: p.first_name, last_name: p.last_name, postcode: p.postcode, phone: p.phone ?? null })));
    const held = r.issues.filter((i) => i.type === 'held').map((i) => `${i.vars.from} → ${i.vars.to}`);
    expect(held).to.include.members(['Gülşen → Gül?en', 'Yılmaz → Y?lmaz', 'Nguyễn → Nguy?n']);
  });
});
