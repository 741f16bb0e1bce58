// One password rule for every form and the CLI: long enough, not personal, not common, not guessable — and saying why.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { passwordProblem } from '../../src/users/password-rules.domain.js';
import { csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';

const ADA = { email: 'ada.lovelace@example.org', name: 'Ada Lovelace' };

describe('password rule', () => {
  const table: [string, string | null][] = [
    ['short', 'users.passwordTooShort'],
    ['aaaaaaaaaa', 'users.passwordGuessable'],
    ['1234567890', 'users.passwordCommon'],
    ['password123', 'users.passwordCommon'],
    ['passwort123', 'users.passwordCommon'],
    ['qwertzuiop', 'users.passwordGuessable'],
    ['ada.lovelace@example.org', 'users.passwordPersonal'],
    ['my lovelace rocks', 'users.passwordPersonal'],
    ['ADA.LOVELACE-forever', 'users.passwordPersonal'],
    ['x'.repeat(300), 'validation.tooLong'],
    ['correct horse battery', null],
    ['blue-kettle-orbit', null],
    ['Wombat lantern quiet', null],
  ];
  for (const [password, expected] of table) {
    it(`${password.slice(0, 30)} → ${expected ?? 'accepted'}`, () => {
      expect(passwordProblem(password, ADA)).to.equal(expected);
    });
  }
});

describe('password rule in the forms and the CLI', function () {
  this.timeout(60000);
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('/setup refuses a common password and one containing the e-mail, saying why', async () => {
    const agent = request.agent(env.app);
    const token = csrfFrom((await agent.get('/setup')).text);
    const send = (password: string) => agent.post('/setup').type('form').send({ _csrf: token, name: 'Ada Lovelace', email: ADA.email, password, password_confirm: password });
    const common = await send('1234567890');
    expect(common.status).to.equal(422);
    expect(common.text).to.contain('lists of common and leaked passwords');
    const personal = await send('ada.lovelace@example.org');
    expect(personal.status).to.equal(422);
    expect(personal.text).to.contain('contains your e-mail address or name');
    expect(await env.db('users').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect((await send('correct horse battery')).status).to.equal(302);
  });

  it('changing one\'s password refuses one\'s own name, in German too', async () => {
    const u = await login(env, 'grace.hopper@example.org', 'viewer');
    await u.post('/language', { locale: 'de' });
    const token = await u.csrf('/account/password');
    const res = await u.agent.post('/account/password').type('form').send({ _csrf: token, current: 'correct horse battery', password: 'grace hopper 1906', password_confirm: 'grace hopper 1906' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('enthält Ihre E-Mail-Adresse oder Ihren Namen');
  });

  it('skillnet user add says why a password is refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-pw-'));
    const run = (password: string) => spawnSync(process.execPath, ['bin/skillnet.js', 'user', 'add', ADA.email, '--role', 'admin', '--name', ADA.name], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, SKILLNET_PASSWORD: password }, encoding: 'utf8', timeout: 60000,
    });
    const common = run('aaaaaaaaaa');
    expect(common.status).to.not.equal(0);
    expect(common.stderr).to.contain('easy to guess');
    const personal = run('lovelace-and-more');
    expect(personal.status).to.not.equal(0);
    expect(personal.stderr).to.contain('contains your e-mail address or name');
    expect(run('correct horse battery').status).to.equal(0);
  });
});
