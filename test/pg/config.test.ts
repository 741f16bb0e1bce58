// A PostgreSQL DATABASE_URL that cannot be used stops start-up with one line naming the host and the reason:
// never a stack trace, never a fallback to SQLite. (npm run test:pg only: it asks the real server.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { urlFor } from '../support/pg.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function serve(url: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/skillnet.js'), 'serve'], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: url, PORT: '0', NODE_ENV: 'development' }, encoding: 'utf8', timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('PostgreSQL configuration errors', function () {
  this.timeout(120_000);
  const cases: [string, () => string, RegExp][] = [
    ['a port nobody listens on', () => 'postgres://postgres@127.0.0.1:1/skillnet', /^skillnet: cannot connect to PostgreSQL 127\.0\.0\.1:1\/skillnet: connection refused/],
    ['a database that does not exist', () => urlFor('skillnet_pg_no_such_database'), /^skillnet: cannot connect to PostgreSQL 127\.0\.0\.1:5432\/skillnet_pg_no_such_database: the database does not exist/],
    ['a role that does not exist', () => urlFor('postgres').replace('postgres@', 'nobody_here:secret@'), /^skillnet: cannot connect to PostgreSQL 127\.0\.0\.1:5432\/postgres: access denied \(.*nobody_here/],
    ['a host that does not exist', () => 'postgres://postgres@no-such-host.invalid:5432/skillnet', /^skillnet: cannot connect to PostgreSQL no-such-host\.invalid:5432\/skillnet: unknown host/],
    ['a URL without a database name', () => 'postgres://postgres@127.0.0.1:5432/', /^skillnet: DATABASE_URL: the PostgreSQL URL names no database/],
  ];
  for (const [what, url, expected] of cases) {
    it(`${what}: one line, non-zero exit, nothing served`, () => {
      const r = serve(url());
      expect(r.status).to.not.equal(0);
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(r.stderr.trim()).to.match(expected);
      expect(r.stdout).to.not.match(/running/);
      expect(r.stderr).to.not.include('secret');
    });
  }
});

describe('npm run test:pg without a reachable server', function () {
  this.timeout(60_000);
  it('fails with one line saying so, never a silent skip', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--config', '.mocharc.pg.json', 'test/config.test.ts'], {
      cwd: ROOT, env: { ...process.env, SKILLNET_TEST_DB: 'postgres', SKILLNET_TEST_PG_URL: 'postgres://postgres@127.0.0.1:1/postgres' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).to.not.equal(0);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(r.stderr).to.match(/^test:pg: PostgreSQL is not reachable at 127\.0\.0\.1:1 \(connection refused/);
    expect(r.stdout).to.not.match(/passed/);
  });
});
