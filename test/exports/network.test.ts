import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { seedDemo } from '../../seeds/demo.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { reindexPeople } from '../../src/search/index.queries.js';
import { findAllPeopleIds } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { NETWORK_TABLES, NOT_EXPORTED, parseNetworkCell, type ColumnType } from '../../src/exports/network.domain.js';
import { exportNetworkToDir } from '../../src/exports/network-export.service.js';
import { NetworkImportRefused, importNetwork } from '../../src/exports/network-import.service.js';

const NOW = '2026-11-27T10:00:00.000Z';

/** Rows that test the edges: formulas, a + phone, line breaks, umlauts, a consent, an erased person's hash. */
export async function addTrickyRows(db: Knex): Promise<void> {
  const [org] = await db('organisations').insert({ name: '=Tafel "Süd"', name_norm: '=tafel "sud"', kind: 'food_bank', notes: '@home\r\nzweite Zeile', created_at: NOW, updated_at: NOW }).returning('id');
  const [person] = await db('people').insert({
    first_name: 'Zoë', last_name: 'Ødegård-Müller', email: 'zoe@example.org', email_norm: 'zoe@example.org', phone: '+49 30 1234567',
    phone_norm: '+49301234567', city: 'Köln', city_norm: 'koln', notes: "=SUM(A1:A9)\nzweite Zeile\n\tdritte, mit Tab", languages: 'Deutsch, Englisch',
    organisation: "'=schon geschützt", job_title: '-Leitung', portfolio_url: 'https://zoë.example/',
    do_not_contact: 1, last_confirmed_at: '2025-01-02', name_norm: 'zoe odegard-muller', created_at: NOW, updated_at: NOW,
  }).returning('id');
  const [project] = await db('projects').insert({ organisation_id: org.id, title: '+Website; neu', kind: 'mixed', status: 'running', start_date: '2025-03-01', description: 'a\nb', created_at: NOW, updated_at: NOW }).returning('id');
  await db('engagements').insert({ person_id: person.id, project_id: project.id, role: '@Lead', hours: 12.5, rate: 0.1 + 0.2, paid: 1, rating: 4, handover: 'partly', outcome: '=1', created_at: NOW, updated_at: NOW });
  await db('consents').insert({ person_id: person.id, purpose: 'newsletter', status: 'given', method: 'form', notice_text: 'Wir schreiben Ihnen „selten“.\nAbmelden jederzeit.', created_at: NOW });
  await db('suppressions').insert({ email_hash: 'a'.repeat(64), erased_at: NOW });
  await reindexPeople(db, [person.id]);
}

const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f))]));

describe('exports: the whole network (export all / import all)', function () {
  this.timeout(60000);
  let tmp: string;
  let source: Knex;
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'skillnet-network-'));
    source = await testDb();
    await seedDemo(source, { people: 150, seed: 7, today: '2026-11-27' });
    await addTrickyRows(source);
  });
  after(async () => {
    await source.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('every stored column of every table is in a file or deliberately left out', async () => {
    for (const spec of NETWORK_TABLES) {
      const stored = Object.keys(await source(spec.table).columnInfo()).sort();
      const covered = [...spec.columns.map(([c]) => c), ...(NOT_EXPORTED[spec.table] ?? [])].sort();
      expect(covered, spec.table).to.deep.equal(stored);
    }
  });

  it('reads cells by column type', () => {
    const cases: [string, ColumnType, unknown][] = [
      ['', 'text', ''], ['', 'text?', null], ['', 'int?', null], ['', 'real?', null], ['12', 'int', 12], ['-3', 'int?', -3],
      ['12.5', 'real?', 12.5], ['0.30000000000000004', 'real?', 0.30000000000000004], ["'=x", 'text', '=x'], ["''=x", 'text?', "'=x"],
      ["'-5", 'int', -5],
    ];
    for (const [raw, type, want] of cases) expect(parseNetworkCell(raw, type), `${raw} ${type}`).to.deep.equal({ ok: true, value: want });
    for (const [raw, type] of [['', 'int'], ['1.5', 'int'], ['x', 'real?'], ['1e400', 'real?'], ['12 ', 'int']] as [string, ColumnType][]) {
      expect(parseNetworkCell(raw, type).ok, `${raw} ${type}`).to.equal(false);
    }
  });

  it('export → import into an empty Skillnet → export gives identical files; search works on the copy', async () => {
    const a = path.join(tmp, 'a');
    const b = path.join(tmp, 'b');
    const out = await exportNetworkToDir(source, a);
    expect(out.complete).to.equal(true);
    expect(out.files['people.csv']).to.equal(151);
    expect(Object.keys(out.files)).to.deep.equal(NETWORK_TABLES.map((t) => t.file));
    const copy = await testDb();
    try {
      const loaded = await importNetwork(copy, a, SYSTEM_ACTOR);
      expect(loaded.files).to.deep.equal(out.files);
      await exportNetworkToDir(copy, b);
      const [fa, fb] = [read(a), read(b)];
      expect(Object.keys(fb)).to.deep.equal(Object.keys(fa));
      for (const f of Object.keys(fa)) expect(fb[f]!.equals(fa[f]!), f).to.equal(true);
      const people = fa['people.csv']!.toString('utf8');
      expect(people.startsWith('\uFEFFid,first_name,last_name,')).to.equal(true);
      expect(people).to.contain(`"'=SUM(A1:A9)\nzweite Zeile\n\tdritte, mit Tab"`);
      expect(people).to.contain("'+49 30 1234567");
      expect(people).to.contain("''=schon geschützt");
      for (const q of ['Ødegård', 'odegard', 'koln', 'Köln', 'SEO', 'Müller']) {
        const f = parsePeopleFilters({ q, dnc: '1' });
        expect(await findAllPeopleIds(copy, f), q).to.deep.equal(await findAllPeopleIds(source, f));
      }
      const zoe = await copy('people').where({ email: 'zoe@example.org' }).first();
      expect(zoe).to.include({ do_not_contact: 1, notes: "=SUM(A1:A9)\nzweite Zeile\n\tdritte, mit Tab", organisation: "'=schon geschützt", phone_norm: '+49301234567', city_norm: 'koln' });
      expect(await copy('engagements').where({ person_id: zoe.id }).first()).to.include({ hours: 12.5, rate: 0.1 + 0.2, outcome: '=1' });
      const audit = await copy('audit_log').where({ entity_type: 'network' }).first();
      expect(audit).to.include({ action: 'import', actor: 'system' });
      expect(JSON.parse(audit.changes)).to.include({ rows: loaded.rows, folder: 'a' });
    } finally {
      await copy.destroy();
    }
  });

  describe('refusals leave the database as it was', () => {
    let dir: string;
    let copy: Knex;
    before(async () => {
      dir = path.join(tmp, 'refusals');
      await exportNetworkToDir(source, dir);
    });
    beforeEach(async () => { copy = await testDb(); });
    afterEach(async () => { await copy.destroy(); });

    async function refused(d: string, db: Knex = copy): Promise<string> {
      try {
        await importNetwork(db, d, SYSTEM_ACTOR);
      } catch (err) {
        expect(err).to.be.instanceOf(NetworkImportRefused);
        return (err as Error).message;
      }
      throw new Error('not refused');
    }
    function edited(name: string, file: string, edit: ((text: string) => string) | null): string {
      const d = path.join(tmp, name);
      rmSync(d, { recursive: true, force: true });
      mkdirSync(d, { recursive: true });
      for (const f of readdirSync(dir)) {
        if (f === file && edit === null) continue;
        const text = readFileSync(path.join(dir, f), 'utf8');
        writeFileSync(path.join(d, f), f === file && edit ? edit(text) : text);
      }
      return d;
    }

    it('a Skillnet that is not empty', async () => {
      expect(await refused(dir, source)).to.match(/^this Skillnet is not empty \(\d+ skill_categories, .*151 people/);
    });

    it('a missing file, a wrong header, a bad number, a broken reference', async () => {
      expect(await refused(edited('m', 'tags.csv', null))).to.match(/missing tags\.csv/);
      expect(await refused(edited('h', 'tags.csv', (t) => t.replace('id,name', 'id,label')))).to.equal('tags.csv: the header row does not fit (missing name; unknown label)');
      expect(await refused(edited('n', 'people.csv', (t) => t.replace(/\r\n(\d+),/, '\r\nzwölf,')))).to.match(/^people\.csv row 2: id “zwölf” is not a whole number$/);
      expect(await refused(edited('r', 'person_skills.csv', (t) => t.replace(/\r\n(\d+),/, '\r\n99999,')))).to.match(/^person_skills\.csv row 2: FOREIGN KEY constraint failed$/);
      expect(await refused(edited('q', 'skills.csv', (t) => `${t}"unclosed,\r\n`))).to.match(/^skills\.csv: /);
      expect(await refused(path.join(tmp, 'nowhere'))).to.match(/no such folder$/);
      for (const t of NETWORK_TABLES) expect(Number((await copy(t.table).count({ n: '*' }))[0]!.n), t.table).to.equal(0);
      expect(Number((await copy('people_fts').count({ n: '*' }))[0]!.n)).to.equal(0);
    });
  });
});
