// skillnet user reset-2fa EMAIL: the rescue when nobody who could reset a second factor on /users can sign in.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

const run = (args: string[], env: Record<string, string>) => spawnSync(process.execPath, ['bin/skillnet.js', ...args], {
  env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000,
});

describe('skillnet user reset-2fa', function () {
  this.timeout(120000);
  it('switches a user’s second factor off (audited) and names an unknown address', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-cli-2fa-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SKILLNET_PASSWORD: 'a long password here' };
    expect(run(['user', 'add', 'ada@example.org', '--role', 'admin'], env).status).to.equal(0);
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'db.sqlite') }, useNullAsDefault: true });
    try {
      const { id } = await db('users').where({ email: 'ada@example.org' }).first('id');
      await db('users').where({ id }).update({ totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_enabled_at: '2026-12-01T00:00:00.000Z' });
      await db('user_recovery_codes').insert({ user_id: id, code_hash: 'x'.repeat(64), created_at: '2026-12-01T00:00:00.000Z' });
      const r = run(['user', 'reset-2fa', 'Ada@Example.org'], env);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('switched off');
      expect(await db('users').where({ id }).first('totp_secret', 'totp_enabled_at')).to.deep.equal({ totp_secret: null, totp_enabled_at: null });
      expect(await db('user_recovery_codes').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await db('audit_log').where({ action: 'two_factor_reset', entity_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
      const unknown = run(['user', 'reset-2fa', 'nobody@example.org'], env);
      expect(unknown.status).to.not.equal(0);
      expect(unknown.stderr).to.contain('no user with e-mail nobody@example.org');
    } finally {
      await db.destroy();
    }
  });
});
