import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { parse } from 'csv-parse/sync';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { reindexPeople } from '../../src/search/index.queries.js';
import { nameKey } from '../../src/shared/normalise.js';
import { NETWORK_TABLES } from '../../src/exports/network.domain.js';

function run(args: string[], db: string) {
  return spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${db}` }, encoding: 'utf8', timeout: 120000,
  });
}

const open = (file: string) => knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });

async function withDb<T>(file: string, fn: (db: Knex) => Promise<T>): Promise<T> {
  const db = open(file);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** People the demo generator does not make: formulas, a + phone, line breaks, umlauts, a tag and a skill with a comma. */
async function addTrickyPeople(db: Knex): Promise<void> {
  const now = new Date().toISOString();
  const [skill] = await db('skills').insert({ name: 'Design, UX', name_norm: nameKey('Design, UX'), created_at: now, updated_at: now }).returning('id');
  const people = [
    { first_name: 'Zoë', last_name: 'Ødegård-Müller', email: 'zoe@example.org', phone: '+49 30 1234567', city: 'Köln', notes: '=SUM(A1:A9)\nzweite Zeile\r\ndritte Zeile', job_title: '@Leitung', tags: 'Kiez; Süd' },
    { first_name: '', last_name: 'Straßer', phone: '-0', city: '+Bonn', organisation: "'=schon geschützt", notes: 'Tab\tinnen; "Zitat"' },
    { first_name: 'İlkay', last_name: 'Ğündoğan', email: 'ilkay@example.org', portfolio_url: 'https://ilkay.example', languages: 'Türkisch, Deutsch', kind: 'both', availability: 'limited' },
  ];
  const ids: number[] = [];
  for (const p of people) {
    const r = validatePerson({ kind: 'volunteer', availability: 'available', ...p, skill_id: [String(skill.id)], skill_level: ['2'] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    ids.push(await createPerson(db, SYSTEM_ACTOR, r.value));
  }
  const [tag] = await db('tags').insert({ name: 'Nord, Ost', name_norm: nameKey('Nord, Ost') }).returning('id');
  await db('person_tags').insert({ person_id: ids[2], tag_id: tag.id });
  await reindexPeople(db, ids);
}

describe('skillnet export / import (CLI)', function () {
  this.timeout(300000);
  let dir: string;
  let a: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-export-cli-'));
    a = path.join(dir, 'a.sqlite');
    const seeded = run(['seed', 'demo', '--people', '250', '--seed', '11'], a);
    expect(seeded.status, seeded.stderr).to.equal(0);
    await withDb(a, addTrickyPeople);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const PORTABLE = 'first_name,last_name,email,phone,city,postcode,country,languages,kind,availability,organisation,job_title,portfolio_url,skills,tags,notes';

  it('export people → import people into a fresh Skillnet → export again gives the same rows', async () => {
    const first = path.join(dir, 'first.csv');
    const ex = run(['export', 'people', '--dnc', '--sort', 'name', '-o', first], a);
    expect(ex.status, ex.stderr).to.equal(0);
    expect(ex.stdout).to.equal('');
    expect(ex.stderr).to.equal('253 people written to ' + first + '\n');
    const text = readFileSync(first, 'utf8');
    expect(text.charCodeAt(0)).to.not.equal(0xfeff);
    expect(text.split('\r\n')[0]).to.match(/^ID,First name,Last name,E-mail,Phone,/);
    expect(text).to.contain(`"'=SUM(A1:A9)\nzweite Zeile\r\ndritte Zeile"`);
    expect(text).to.contain("'+49 30 1234567");

    const b = path.join(dir, 'b.sqlite');
    const im = run(['import', 'people', first, '--json'], b);
    expect(im.status, im.stderr).to.equal(0);
    expect(JSON.parse(im.stdout)).to.include({ rows: 253, created: 253, errors: 0, skipped: 0 });

    const second = path.join(dir, 'second.csv');
    expect(run(['export', 'people', '--dnc', '--sort', 'name', '-o', second], b).status).to.equal(0);
    const drop = new Set(['ID', 'Created', 'Do not contact', 'Last confirmed']);
    const comparable = (file: string) => {
      const rows = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][];
      const keep = rows[0]!.map((h, i) => (drop.has(h) ? -1 : i)).filter((i) => i >= 0);
      return rows.map((r) => keep.map((i) => r[i]));
    };
    expect(comparable(second)).to.deep.equal(comparable(first));

    // the columns the importer reads, as they are: byte for byte the same file, both languages and separators
    // (German skill names travel in a German export: the copy for German is loaded from one)
    const c = path.join(dir, 'german.sqlite');
    const firstDe = path.join(dir, 'first-de.csv');
    expect(run(['export', 'people', '--dnc', '--excel', '--lang', 'de', '-o', firstDe], a).status).to.equal(0);
    expect(JSON.parse(run(['import', 'people', firstDe, '--json'], c).stdout)).to.include({ rows: 253, created: 253, errors: 0 });
    for (const opts of [[], ['--excel', '--lang', 'de']]) {
      const outs = [a, opts.length ? c : b].map((db, i) => {
        const f = path.join(dir, `portable-${i}-${opts.length}.csv`);
        const r = run(['export', 'people', '--dnc', '--sort', 'name', '--columns', PORTABLE, ...opts, '-o', f], db);
        expect(r.status, r.stderr).to.equal(0);
        return readFileSync(f);
      });
      expect(outs[1]!.equals(outs[0]!), opts.join(' ')).to.equal(true);
    }
  });

  it('--q reads the search box as /people does: skills and a city typed as words equal the same filters', async () => {
    const typed = run(['export', 'people', '--q', 'wordpress BERLIN', '--columns', 'id'], a);
    const given = run(['export', 'people', '--skill', 'WordPress', '--city', 'Berlin', '--columns', 'id'], a);
    expect(typed.status, typed.stderr).to.equal(0);
    expect(given.status, given.stderr).to.equal(0);
    expect(typed.stdout.trim().split('\r\n').length, 'someone is found').to.be.above(1);
    expect(typed.stdout).to.equal(given.stdout);
  });

  it('writes to standard output without -o (or with -o -); --excel means BOM and semicolons; audited', async () => {
    const plain = run(['export', 'people', '--q', 'Ødegård', '--columns', 'last_name,phone'], a);
    expect(plain.status, plain.stderr).to.equal(0);
    expect(plain.stdout).to.equal("Last name,Phone\r\nØdegård-Müller,'+49 30 1234567\r\n");
    const excel = run(['export', 'people', '--q', 'Ødegård', '--columns', 'last_name,kind', '--excel', '--lang', 'de', '-o', '-'], a);
    expect(excel.stdout).to.equal('\uFEFFNachname;Art\r\nØdegård-Müller;Ehrenamtlich\r\n');
    const empty = run(['export', 'organisations', '--q', 'niemand'], a);
    expect(empty.status).to.equal(0);
    expect(empty.stdout).to.equal('ID,Name,Kind,City,Website,Contact person,Contact e-mail,Notes,Projects,Helpers,Created\r\n');
    const projects = run(['export', 'engagements', '--status', 'done', '--columns', 'project,hours'], a);
    expect(projects.status, projects.stderr).to.equal(0);
    expect(projects.stdout.split('\r\n')[0]).to.equal('Project,Hours');
    await withDb(a, async (db) => {
      const rows = await db('audit_log').where({ action: 'export', actor: 'cli' }).orderBy('id').select('entity_type', 'changes');
      const last = rows.slice(-4).map((r) => ({ entity: r.entity_type, ...JSON.parse(r.changes) }));
      expect(last).to.deep.equal([
        { entity: 'person', format: 'csv', filter: 'q=%C3%98deg%C3%A5rd', rows: 1, columns: ['last_name', 'phone'], destination: 'stdout' },
        { entity: 'person', format: 'csv', filter: 'q=%C3%98deg%C3%A5rd', rows: 1, columns: ['last_name', 'kind'], destination: 'stdout' },
        { entity: 'organisation', format: 'csv', filter: 'q=niemand', rows: 0, destination: 'stdout' },
        { entity: 'engagement', format: 'csv', filter: 'status=done', rows: last[3]!.rows, columns: ['project', 'hours'], destination: 'stdout' },
      ]);
      expect(last[3]!.rows).to.be.greaterThan(0);
      expect(rows.some((r) => JSON.parse(r.changes).destination === 'first.csv')).to.equal(true);
    });
  });

  it('bad input: one line on stderr and a non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['export', 'people', '--colour', 'red'], /^skillnet: Unknown option '--colour'/],
      [['export', 'people', '--kind', 'robot'], /^skillnet: --kind must be one of volunteer, freelancer$/],
      [['export', 'people', '--columns', 'email,shoe_size'], /^skillnet: --columns: unknown shoe_size; choose from id,first_name,/],
      [['export', 'people', '--lang', 'fr'], /^skillnet: --lang must be en or de$/],
      [['export', 'people', 'extra'], /^skillnet: unexpected argument "extra"/],
      [['export', 'projects', '--org', 'x'], /^skillnet: --org must be a whole number$/],
      [['export', 'people', '-o', path.join(dir, 'no', 'such', 'dir', 'x.csv')], /^skillnet: .*x\.csv: cannot be written \(ENOENT\)$/],
      [['export', 'all'], /^skillnet: usage: skillnet export all DIR$/],
      [['import', 'all', path.join(dir, 'nothing-here')], /no such folder$/],
    ];
    for (const [args, want] of cases) {
      const r = run(args, a);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).to.have.length(1);
      expect(r.stderr.trim(), args.join(' ')).to.match(want);
    }
  });

  it('export all → import all into an empty Skillnet → export all gives identical files; a non-empty one is refused', async () => {
    const one = path.join(dir, 'all-1');
    const two = path.join(dir, 'all-2');
    const ex = run(['export', 'all', one], a);
    expect(ex.status, ex.stderr).to.equal(0);
    expect(ex.stdout).to.match(/^Wrote 13 files \(\d+ rows\) to .*: \d+ skill categories, \d+ skills, .*253 people, /);
    const c = path.join(dir, 'c.sqlite');
    const im = run(['import', 'all', one], c);
    expect(im.status, im.stderr).to.equal(0);
    expect(im.stdout).to.match(/^Loaded \d+ rows from .*253 people/);
    expect(run(['export', 'all', two], c).status).to.equal(0);
    const files = readdirSync(one).sort();
    expect(files).to.deep.equal(NETWORK_TABLES.map((t) => t.file).sort());
    for (const f of files) expect(readFileSync(path.join(two, f)).equals(readFileSync(path.join(one, f))), f).to.equal(true);

    const again = run(['import', 'all', one], c);
    expect(again.status).to.equal(2);
    expect(again.stderr).to.match(/^skillnet: this Skillnet is not empty \(.*253 people.*\); import all needs an empty database\n$/);
    // the copy answers searches like the original
    const q = ['export', 'people', '--q', 'müller', '--dnc', '--columns', 'email'];
    expect(run(q, c).stdout).to.equal(run(q, a).stdout);
    await withDb(c, async (db) => {
      const audit = await db('audit_log').where({ entity_type: 'network' }).orderBy('id').select('action', 'actor');
      expect(audit).to.deep.equal([{ action: 'import', actor: 'cli' }, { action: 'export', actor: 'cli' }]);
    });
  });
});
