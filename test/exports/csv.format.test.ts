import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { makeTranslator } from '../../src/i18n/i18n.js';
import { guessField, parseSkill, splitMulti, stripFormulaGuard } from '../../src/imports/mapping.domain.js';
import { guessEngagementField } from '../../src/imports/engagements.domain.js';
import { decimalCell, listCell, parseDelimiter, skillsCell, textCell, type CsvFormat } from '../../src/exports/csv.domain.js';
import { streamCsv } from '../../src/exports/csv.writer.js';
import { chooseColumns, columnHeader, columnKeys } from '../../src/exports/columns.domain.js';

/** Streams records through the export's CSV writer and returns the bytes as text. */
async function csvOf(records: Record<string, unknown>[], format: CsvFormat, keys = Object.keys(records[0] ?? { v: '' })): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const r = await streamCsv(records, (x) => keys.map((k) => x[k]), out, { format, headers: keys });
  expect(r).to.deep.equal({ rows: records.length, complete: true });
  return Buffer.concat(chunks).toString('utf8');
}

const TRICKY = [
  '=1+1', '=HYPERLINK("http://x","y")', '+49 30 1234567', '-5', '@SUM(A1)', '\tTab first', '\rCR first', "'=already guarded",
  "''=two quotes", "'t Hooft", 'line one\nline two', 'crlf\r\ninside', 'plain', '"quoted"', 'semi;colon', 'com,ma', 'Müller Straße Ødegård',
  '', 'trailing =', 'a-b', '100%',
];

describe('exports: CSV format', () => {
  it('BOM, CRLF between records, header row; no BOM when not asked', async () => {
    const text = await csvOf([{ a: '1', b: '2' }, { a: '3', b: '4' }], { delimiter: ',', bom: true });
    expect(text).to.equal('\uFEFFa,b\r\n1,2\r\n3,4\r\n');
    expect(await csvOf([{ a: '1' }], { delimiter: ';', bom: false })).to.equal('a\r\n1\r\n');
  });

  it('an empty result is a header-only file', async () => {
    expect(await csvOf([], { delimiter: ';', bom: true }, ['x', 'y'])).to.equal('\uFEFFx;y\r\n');
  });

  it('quotes line breaks (a bare \\n too) and every separator a spreadsheet may tick', async () => {
    const text = await csvOf([{ v: 'a\nb' }, { v: 'c;d' }, { v: 'e,f' }], { delimiter: ';', bom: false });
    expect(text).to.equal('v\r\n"a\nb"\r\n"c;d"\r\n"e,f"\r\n');
  });

  it('neutralises formula-looking cells with a leading apostrophe', async () => {
    const text = await csvOf(['=1+1', '+49 30 1', '-5', '@x', '\tt', '\rr', 'plain'].map((v) => ({ v })), { delimiter: ',', bom: false });
    const cells = (parse(text, { from_line: 2 }) as string[][]).map((r) => r[0]);
    expect(cells).to.deep.equal(["'=1+1", "'+49 30 1", "'-5", "'@x", "'\tt", "'\rr", 'plain']);
  });

  for (const delimiter of [',', ';'] as const) {
    it(`every tricky value comes back exactly through the import's guard stripping (${delimiter})`, async () => {
      const records = TRICKY.map((v) => ({ v: textCell(v) }));
      const text = await csvOf(records, { delimiter, bom: true });
      const parsed = parse(text, { bom: true, delimiter, from_line: 2 }) as string[][];
      expect(parsed.map((r) => stripFormulaGuard(r[0]!))).to.deep.equal(TRICKY);
    });
  }

  it('textCell doubles the guard only where the import would strip one', () => {
    const cases: [string | null, string][] = [
      [null, ''], ['plain', 'plain'], ["'=x", "''=x"], ["''+x", "'''+x"], ["'t Hooft", "'t Hooft"], ['=x', '=x'], ["'", "'"],
    ];
    for (const [v, want] of cases) expect(textCell(v), String(v)).to.equal(want);
  });

  it('list cells split back into the same values', () => {
    const cases: string[][] = [['a', 'b c'], ['Only, one'], ['x'], [], ['Kiez; helden'.replace(';', ''), 'Ümlaut']];
    for (const values of cases) expect(splitMulti(listCell(values), false), JSON.stringify(values)).to.deep.equal(values);
    expect(listCell(['a', 'b'])).to.equal('a; b');
    expect(listCell(['Only, one'])).to.equal('Only, one;');
  });

  it('skill cells carry the level and read back', () => {
    const skills = [{ name: 'Data protection (GDPR)', level: 4 }, { name: 'SEO', level: 3 }, { name: 'HTML & CSS', level: 1 }];
    const cell = skillsCell(skills);
    expect(cell).to.equal('Data protection (GDPR) (4/4); SEO (3/4); HTML & CSS (1/4)');
    expect(splitMulti(cell, false).map(parseSkill)).to.deep.equal(skills);
    expect(splitMulti(skillsCell([{ name: 'Design, UX', level: 2 }]), false).map(parseSkill)).to.deep.equal([{ name: 'Design, UX', level: 2 }]);
  });

  it('decimals: a comma for the German separator, a point otherwise', () => {
    expect(decimalCell(12.5, ';')).to.equal('12,5');
    expect(decimalCell(12.5, ',')).to.equal('12.5');
    expect(decimalCell(3, ';')).to.equal('3');
    expect(decimalCell(null, ';')).to.equal('');
  });

  it('separator: by the interface language unless chosen', () => {
    const cases: [unknown, string, string][] = [
      [undefined, 'de', ';'], [undefined, 'en', ','], ['comma', 'de', ','], ['semicolon', 'en', ';'], ['tab', 'de', ';'],
      [['semicolon'], 'en', ','], ['__proto__', 'en', ','],
    ];
    for (const [raw, locale, want] of cases) expect(parseDelimiter(raw, locale), `${String(raw)} ${locale}`).to.equal(want);
  });
});

describe('exports: columns', () => {
  it('a choice keeps file order, drops unknown keys, and none means all', () => {
    const all = columnKeys('people');
    expect(chooseColumns('people', ['email', 'first_name', 'nope'])).to.deep.equal(['first_name', 'email']);
    expect(chooseColumns('people', 'skills,last_name')).to.deep.equal(['last_name', 'skills']);
    expect(chooseColumns('people', undefined)).to.deep.equal(all);
    expect(chooseColumns('people', ['nope'])).to.deep.equal(all);
    expect(chooseColumns('organisations', { x: 1 })).to.deep.equal(columnKeys('organisations'));
  });

  const PEOPLE_TARGETS: Record<string, string> = {
    id: 'ignore', first_name: 'first_name', last_name: 'last_name', email: 'email', phone: 'phone', city: 'city', postcode: 'postcode',
    country: 'country', languages: 'languages', kind: 'kind', availability: 'availability', organisation: 'organisation', job_title: 'job_title',
    portfolio_url: 'portfolio_url', skills: 'skills', tags: 'tags', notes: 'notes', do_not_contact: 'ignore', last_confirmed_at: 'ignore',
    created_at: 'ignore',
  };
  const ENGAGEMENT_TARGETS: Record<string, string> = {
    id: 'ignore', email: 'email', first_name: 'ignore', last_name: 'ignore', organisation: 'organisation', project: 'project',
    project_kind: 'project_kind', role: 'role', start_date: 'start_date', end_date: 'end_date', hours: 'hours', paid: 'paid', rate: 'rate',
    outcome: 'outcome', feedback: 'feedback', rating: 'rating', handover: 'handover',
  };

  for (const locale of ['en', 'de'] as const) {
    const t = makeTranslator(catalog, locale);
    it(`the importer maps every ${locale} people header back to its field`, () => {
      expect(Object.keys(PEOPLE_TARGETS)).to.deep.equal(columnKeys('people'));
      for (const key of columnKeys('people')) expect(guessField(columnHeader(t, key)), `${key}: ${columnHeader(t, key)}`).to.equal(PEOPLE_TARGETS[key]);
    });
    it(`the engagement importer maps every ${locale} engagements header back to its field`, () => {
      expect(Object.keys(ENGAGEMENT_TARGETS)).to.deep.equal(columnKeys('engagements'));
      for (const key of columnKeys('engagements')) expect(guessEngagementField(columnHeader(t, key)), `${key}: ${columnHeader(t, key)}`).to.equal(ENGAGEMENT_TARGETS[key]);
    });
  }
});
