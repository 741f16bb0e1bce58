import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

function run(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
    env: { ...process.env, NODE_ENV: 'test', ...env }, input, encoding: 'utf8', timeout: 60000,
  });
}

describe('skillnet CLI', function () {
  this.timeout(120000);
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}` };
  });

  it('migrate creates the database and says so', () => {
    const r = run(['migrate'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Applied \d+ migration/);
    expect(run(['migrate'], env).stdout).to.contain('up to date');
  });

  it('user add takes the password from standard input or SKILLNET_PASSWORD', async () => {
    const a = run(['user', 'add', 'Admin@Example.org', '--role', 'admin', '--name', 'Ada'], env, 'a long password\n');
    expect(a.status, a.stderr).to.equal(0);
    const b = run(['user', 'add', 'v@example.org', '--role', 'viewer'], { ...env, SKILLNET_PASSWORD: 'another long one' });
    expect(b.status, b.stderr).to.equal(0);
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'db.sqlite') }, useNullAsDefault: true });
    try {
      const users = await db('users').orderBy('id').select('email', 'role', 'name');
      expect(users).to.deep.equal([{ email: 'admin@example.org', role: 'admin', name: 'Ada' }, { email: 'v@example.org', role: 'viewer', name: '' }]);
    } finally {
      await db.destroy();
    }
  });

  const bad: [string, string[], string | undefined, RegExp][] = [
    ['a bad role', ['user', 'add', 'x@example.org', '--role', 'root'], 'a long password', /--role must be one of/],
    ['a short password', ['user', 'add', 'x@example.org', '--role', 'viewer'], 'short', /at least 10 characters/],
    ['a bad e-mail', ['user', 'add', 'nope', '--role', 'viewer'], 'a long password', /not a valid e-mail/],
    ['an unknown command', ['frobnicate'], undefined, /unknown command/],
  ];
  for (const [name, args, input, message] of bad) {
    it(`${name}: non-zero exit and one line on stderr`, () => {
      const r = run(args, env, input);
      expect(r.status).to.not.equal(0);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(message);
    });
  }

  it('backup writes a consistent copy that opens', async () => {
    run(['user', 'add', 'a@example.org', '--role', 'admin'], env, 'a long password');
    const target = path.join(dir, 'backups', 'copy.sqlite');
    const r = run(['backup', target], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(existsSync(target)).to.equal(true);
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: target }, useNullAsDefault: true });
    try {
      expect((await db('users').first()).email).to.equal('a@example.org');
    } finally {
      await db.destroy();
    }
    expect(run(['backup', target], env).status).to.not.equal(0); // never overwrites
  });

  it('production without SESSION_SECRET stops with one clear line', () => {
    const r = run(['serve'], { ...env, NODE_ENV: 'production' });
    expect(r.status).to.not.equal(0);
    expect(r.stderr.trim()).to.match(/SESSION_SECRET is required/);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
  });
});
