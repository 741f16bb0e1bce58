import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { emailHash } from '../../src/privacy/privacy.domain.js';

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
    env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000,
  });
}

describe('skillnet privacy (CLI)', function () {
  this.timeout(120000);
  let dir: string;
  let env: Record<string, string>;
  let db: Knex;
  let personId: number;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-privacy-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` };
    const m = run(['migrate'], env);
    expect(m.status, m.stderr).to.equal(0);
    db = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'x.sqlite') }, useNullAsDefault: true });
    const now = new Date().toISOString();
    [{ id: personId }] = await db('people').insert({
      first_name: 'Jürgen', last_name: 'Schäfer', email: 'Juergen@Example.org', email_norm: 'juergen@example.org', city: 'Berlin', created_at: now, updated_at: now,
    }).returning('id');
    await db('people_fts').insert({ rowid: personId, doc: 'jurgen schafer' });
    await db('consents').insert({ person_id: personId, purpose: 'newsletter', status: 'given', created_at: now });
  });
  after(async () => { await db.destroy(); });

  it('export EMAIL prints the JSON on stdout (any case of the e-mail) and audits it', async () => {
    const r = run(['privacy', 'export', ' JUERGEN@example.org '], env);
    expect(r.status, r.stderr).to.equal(0);
    const data = JSON.parse(r.stdout);
    expect(data.person).to.include({ id: personId, last_name: 'Schäfer' });
    expect(data.consents[0]).to.include({ purpose: 'newsletter', status: 'given' });
    const audit = await db('audit_log').where({ action: 'export', entity_id: personId }).first();
    expect(audit).to.include({ actor: 'cli', source: 'cli' });
    expect(JSON.parse(audit.changes)).to.include({ format: 'json' });
  });

  const refusals: [string, string[], RegExp][] = [
    ['export of an unknown e-mail', ['privacy', 'export', 'unknown@x.de'], /no person with the e-mail unknown@x\.de/],
    ['erase of an unknown e-mail', ['privacy', 'erase', 'unknown@x.de', '--yes'], /no person with the e-mail unknown@x\.de/],
    ['erase without --yes', ['privacy', 'erase', 'juergen@example.org'], /--yes/],
    ['erase without an e-mail', ['privacy', 'erase', '--yes'], /usage: skillnet privacy erase EMAIL --yes/],
  ];
  for (const [name, args, message] of refusals) {
    it(`${name}: non-zero exit and one line on stderr`, async () => {
      const r = run(args, env);
      expect(r.status).to.not.equal(0);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(message);
      expect(await db('people').where({ id: personId }).first()).to.not.equal(undefined);
    });
  }

  it('erase EMAIL --yes erases, keeps the hash; a second erase says when it was erased', async () => {
    const r = run(['privacy', 'erase', 'juergen@example.org', '--yes'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`Erased person #${personId}`);
    expect(await db('people').where({ id: personId }).first()).to.equal(undefined);
    expect(await db('consents').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await db('people_fts').where({ rowid: personId }).first()).to.equal(undefined);
    expect((await db('suppressions').first()).email_hash).to.equal(emailHash('juergen@example.org'));
    const again = run(['privacy', 'erase', 'Juergen@Example.org', '--yes'], env);
    expect(again.status).to.not.equal(0);
    expect(again.stderr.trim().split('\n')).to.have.length(1);
    expect(again.stderr).to.match(/was erased on \d{4}-\d{2}-\d{2}/);
  });
});
