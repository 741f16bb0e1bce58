import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrate } from '../../src/db.js';
import { createPerson } from '../../src/people/people.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';

const fields = (f: Partial<PersonFields>): PersonFields => ({
  first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
  kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
  do_not_contact: false, last_confirmed_at: null, ...f,
});

describe('skillnet people duplicates / merge', function () {
  this.timeout(120000);
  let dir: string;
  let file: string;
  const run = (args: string[]) => spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${file}` }, encoding: 'utf8', timeout: 60000,
  });
  let ids: number[];
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-dup-'));
    file = path.join(dir, 'db.sqlite');
    const db = createDb({ databaseFile: file });
    try {
      await migrate(db);
      ids = [
        await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Max', last_name: 'Weber', email: 'max.weber@googlemail.com' }), skills: [], tags: [] }),
        await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Max', last_name: 'Weber', email: 'maxweber+ngo@gmail.com', city: 'Köln' }), skills: [], tags: [] }),
        await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Olaf', last_name: 'Schulz', email: 'olaf@example.org' }), skills: [], tags: [] }),
      ];
    } finally {
      await db.destroy();
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists duplicates as text and as JSON, merges them, and then finds none', () => {
    const text = run(['people', 'duplicates']);
    expect(text.status, text.stderr).to.equal(0);
    expect(text.stdout).to.contain('same e-mail apart from dots, +tags or the domain spelling: max.weber@googlemail.com / maxweber+ngo@gmail.com');
    expect(text.stdout).to.contain(`skillnet people merge ${ids[0]} ${ids[1]} --keep ${ids[0]}`);
    const json = run(['people', 'duplicates', '--json']);
    const out = JSON.parse(json.stdout);
    expect(out.groups).to.deep.equal([[ids[0], ids[1]]]);
    expect(out.pairs[0].score).to.be.at.least(50);
    expect(out.pairs[0].reasons.map((r: { key: string }) => r.key)).to.include('emailAlike');
    const merged = run(['people', 'merge', String(ids[1]), String(ids[0]), '--keep', String(ids[0])]);
    expect(merged.status, merged.stderr).to.equal(0);
    expect(merged.stdout).to.contain(`Merged #${ids[1]} into #${ids[0]} Max Weber`);
    expect(JSON.parse(run(['people', 'duplicates', '--json']).stdout).groups).to.deep.equal([]);
    const again = run(['people', 'merge', String(ids[1]), String(ids[0])]);
    expect(again.status).to.equal(2);
    expect(again.stderr).to.contain(`#${ids[1]}`);
    expect(again.stderr).to.contain('Nothing was merged');
  });

  it('refuses a wrong id with a one-line reason', () => {
    const r = run(['people', 'merge', 'abc', '2']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim()).to.equal('skillnet: not a person id: abc');
    expect(run(['people', 'merge', '1']).stderr).to.contain('usage');
  });
});
