// Issue 11, reliability 2 and 6: a full disk. The database lives on a small tmpfs that the test fills for
// real. Writes answer 503 "the disk is full; nothing was written" (web) or say so and exit 2 (CLI); reads,
// /health and the process keep going; freeing space is enough to write again.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { csrfFrom } from '../support/app.js';
import { peopleCsv, skillnet, startServer, tempDir } from './helpers.js';

function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`this test needs a real small disk: mounting a tmpfs failed (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}); run it as root or in a container allowed to mount tmpfs`);
  }
}

/** Writes a filler file until the disk has no space left. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    for (let n = 4096; n >= 1; n = Math.floor(n / 2)) {
      try {
        for (;;) writeSync(fd, chunk.subarray(0, n));
      } catch { /* next smaller piece */ }
    }
  } finally {
    closeSync(fd);
  }
}

describe('reliability: a full disk', function () {
  this.timeout(180_000);
  let mnt: string;
  let env: Record<string, string>;

  before(() => {
    mnt = path.join(tempDir(), 'disk');
    mkdirSync(mnt);
    mountTmpfs(mnt, '12m');
    env = { DATABASE_URL: path.join(mnt, 'net.sqlite'), SESSION_SECRET: 'a-session-secret-for-the-test' };
  });
  after(() => {
    try {
      execFileSync('umount', [mnt]);
    } catch { /* already gone */ }
  });

  it('says so, keeps serving reads, never crashes, and writes again once space is freed', async () => {
    expect((await skillnet(['migrate'], env).exited).code).to.equal(0);
    const add = skillnet(['user', 'add', 'admin@example.org', '--role', 'admin'], { ...env, SKILLNET_PASSWORD: 'a long and unusual passphrase 42' });
    expect((await add.exited).code, add.err()).to.equal(0);
    const server = await startServer(env);
    try {
      const agent = request.agent(server.url);
      const page = await agent.get('/login');
      const signedIn = await agent.post('/login').type('form').send({ email: 'admin@example.org', password: 'a long and unusual passphrase 42', _csrf: csrfFrom(page.text) });
      expect(signedIn.status).to.equal(302);
      const token = csrfFrom((await agent.get('/people/new')).text);
      const person = (email: string) => ({ first_name: 'Disk', last_name: 'Test', email, kind: 'volunteer', availability: 'available', _csrf: token });

      const filler = path.join(mnt, 'filler');
      fill(filler);

      const full = await agent.post('/people').type('form').send(person('one@example.org'));
      expect(full.status).to.equal(503);
      expect(full.text).to.contain('The disk is full; nothing was written.');
      expect((await agent.get('/people')).status, 'reads keep working').to.equal(200);
      expect((await request(server.url).get('/health')).status).to.equal(200);
      // a login needs a session row: refused readably, the process stays up
      const anon = request.agent(server.url);
      const loginPage = await anon.get('/login');
      expect([200, 503]).to.include(loginPage.status);
      const cli = skillnet(['import', 'people', peopleCsv(tempDir(), 2000)], env);
      const r = await cli.exited;
      expect(r.code).to.equal(2);
      expect(cli.err()).to.contain('The disk is full; nothing was written.');
      expect(cli.err()).to.not.match(/\n\s+at /);

      rmSync(filler);
      const again = await agent.post('/people').type('form').send(person('two@example.org'));
      expect(again.status, again.text.slice(0, 300)).to.equal(302);
      expect(server.proc.exitCode, 'the server never stopped').to.equal(null);
      const ok = skillnet(['import', 'people', peopleCsv(tempDir(), 50), '--json'], env);
      expect((await ok.exited).code, ok.err()).to.equal(0);
      expect(JSON.parse(ok.out())).to.include({ created: 50 });
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });
});
