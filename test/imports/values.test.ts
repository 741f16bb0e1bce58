// Mapping that reads values, not only headers; skill and tag cells split on every list separator (issue 13 §5).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { columnOrder, guessMapping, guessMappingDetailed, isFlagColumn, splitList } from '../../src/imports/mapping.domain.js';
import { compileMapping, mapRow } from '../../src/imports/rows.domain.js';

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000 });
}

describe('mapping by values', () => {
  it('a flag column (0/1, Yes/No, true/false) never maps to e-mail, whatever its header', () => {
    const headers = ['First Name', 'Last Name', 'Do Not Email', 'Email Opt Out', 'Email'];
    const sample = [['Ann', 'A', '0', 'No', 'ann@example.org'], ['Bo', 'B', '1', 'Yes', 'bo@example.org']];
    expect(guessMapping(headers, sample)).to.deep.equal(['first_name', 'last_name', 'ignore', 'ignore', 'email']);
    // "Mail" alone is an exact header, but 0/1 values are not addresses
    const g = guessMappingDetailed(['Name', 'Mail'], [['Ann', '0'], ['Bo', '1']]);
    expect(g.targets).to.deep.equal(['full_name', 'ignore']);
    expect(g.ruledOut).to.deep.equal([{ column: 1, target: 'email', reason: 'flags' }]);
    expect(isFlagColumn(['true', 'FALSE', ''])).to.equal(true);
    expect(isFlagColumn(['0', 'ann@example.org'])).to.equal(false);
  });

  it('a column whose values are mostly not e-mails is not the e-mail column', () => {
    const g = guessMappingDetailed(['Name', 'Contact email', 'E-mail'], [['Ann', 'see office', 'ann@example.org'], ['Bo', 'via Ann', 'bo@example.org']]);
    expect(g.targets).to.deep.equal(['full_name', 'ignore', 'email']);
    expect(g.ruledOut[0]).to.include({ column: 1, reason: 'notEmail' });
  });

  it('an exact header beats a word inside one: the row reads "Email" before "Secondary Email"', () => {
    const headers = ['Secondary Email', 'Name', 'Email'];
    const targets = guessMapping(headers);
    expect(targets).to.deep.equal(['email', 'full_name', 'email']);
    expect(columnOrder(headers, targets)).to.deep.equal([1, 2, 0]);
    const r = mapRow(['old@example.org', 'Ann Lee', 'ann@example.org'], compileMapping(headers, targets));
    expect(r.ok && r.person.fields.email).to.equal('ann@example.org');
    const fallback = mapRow(['old@example.org', 'Ann Lee', ''], compileMapping(headers, targets));
    expect(fallback.ok && fallback.person.fields.email).to.equal('old@example.org');
  });

  it('ties between equally good columns are reported for the user to settle; numbered columns are an order, not a tie', () => {
    expect(guessMappingDetailed(['Name', 'Full name', 'E-mail']).ties).to.deep.equal([{ target: 'full_name', columns: [0, 1] }]);
    expect(guessMappingDetailed(['E-mail 1', 'E-mail 2', 'Name']).ties).to.deep.equal([]);
  });
});

describe('skill and tag cells', () => {
  it('split on ; , and line breaks alike', () => {
    expect(splitList('Grafikdesign, SEO; WordPress')).to.deep.equal(['Grafikdesign', 'SEO', 'WordPress']);
    expect(splitList('a\nb, c;;d')).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(splitList('  ')).to.deep.equal([]);
  });

  it('a whole cell or part that is a known skill or alias stays whole; the export marks a single value with a trailing ;', () => {
    const known = (v: string) => v === 'Design, UX' || v === 'Bauen, Wohnen';
    expect(splitList('Design, UX', known)).to.deep.equal(['Design, UX']);
    expect(splitList('Design, UX; SEO, Texten', known)).to.deep.equal(['Design, UX', 'SEO', 'Texten']);
    expect(splitList('Fremd, unbekannt;')).to.deep.equal(['Fremd, unbekannt']);
    expect(splitList('a ::: b, c')).to.deep.equal(['a', 'b, c']);
  });

  it('mapRow uses what the network knows, with levels', () => {
    const plan = compileMapping(['Name', 'Skills', 'Tags'], ['full_name', 'skills', 'tags']);
    const r = mapRow(['Ann Lee', 'Design, UX (3/4), SEO (2); WordPress', 'web, Mentor'], plan, { skill: (n) => n === 'Design, UX', tag: () => false });
    expect(r.ok && r.person.skills).to.deep.equal([{ name: 'Design, UX', level: 3 }, { name: 'SEO', level: 2 }, { name: 'WordPress', level: null }]);
    expect(r.ok && r.person.tags).to.deep.equal(['web', 'Mentor']);
  });
});

describe('CLI: values, lists and new skills', function () {
  this.timeout(240000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-values-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` };
  });

  it('a CRM export with a "Do Not Email" 0/1 column imports; mixed separators make no bogus skill; the summary names new skills', async () => {
    const f = path.join(dir, 'crm.csv');
    writeFileSync(f, 'First Name,Last Name,Do Not Email,Email,Skills\nAnn,Lee,0,ann@example.org,"Grafikdesign, SEO; WordPress"\nBo,Berg,1,bo@example.org,SEO\n');
    const dry = run(['import', 'people', f, '--dry-run'], env);
    expect(dry.status, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain('2 would be created').and.to.contain('New skills that would be created (3): Grafikdesign, SEO, WordPress');
    const r = run(['import', 'people', f, '--json'], env);
    expect(JSON.parse(r.stdout)).to.include({ created: 2, errors: 0 });
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'x.sqlite') }, useNullAsDefault: true });
    try {
      expect((await k('skills').orderBy('name').pluck('name'))).to.deep.equal(['Grafikdesign', 'SEO', 'WordPress']);
      expect(await k('people').orderBy('email').pluck('email')).to.deep.equal(['ann@example.org', 'bo@example.org']);
    } finally {
      await k.destroy();
    }
    const left = run(['import', 'people', path.join(dir, 'crm.csv'), '--no-new-skills', '--dry-run'], { DATABASE_URL: `sqlite:${path.join(dir, 'y.sqlite')}` });
    expect(left.stdout).to.contain('Unknown skills left out (3, --no-new-skills): Grafikdesign, SEO, WordPress');
  });
});

describe('wizard: the map page shows ties and columns the values ruled out', function () {
  this.timeout(120000);
  it('names the flag column and the tie, in English and German', async () => {
    const { testEnv, login } = await import('../support/app.js');
    const { csvFile } = await import('./helpers.js');
    const env = await testEnv();
    try {
      const m = await login(env, 'manager@example.org', 'manager');
      const token = await m.csrf('/imports/new');
      const file = csvFile('Name,Full name,Mail,E-mail\nAnn Lee,Ann Lee,0,ann@example.org\nBo Berg,Bo Berg,1,bo@example.org\n');
      const up = await m.agent.post('/imports/new').field('_csrf', token).attach('file', file);
      expect(up.status, up.text).to.equal(303);
      const map = await m.agent.get(up.headers.location);
      expect(map.text).to.match(/“Mail” holds only yes\/no values, so it is not used as “[^”]+”\./);
      expect(map.text).to.match(/Several columns fit “[^”]+” equally well: “Name”, “Full name”/);
      expect(map.text).to.match(/id="target_2" name="target_2">[\s\S]*?<option value="ignore" selected>/);
      expect(map.text).to.match(/id="target_3" name="target_3">[\s\S]*?<option value="email" selected>/);
      const de = await m.agent.get(up.headers.location).set('Accept-Language', 'de');
      expect(de.text).to.contain('„Mail“ enthält nur Ja/Nein-Werte');
    } finally {
      await env.close();
    }
  });
});

describe('rows with one bad field', function () {
  this.timeout(60000);
  it('fail by default; with the option they are taken without it, tagged for review and listed', async () => {
    const plan = compileMapping(['Name', 'E-Mail', 'Art', 'Website'], ['full_name', 'email', 'kind', 'portfolio_url']);
    const bad = mapRow(['Bob Berg', 'kaputt', 'ehrenamtlich', ''], plan);
    expect(bad.ok).to.equal(false);
    const taken = mapRow(['Bob Berg', 'kaputt', 'ehrenamtlich', ''], plan, undefined, { dropBadField: true });
    expect(taken.ok && taken.person.fields).to.deep.equal({ first_name: 'Bob', last_name: 'Berg', kind: 'volunteer' });
    expect(taken.ok && taken.person.dropped?.map((d) => d.key)).to.deep.equal(['imports.row.email']);
    // two bad fields: the row still fails
    expect(mapRow(['Bob Berg', 'kaputt', 'robot', ''], plan, undefined, { dropBadField: true }).ok).to.equal(false);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-badfield-'));
    const db = path.join(dir, 'x.sqlite');
    const f = path.join(dir, 'f.csv');
    writeFileSync(f, 'Name;E-Mail;Ort\nAda Lovelace;ada@example.org;London\nBob Berg;kaputt;Bonn\n');
    const env = { DATABASE_URL: `sqlite:${db}` };
    const plain = run(['import', 'people', f, '--dry-run', '--json'], env);
    expect(JSON.parse(plain.stdout)).to.include({ created: 1, errors: 1 });
    const r = run(['import', 'people', f, '--drop-bad-field'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('2 created').and.to.contain('0 errors');
    expect(r.stderr).to.contain('Row 3: Imported without this field: “kaputt” in “E-Mail” is not a valid e-mail address.');
    const k = knexFactory({ client: 'better-sqlite3', connection: { filename: db }, useNullAsDefault: true });
    try {
      const bob = await k('people').where({ last_name: 'Berg' }).first();
      expect(bob).to.include({ email: null, city: 'Bonn' });
      const tags = await k('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', bob.id).pluck('t.name');
      expect(tags).to.deep.equal(['Import: check']);
    } finally {
      await k.destroy();
    }
  });
});
