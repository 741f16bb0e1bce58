import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ImportRefused } from '../../src/imports/decode.domain.js';
import type { Policy } from '../../src/imports/rows.domain.js';
import { testDb } from '../support/app.js';
import { onPostgres } from '../support/pg.js';
import { textMatchIds } from '../../src/search/search.queries.js';
import { EXPORTS, counts, csvFile, importCsv } from './helpers.js';

const BASE = 'First Name,Last Name,Email,Phone,City,Skills,Tags\n'
  + 'Ada,Lovelace,ada@example.org,,London,SEO (2),Volunteers\n'
  + 'Jörg,Müller,,030 1234567,Berlin,,\n';

describe('import engine: dedupe and policies', () => {
  let db: Knex;
  beforeEach(async () => {
    db = await testDb();
    expect(counts(await importCsv(db, BASE))).to.deep.equal({ rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0 });
  });
  afterEach(async () => { await db.destroy(); });

  const person = (email: string) => db('people').where({ email_norm: email }).first();

  const cases: [string, Policy, string, object, (() => Promise<unknown>)?][] = [
    ['the same file again changes nothing (skip)', 'skip', BASE, { created: 0, updated: 0, unchanged: 2 }],
    ['the same file again changes nothing (update)', 'update', BASE, { created: 0, updated: 0, unchanged: 2 }],
    ['the same file again changes nothing (fill)', 'fill', BASE, { created: 0, updated: 0, unchanged: 2 }],
    ['e-mail match in another case, skip: nothing is touched', 'skip', 'Email,City\n ADA@Example.org ,Paris\n', { skipped: 1, updated: 0 },
      async () => expect((await person('ada@example.org')).city).to.equal('London')],
    ['e-mail match, update: the file wins', 'update', 'Email,City,Phone\nada@example.org,Paris,\n', { updated: 1 },
      async () => expect(await person('ada@example.org')).to.include({ city: 'Paris', phone: null })],
    ['e-mail match, update: an empty cell never blanks', 'update', 'Email,City,First Name\nada@example.org,,\n', { unchanged: 1 },
      async () => expect(await person('ada@example.org')).to.include({ city: 'London', first_name: 'Ada' })],
    ['e-mail match, fill: only empty fields', 'fill', 'Email,City,Phone\nada@example.org,Paris,+44 1\n', { updated: 1 },
      async () => expect(await person('ada@example.org')).to.include({ city: 'London', phone: '+44 1' })],
    ['name and phone match without e-mail (phone written differently)', 'update', 'Vorname,Nachname,Telefon,Ort\njorg,MULLER,+49 30 1234567,Potsdam\n', { updated: 1, created: 0 },
      async () => expect((await db('people').where({ name_norm: 'jorg muller' }).first()).city).to.equal('Potsdam')],
    ['same name, other phone: a new person', 'update', 'First Name,Last Name,Phone\nJörg,Müller,040 999999\n', { created: 1 }],
    ['no e-mail never matches a person with one', 'update', 'First Name,Last Name\nAda,Lovelace\n', { created: 1 }],
    ['update adds skills and tags and sets a stated level', 'update', 'Email,Skills,Tags\nada@example.org,SEO (3/4); WordPress,Drivers\n', { updated: 1 },
      async () => {
        const p = await person('ada@example.org');
        const skills = await db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').where('ps.person_id', p.id).orderBy('s.name').select('s.name', 'ps.level');
        expect(skills).to.deep.equal([{ name: 'SEO', level: 3 }, { name: 'WordPress', level: 1 }]);
        expect(await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', p.id).orderBy('t.name').pluck('t.name')).to.deep.equal(['Drivers', 'Volunteers']);
      }],
  ];
  for (const [name, policy, csv, expected, check] of cases) {
    it(name, async () => {
      const s = await importCsv(db, csv, { policy });
      expect(counts(s)).to.include(expected);
      await check?.();
      // and once more: nothing new
      const again = await importCsv(db, csv, { policy });
      expect(again.created + again.updated, 'second import').to.equal(0);
    });
  }

  it('flags name-only matches in the preview', async () => {
    const s = await importCsv(db, 'First Name,Last Name,Phone,City\nJörg,Müller,030 1234567,Hamburg\n', { policy: 'update', dryRun: true });
    expect(s.nameMatches).to.equal(1);
    expect(s.changes[0]).to.include({ action: 'update', nameMatch: true });
    expect(s.changes[0]!.fields).to.deep.equal({ city: { from: 'Berlin', to: 'Hamburg' } });
  });

  it('reports duplicates inside the file; the first row wins', async () => {
    const s = await importCsv(db, 'Email,First Name\nnew@example.org,First\nNEW@example.org,Second\nx@example.org,X\n', { policy: 'update' });
    expect(counts(s)).to.include({ created: 2, skipped: 1 });
    expect(s.duplicates).to.equal(1);
    expect(s.issues).to.deep.equal([{ row: 3, type: 'duplicate', key: 'imports.row.duplicate', vars: { first: 2 } }]);
    expect((await person('new@example.org')).first_name).to.equal('First');
  });

  it('skips the e-mails of erased people', async () => {
    await db('suppressions').insert({ email_hash: createHash('sha256').update('gone@example.org').digest('hex'), erased_at: '2026-01-01' });
    const s = await importCsv(db, 'Email,First Name\nGone@Example.org,Gone\n');
    expect(counts(s)).to.include({ created: 0, skipped: 1 });
    expect(s.issues[0]).to.include({ row: 2, type: 'suppressed' });
  });

  it('a dry run writes nothing and returns no batch', async () => {
    const before = await db('people').count<{ n: number }[]>({ n: '*' });
    const s = await importCsv(db, 'Email,First Name,Skills\nnew@example.org,New,Brand new skill\n', { dryRun: true });
    expect(s).to.include({ batch: null, created: 1 });
    expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal(before);
    expect(await db('skills').where({ name: 'Brand new skill' }).first()).to.equal(undefined);
    expect(await db('import_batches').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 1 }]);
  });

  it('--no-new-skills leaves unknown skills out; known aliases still match', async () => {
    const seo = await db('skills').where({ name: 'SEO' }).first();
    await db('skill_aliases').insert({ skill_id: seo.id, alias: 'Suchmaschinenoptimierung', alias_norm: 'suchmaschinenoptimierung' });
    const s = await importCsv(db, 'Email,First Name,Skills\nnew@example.org,New,Suchmaschinenoptimierung (3); Underwater Basket Weaving\n', { newSkills: false });
    expect(s.unknownSkills).to.deep.equal([{ key: 'underwater basket weaving', name: 'Underwater Basket Weaving', rows: 1, outcome: 'ignored' }]);
    const p = await person('new@example.org');
    // a bare (3) is the former scale's Expert
    expect(await db('person_skills').where({ person_id: p.id }).select('skill_id', 'level')).to.deep.equal([{ skill_id: seo.id, level: 4 }]);
  });

  it('counts every unknown skill exactly, however many, and lists the 100 named by most rows', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `p${i}@example.org,P${i},Rare ${i}; Common${i % 3 === 0 ? '; Third' : ''}`);
    const csv = ['email,first name,skills', ...rows].join('\n') + '\n';
    const dry = await importCsv(db, csv, { dryRun: true, newSkills: true });
    expect(dry.unknownSkillCount).to.equal(1002);
    expect(dry.unknownSkills).to.have.length(100);
    // the 100 most used, in the file's order: Rare 0, Common, Third, Rare 1 …
    expect(dry.unknownSkills.slice(0, 4).map((u) => [u.name, u.rows])).to.deep.equal([['Rare 0', 1], ['Common', 1000], ['Third', 334], ['Rare 1', 1]]);
    expect(dry.unknownSkillOutcomes).to.deep.equal({ created: 1002, mapped: 0, ignored: 0 });
    const left = await importCsv(db, csv, { dryRun: true, newSkills: false });
    expect(left.unknownSkillOutcomes).to.deep.equal({ created: 0, mapped: 0, ignored: 1002 });
    expect(left.unknownSkills[1]).to.include({ name: 'Common', rows: 1000, outcome: 'ignored' });
  });

  it('keeps search, audit and batch records in step', async () => {
    const s = await importCsv(db, 'Email,First Name,Last Name,Skills\nzoe@example.org,Zoë,Ødegård,Fotografie\n');
    const p = await person('zoe@example.org');
    expect(await textMatchIds(db, 'zoe fotografie')).to.deep.equal([p.id]);
    expect(await db('audit_log').where({ entity_type: 'person', entity_id: p.id }).select('action', 'source')).to.deep.equal([{ action: 'import', source: 'import' }]);
    expect(await db('import_batches').where({ id: s.batch }).first()).to.include({ status: 'committed', rows: 1, created: 1, policy: 'skip' });
    expect(p.created_by_batch_id).to.equal(s.batch);
  });
});

describe('import engine: real export layouts', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  const skillsOf = (id: number) => db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').where('ps.person_id', id).orderBy('s.name').pluck('s.name');
  const tagsOf = (id: number) => db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', id).orderBy('t.name').pluck('t.name');

  it('Google Contacts: labels as tags, first phone, skills from a custom field, names intact', async () => {
    expect(counts(await importCsv(db, `${EXPORTS}/google-contacts-2023/sample.csv`))).to.include({ created: 2, errors: 0 });
    const amara = await db('people').where({ email: 'amara@example.org' }).first();
    expect(amara).to.include({ first_name: 'Amara', last_name: 'Nwosu', phone: '+1 555 0100', organisation: 'Riverside Tenants, Inc.', job_title: 'Coordinator' });
    expect(await skillsOf(amara.id)).to.deep.equal(['Spanish', 'event planning', 'first aid']);
    expect(await tagsOf(amara.id)).to.deep.equal(['Volunteers']);
    const zoe = await db('people').where({ email: 'zoe@example.de' }).first();
    expect(zoe).to.include({ first_name: 'Zoë', last_name: 'Müller-Łukasik', notes: 'Said "yes" to Saturday shifts' });
  });

  it('Mailchimp: quoted tag lists', async () => {
    expect(counts(await importCsv(db, `${EXPORTS}/mailchimp/sample.csv`))).to.include({ created: 2, errors: 0 });
    const ana = await db('people').where({ email: 'ana.lima@example.org' }).first();
    expect(ana).to.include({ first_name: 'Ana', last_name: 'Lima', country: 'PT' });
    expect(await tagsOf(ana.id)).to.deep.equal(['Drivers', 'Volunteers']);
    expect(await db('people').where({ email: 'sam@example.com' }).first()).to.include({ last_name: "O'Brien" });
  });

  for (const file of ['excel-csv-utf8-bom.csv', 'excel-de-semicolon-cp1252.csv']) {
    it(`Excel ${file}: "Last, First" names, umlauts intact, skills split on semicolons`, async () => {
      expect(counts(await importCsv(db, `${EXPORTS}/excel-quirks/${file}`))).to.include({ created: 2, errors: 0 });
      const j = await db('people').where({ email: 'jm@example.de' }).first();
      expect(j).to.include({ first_name: 'Jürgen', last_name: 'Müller' });
      expect(await skillsOf(j.id)).to.deep.equal(['Erste Hilfe', 'Fahren']);
      const z = await db('people').where({ email: 'zoe@example.no' }).first();
      expect(z).to.include({ first_name: 'Zoë', last_name: 'Ødegård' });
      expect(await skillsOf(z.id)).to.deep.equal(['"Koch" und Küche']);
    });
  }
});

describe('import engine: bad input', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  const refused: [string, string | Buffer, string, Record<string, unknown>][] = [
    ['an empty file', '', 'imports.refused.empty', {}],
    ['only blank lines', '\n\n \n', 'imports.refused.empty', {}],
    ['a header with no rows', 'First Name,Email\n', 'imports.refused.headerOnly', { row: 1 }],
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'imports.refused.binary', {}],
    ['an unclosed quote (after good rows)', 'Name,Email\nAda,ada@example.org\nBob,"bob@example.org\nCy,cy@example.org\n', 'imports.refused.unclosedQuote', { row: 3 }],
    ['no header (data in row 1)', 'Ada,ada@example.org\nBob,bob@example.org\n', 'imports.refused.noHeader', { row: 1 }],
  ];
  for (const [name, content, key, vars] of refused) {
    it(`refuses ${name} and writes nothing`, async () => {
      const file = csvFile(content);
      let err: unknown = null;
      try {
        await importCsv(db, file);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ImportRefused);
      expect((err as ImportRefused).key).to.equal(key);
      expect((err as ImportRefused).vars).to.include(vars);
      expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
      expect(await db('import_batches').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    });
  }

  it('refuses a row far down with 100,000 columns by counting them as the file streams, before csv-parse builds the row', async () => {
    const good = Array.from({ length: 6000 }, (_, i) => `Person${i},Tester,p${i}@example.org`).join('\n');
    // 100,000 cells of 21 characters: 2.1 million characters, past the longest record csv-parse is given, so
    // only a cap that counts ahead of csv-parse names the real problem (too many columns, not a long record)
    const wide = Array.from({ length: 100_000 }, () => 'abcdefghijklmnopqrstu').join(',');
    const file = csvFile(`First Name,Last Name,Email\n${good}\n${wide}\nLast,Row,last@example.org\n`);
    let err: unknown = null;
    await importCsv(db, file).catch((e) => (err = e));
    expect(err).to.be.instanceOf(ImportRefused);
    expect((err as ImportRefused).key).to.equal('imports.refused.tooManyColumns');
    expect((err as ImportRefused).vars).to.include({ max: 250 });
    expect(await db('people').count<{ n: number }[]>({ n: '*' }), 'nothing written').to.deep.equal([{ n: 0 }]);
  });

  it('row problems are counted with their row numbers, the good rows imported', async () => {
    const csv = 'Name,Email,Notes\n'
      + 'Ada,ada@example.org,ok\n'
      + 'Bob,not-an-email,\n'
      + 'Cy,cy@example.org\n'
      + `Di,di@example.org,${'x'.repeat(100_000)}\n`
      + ',,just a note\n'
      + ',ev@example.org,no name\n';
    const s = await importCsv(db, csv);
    expect(counts(s)).to.deep.equal({ rows: 6, created: 1, updated: 0, unchanged: 0, skipped: 0, errors: 5 });
    expect(s.issues.map((i) => [i.row, i.key])).to.deep.equal([
      [3, 'imports.row.email'], [4, 'imports.row.ragged'], [5, 'imports.row.tooLong'], [6, 'imports.row.noKey'], [7, 'imports.row.noName'],
    ]);
  });

  it('a failure half way through leaves the database as before the batch', async function () {
    this.timeout(120_000); // 15,000 rows written in short steps, then rolled back in short steps
    // row 15,001 makes the database fail after 15,000 people were written inside the batch's transaction
    if (onPostgres) {
      await db.raw(`create function boom() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$`);
      await db.raw(`create trigger boom before insert on people for each row when (new.email = 'p15000@example.org') execute function boom()`);
    } else await db.raw(`create trigger boom before insert on people when new.email = 'p15000@example.org' begin select raise(abort, 'disk on fire'); end`);
    const file = csvFile('Name,Email\n' + Array.from({ length: 20_000 }, (_, i) => `Person ${i},p${i}@example.org`).join('\n'));
    let err: Error | null = null;
    try {
      await importCsv(db, file);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.contain('disk on fire');
    expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    expect(await db('import_batches').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    expect(await db('audit_log').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
  });


  it('an error while reading the file ends the import instead of leaving it waiting', async function () {
    this.timeout(60_000);
    const file = csvFile('Name,Email\n' + Array.from({ length: 20_000 }, (_, i) => `Person ${i},p${i}@example.org`).join('\n'));
    let err: Error | null = null;
    try {
      await importCsv(db, file, { onProgress: () => { throw new Error('read failed'); } });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.equal('read failed');
    expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
  });
});

describe('import engine: more layouts', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  it('a LinkedIn export: the notes preamble is skipped, the header found in row 4', async () => {
    const csv = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed it, https://www.linkedin.com/psettings/privacy/email."\n\n'
      + 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n'
      + 'Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.org,Analytical Engines,Programmer,01 Jan 2023\n'
      + 'Grace,Hopper,https://www.linkedin.com/in/grace,,Navy,Admiral,02 Feb 2023\n';
    const s = await importCsv(db, csv);
    expect(counts(s)).to.include({ rows: 2, created: 2, errors: 0 });
    expect(await db('people').orderBy('id').select('first_name', 'email', 'organisation', 'job_title', 'portfolio_url')).to.deep.equal([
      { first_name: 'Ada', email: 'ada@example.org', organisation: 'Analytical Engines', job_title: 'Programmer', portfolio_url: 'https://www.linkedin.com/in/ada' },
      { first_name: 'Grace', email: null, organisation: 'Navy', job_title: 'Admiral', portfolio_url: 'https://www.linkedin.com/in/grace' },
    ]);
  });

  it('Excel "Unicode text": UTF-16 with BOM, tab separated', async () => {
    const text = 'Vorname\tNachname\tE-Mail\tOrt\nJürgen\tMüller\tjm@example.de\tKöln\n';
    const s = await importCsv(db, csvFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    expect(s.created).to.equal(1);
    expect(await db('people').first('first_name', 'last_name', 'city')).to.deep.equal({ first_name: 'Jürgen', last_name: 'Müller', city: 'Köln' });
  });

  it('an Outlook-style row takes the first e-mail and city columns it fills', async () => {
    const s = await importCsv(db, 'First Name,Last Name,Location,E-mail Address,E-mail 2 Address,Home City,Categories\nAda,Lovelace,,,ada2@example.org,London,Volunteers;Mentors\n');
    expect(s.created).to.equal(1);
    expect(await db('people').first('email', 'city')).to.deep.equal({ email: 'ada2@example.org', city: 'London' });
  });
});
