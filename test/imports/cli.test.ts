import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { EXPORTS } from './helpers.js';

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000 });
}

describe('skillnet import people (CLI)', function () {
  this.timeout(120000);
  let dir: string;
  let env: Record<string, string>;
  const db = () => knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'x.sqlite') }, useNullAsDefault: true });
  const file = (name: string, content: string | Buffer) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-import-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` };
  });

  it('--json prints exactly the contract object; a second run changes nothing', async () => {
    const f = `${EXPORTS}/google-contacts-2023/sample.csv`;
    const a = run(['import', 'people', f, '--json'], env);
    expect(a.status, a.stderr).to.equal(0);
    expect(JSON.parse(a.stdout)).to.deep.equal({ batch: 1, rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0 });
    expect(a.stdout.trim().split('\n')).to.have.length(1);
    const b = run(['import', 'people', f, '--json', '--on-duplicate', 'update'], env);
    expect(JSON.parse(b.stdout)).to.deep.equal({ batch: 2, rows: 2, created: 0, updated: 0, unchanged: 2, skipped: 0, errors: 0 });
  });

  it('--dry-run writes nothing and reports batch null', async () => {
    const r = run(['import', 'people', `${EXPORTS}/mailchimp/sample.csv`, '--dry-run', '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ batch: null, rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0 });
    const k = db();
    try {
      expect(await k('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    } finally {
      await k.destroy();
    }
  });

  it('row problems exit 0, are counted and named by row on stderr', () => {
    const f = file('mixed.csv', 'Name;E-Mail\nAda Lovelace;ada@example.org\nBob;kaputt\n');
    const r = run(['import', 'people', f], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('1 created').and.to.contain('1 errors');
    expect(r.stderr).to.contain('Row 3: “kaputt” in “E-Mail” is not a valid e-mail address.');
  });

  it('--no-new-skills and --on-duplicate are passed on', async () => {
    const f = file('s.csv', 'Email,First Name,Skills\na@example.org,A,Knitting\n');
    expect(JSON.parse(run(['import', 'people', f, '--json', '--no-new-skills'], env).stdout)).to.include({ created: 1 });
    const g = file('t.csv', 'Email,City\na@example.org,Bonn\n');
    expect(JSON.parse(run(['import', 'people', g, '--json', '--on-duplicate', 'fill'], env).stdout)).to.include({ updated: 1 });
    const k = db();
    try {
      expect(await k('skills').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
      expect(await k('people').pluck('city')).to.deep.equal(['Bonn']);
    } finally {
      await k.destroy();
    }
  });

  it('import engagements: --json contract, people matched by e-mail', () => {
    const people = file('p.csv', 'Name,Email\nAda Lovelace,ada@example.org\n');
    expect(run(['import', 'people', people], env).status).to.equal(0);
    const hist = file('h.csv', 'Email,Organisation,Project,Role,Start date,Hours\nada@example.org,Tafel,Website,Dev,2021-03-01,12\nx@example.org,Tafel,Website,,,\n');
    const r = run(['import', 'engagements', hist, '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({ batch: 2, rows: 2, created: 1, updated: 0, unchanged: 0, skipped: 0, errors: 1 });
    const bad = run(['import', 'engagements', people], env);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain('needs columns for the person’s e-mail, the organisation and the project');
  });

  it('import engagements --drop-bad-field: the row without its unreadable date, listed and tagged; --json adds `dropped`', async () => {
    const people = file('p.csv', 'Name,Email\nAda Lovelace,ada@example.org\n');
    expect(run(['import', 'people', people], env).status).to.equal(0);
    const hist = file('h.csv', 'Email,Organisation,Project,Start date,Hours\nada@example.org,Tafel,Website,2021-03-01,12\nada@example.org,Tafel,Flyer,31.02.2021,3\n');
    const off = run(['import', 'engagements', hist, '--dry-run', '--json'], env);
    expect(JSON.parse(off.stdout), 'without the option the contract object as it is').to.deep.equal({ batch: null, rows: 2, created: 1, updated: 0, unchanged: 0, skipped: 0, errors: 1 });
    const text = run(['import', 'engagements', hist, '--dry-run', '--drop-bad-field'], env);
    expect(text.stdout).to.contain('1 row was imported without one bad field and tagged “Import: check” for review');
    expect(text.stderr).to.contain('Row 3: Imported without this field: “31.02.2021” in “Start date” is not a date');
    const on = run(['import', 'engagements', hist, '--json', '--drop-bad-field'], env);
    expect(on.status, on.stderr).to.equal(0);
    expect(JSON.parse(on.stdout)).to.deep.equal({ batch: 2, rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0, dropped: 1 });
    const k = db();
    try {
      expect(await k('engagements as e').join('projects as p', 'p.id', 'e.project_id').orderBy('p.title').select('p.title', 'e.start_date'))
        .to.deep.equal([{ title: 'Flyer', start_date: null }, { title: 'Website', start_date: '2021-03-01' }]);
      expect(await k('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').pluck('t.name')).to.deep.equal(['Import: check']);
    } finally {
      await k.destroy();
    }
  });

  const refused: [string, string | Buffer | null, string[], RegExp][] = [
    ['an empty file', '', [], /empty\.csv: The file is empty\./],
    ['a header without rows', 'Name,Email\n', [], /no rows of data/],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), [], /The workbook is damaged/],
    ['an unclosed quote', 'Name,Email\nAda,"ada@example.org\n', [], /Row 2: a quoted value is never closed/],
    ['a missing file', null, [], /no such file/],
    ['a bad --on-duplicate', 'Name\nA\n', ['--on-duplicate', 'merge'], /--on-duplicate must be one of skip, update, fill/],
  ];
  for (const [name, content, extra, message] of refused) {
    it(`refuses ${name}: exit 2, one line on stderr, nothing written`, async () => {
      const f = content === null ? path.join(dir, 'missing.csv') : file(name === 'an empty file' ? 'empty.csv' : 'bad.csv', content);
      const r = run(['import', 'people', f, '--json', ...extra], env);
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.not.match(/\bat .*\.ts:\d+/);
      const k = db();
      try {
        expect(await k('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
        expect(await k('import_batches').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
      } finally {
        await k.destroy();
      }
    });
  }
});
