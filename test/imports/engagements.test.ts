import { expect } from 'chai';
import path from 'node:path';
import type { Knex } from 'knex';
import { detectFile } from '../../src/imports/csv.reader.js';
import { guessEngagementMapping, mapEngagementRow } from '../../src/imports/engagements.domain.js';
import { parseDate, parseDecimal } from '../../src/shared/validate.js';
import { importEngagementsFile } from '../../src/imports/engagements.service.js';
import { undoBatch, undoImpact } from '../../src/imports/undo.service.js';
import type { Policy } from '../../src/imports/rows.domain.js';
import { testDb } from '../support/app.js';
import { TEST_ACTOR, counts, csvFile, importCsv } from './helpers.js';

async function importHistory(db: Knex, text: string, opts: { policy?: Policy; dryRun?: boolean; dropBadField?: boolean } = {}) {
  const file = csvFile(text);
  const detection = await detectFile(file);
  return importEngagementsFile(db, {
    file, filename: path.basename(file), detection, mapping: guessEngagementMapping(detection.headers), policy: opts.policy ?? 'skip',
    dryRun: opts.dryRun ?? false, actor: TEST_ACTOR, dropBadField: opts.dropBadField, reviewTag: 'Import: check',
  });
}

const HISTORY = 'E-Mail;Organisation;Projekt;Rolle;Von;Bis;Stunden;Bezahlt;Übergabe\n'
  + 'ada@example.org;Tafel Nord e.V.;Neue Website;Entwicklerin;01.03.2021;2021-06-30;40,5;nein;ja\n'
  + 'bob@example.org;Tafel Nord e.V.;Neue Website;Beratung;2021-03-01;;12;ja;teilweise\n'
  + 'ada@example.org;Kältehilfe;Newsletter-Tool;;2022-01-10;2022-02-01;8;;\n'
  + 'nobody@example.org;Kältehilfe;Newsletter-Tool;;;;;;\n'
  + 'bob@example.org;Kältehilfe;Newsletter-Tool;;32.13.2022;;;;\n';

describe('engagements import', () => {
  let db: Knex;
  beforeEach(async () => {
    db = await testDb();
    await importCsv(db, 'Name,Email\nAda Lovelace,ada@example.org\nBob Baker,bob@example.org\n');
  });
  afterEach(async () => { await db.destroy(); });

  it('guesses the columns in German and English', () => {
    expect(guessEngagementMapping(['E-Mail', 'Organisation', 'Projekt', 'Rolle', 'Von', 'Bis', 'Stunden', 'Bezahlt', 'Übergabe', 'Notizen']))
      .to.deep.equal(['email', 'organisation', 'project', 'role', 'start_date', 'end_date', 'hours', 'paid', 'handover', 'ignore']);
    expect(guessEngagementMapping(['Email Address', 'Organization', 'Project title', 'Role', 'Start date', 'End date', 'Hours', 'Rating']))
      .to.deep.equal(['email', 'organisation', 'project', 'role', 'start_date', 'end_date', 'hours', 'rating']);
  });

  const dates: [string, string | null][] = [['2021-03-01', '2021-03-01'], ['1.3.2021', '2021-03-01'], ['01.03.21', '2021-03-01'], ['2021-03-01T10:00:00Z', '2021-03-01'], ['3/1/2021', null], ['32.13.2022', null]];
  for (const [raw, iso] of dates) it(`reads the date ${raw}`, () => expect(parseDate(raw)).to.equal(iso));
  it('reads decimal commas', () => expect(['40,5', '1.234,5', '12', 'x'].map(parseDecimal)).to.deep.equal([40.5, 1234.5, 12, null]));

  it('rejects an end before the start, naming the column', () => {
    const r = mapEngagementRow(['a@example.org', 'O', 'P', '2022-02-01', '2022-01-01'], ['E-Mail', 'Org', 'Projekt', 'Von', 'Bis'], ['email', 'organisation', 'project', 'start_date', 'end_date']);
    expect(r).to.deep.equal({ ok: false, problem: { key: 'imports.row.endBeforeStart', vars: { column: 'Bis', value: '2022-01-01' } } });
  });

  it('creates organisations, projects and engagements, matched to people by e-mail; failures named by row', async () => {
    const s = await importHistory(db, HISTORY);
    expect(counts(s)).to.deep.equal({ rows: 5, created: 3, updated: 0, unchanged: 0, skipped: 0, errors: 2 });
    expect(s.issues.map((i) => [i.row, i.key])).to.deep.equal([[5, 'imports.row.noPerson'], [6, 'imports.row.date']]);
    expect(await db('organisations').orderBy('id').pluck('name')).to.deep.equal(['Tafel Nord e.V.', 'Kältehilfe']);
    expect(await db('projects').orderBy('id').select('title', 'status')).to.deep.equal([{ title: 'Neue Website', status: 'done' }, { title: 'Newsletter-Tool', status: 'done' }]);
    const ada = await db('engagements as e').join('people as p', 'p.id', 'e.person_id').where('p.email', 'ada@example.org').orderBy('e.start_date')
      .select('e.role', 'e.start_date', 'e.end_date', 'e.hours', 'e.paid', 'e.handover');
    expect(ada).to.deep.equal([
      { role: 'Entwicklerin', start_date: '2021-03-01', end_date: '2021-06-30', hours: 40.5, paid: 0, handover: 'yes' },
      { role: null, start_date: '2022-01-10', end_date: '2022-02-01', hours: 8, paid: 0, handover: null },
    ]);
  });

  it('importing the same history twice changes nothing; update lets the file win', async () => {
    await importHistory(db, HISTORY);
    const again = await importHistory(db, HISTORY, { policy: 'update' });
    expect(counts(again)).to.include({ created: 0, updated: 0, unchanged: 3 });
    expect(await db('organisations').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 2 }]);
    const changed = await importHistory(db, 'E-Mail,Organisation,Projekt,Rolle,Von,Stunden\nada@example.org,tafel nord e.v.,NEUE WEBSITE,Entwicklerin,2021-03-01,44\n', { policy: 'update' });
    expect(counts(changed)).to.include({ updated: 1, created: 0 });
    expect(await db('engagements').where({ role: 'Entwicklerin' }).pluck('hours')).to.deep.equal([44]);
    await undoBatch(db, TEST_ACTOR, changed.batch!, { force: true });
    expect(await db('engagements').where({ role: 'Entwicklerin' }).pluck('hours')).to.deep.equal([40.5]);
  });

  it('a dry run writes nothing; undo removes what the batch created', async () => {
    const dry = await importHistory(db, HISTORY, { dryRun: true });
    expect(dry).to.include({ batch: null, created: 3 });
    expect(await db('engagements').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    const s = await importHistory(db, HISTORY);
    expect(await undoImpact(db, s.batch!)).to.include({ engagements: 3, engagementUpdates: 0 });
    await undoBatch(db, TEST_ACTOR, s.batch!, { force: false });
    for (const table of ['engagements', 'projects', 'organisations']) {
      expect(await db(table).count<{ n: number }[]>({ n: '*' }), table).to.deep.equal([{ n: 0 }]);
    }
    expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 2 }]);
  });

  describe('rows with one bad field', () => {
    const H = ['E-Mail', 'Org', 'Projekt', 'Von', 'Bis', 'Stunden', 'Bezahlt', 'Satz'];
    const T = ['email', 'organisation', 'project', 'start_date', 'end_date', 'hours', 'paid', 'rate'] as const;
    const map = (cells: string[], drop?: boolean) => mapEngagementRow(cells, H, [...T], { dropBadField: drop });
    const keyOf = (r: ReturnType<typeof map>) => (r.ok ? null : r.problem.key);

    it('fail by default', () => {
      expect(keyOf(map(['a@example.org', 'O', 'P', '31.02.2021', '', '3', '', '']))).to.equal('imports.row.date');
    });
    it('with the option, are taken without that field and say which', () => {
      const r = map(['a@example.org', 'O', 'P', '31.02.2021', '2021-05-01', 'viel', 'ja', '40'], false);
      expect(keyOf(r), 'two bad fields').to.equal('imports.row.date');
      const one = map(['a@example.org', 'O', 'P', '31.02.2021', '2021-05-01', '3', 'ja', '40'], true);
      expect(one.ok && [one.row.start_date, one.row.end_date, one.row.hours]).to.deep.equal([null, '2021-05-01', 3]);
      expect(one.ok && one.dropped).to.deep.equal([{ key: 'imports.row.date', vars: { column: 'Von', value: '31.02.2021' } }]);
      const hours = map(['a@example.org', 'O', 'P', '', '', 'viel', '', ''], true);
      expect(hours.ok && hours.dropped?.map((d) => d.key)).to.deep.equal(['imports.row.number']);
    });
    const still: [string, string[], string][] = [
      ['two bad fields', ['a@example.org', 'O', 'P', '31.02.2021', '', 'viel', '', ''], 'imports.row.date'],
      ['an end before the start (which one is wrong?)', ['a@example.org', 'O', 'P', '2022-02-01', '2022-01-01', '', '', ''], 'imports.row.endBeforeStart'],
      ['a rate on unpaid work', ['a@example.org', 'O', 'P', '', '', '', 'nein', '40'], 'imports.row.rateNeedsPaid'],
      ['an invalid e-mail (it finds the person)', ['kaputt', 'O', 'P', '', '', '', '', ''], 'imports.row.email'],
      ['no project', ['a@example.org', 'O', '', '', '', '', '', ''], 'imports.row.missingProject'],
    ];
    for (const [name, cells, key] of still) it(`still fail with the option: ${name}`, () => expect(keyOf(map(cells, true))).to.equal(key));

    it('an import with the option counts and lists them and tags the person once for review', async () => {
      const file = HISTORY + 'bob@example.org;Kältehilfe;Winterhilfe;;;;viel;;\n';
      const off = await importHistory(db, file, { dryRun: true });
      expect(off).to.include({ errors: 3, dropped: 0 });
      const on = await importHistory(db, file, { dropBadField: true });
      expect(counts(on)).to.deep.equal({ rows: 6, created: 5, updated: 0, unchanged: 0, skipped: 0, errors: 1 });
      expect(on.dropped).to.equal(2);
      expect(on.issues.filter((i) => i.type === 'dropped').map((i) => [i.row, i.key])).to.deep.equal([[6, 'imports.row.date'], [7, 'imports.row.number']]);
      const tagged = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').join('people as p', 'p.id', 'pt.person_id').select('p.email', 't.name');
      expect(tagged).to.deep.equal([{ email: 'bob@example.org', name: 'Import: check' }]);
      await undoBatch(db, TEST_ACTOR, on.batch!, { force: true });
      expect(await db('person_tags').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
      expect(await db('tags').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    });
  });
});
