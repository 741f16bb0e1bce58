import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { composeMail } from '../../src/mail/compose.domain.js';
import { enqueueMail, markAttemptFailed } from '../../src/mail/mail.queries.js';
import { createMailer } from '../../src/mail/transport.service.js';
import { drainQueue } from '../../src/mail/worker.service.js';
import { addUser, csrfFrom, PASSWORD, testDb } from '../support/app.js';
import { startSmtp } from './smtp.js';

describe('/outbox (admins)', function () {
  this.timeout(30000);
  it('lists sent and failed mails with the reason; the .eml file downloads; a failed mail can be sent again; managers get 403', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-outbox-http-'));
    const db = await testDb();
    const config = testConfig({ dataDir: dir });
    const app = createApp({ db, config });
    try {
      await addUser(db, 'admin@example.org', 'admin');
      await addUser(db, 'm@example.org', 'manager');
      await enqueueMail(db, { kind: 'test', to: { name: 'Ada <script>', address: 'ada@example.org' }, locale: 'en', content: composeMail('test', 'en', { name: 'Ada' }) });
      const failed = await enqueueMail(db, { kind: 'test', to: { name: 'Bob', address: 'bob@example.org' }, locale: 'de', content: composeMail('test', 'de', { name: 'Bob' }) });
      await drainQueue(db, createMailer(config), config, { max: 1 });
      await markAttemptFailed(db, failed, 'mail.example.org:587 refused the sender or recipient (server said: 550 no such user)', null);
      const agent = request.agent(app);
      const signIn = async (email: string) => {
        const page = await agent.get('/login');
        await agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
      };
      await signIn('admin@example.org');
      const page = await agent.get('/outbox');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('written as .eml files').and.contain('Ada &lt;script&gt;')
        .and.contain('550 no such user').and.contain('Waiting: 0 · sending: 0 · sent: 1 · failed: 1');
      expect(page.text).to.not.contain('Ada <script>');
      const eml = await agent.get('/outbox/1.eml');
      expect(eml.status).to.equal(200);
      expect(eml.headers['content-type']).to.match(/message\/rfc822/);
      expect(eml.text).to.contain('Subject: Skillnet test mail');
      expect((await agent.get(`/outbox/${failed}.eml`)).status, 'no file for a failed mail').to.equal(404);
      await agent.post(`/outbox/${failed}/retry`).type('form').send({ _csrf: csrfFrom(page.text) }).expect(302);
      expect((await db('mail_outbox').where({ id: failed }).first()).status).to.equal('queued');
      await agent.post('/logout').type('form').send({ _csrf: csrfFrom((await agent.get('/outbox')).text) });
      await signIn('m@example.org');
      expect((await agent.get('/outbox')).status).to.equal(403);
      expect((await agent.get('/outbox/1.eml')).status).to.equal(403);
    } finally {
      await app.shutdown();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('skillnet mail test / skillnet link', function () {
  this.timeout(120000);
  const run = (args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000 });
  // while a test's own SMTP server must keep answering, the command runs without blocking this process
  const runAsync = (args: string[], env: Record<string, string>) => new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['bin/skillnet.js', ...args], { env: { ...process.env, NODE_ENV: 'test', ...env }, encoding: 'utf8', timeout: 60000 },
      (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });

  it('mail test sends through the SMTP server, or says exactly what failed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-mailcli-'));
    const smtp = await startSmtp({ user: 'skillnet', pass: 'right' });
    try {
      const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}` };
      const ok = await runAsync(['mail', 'test', 'ops@example.org'], { ...env, SMTP_URL: smtp.url });
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stdout).to.contain('Sent a test mail to ops@example.org');
      await smtp.waitFor(1);
      expect(smtp.received[0]!.rcpt).to.deep.equal(['ops@example.org']);
      const wrong = await runAsync(['mail', 'test', 'ops@example.org'], { ...env, SMTP_URL: `smtp://skillnet:wrong@127.0.0.1:${smtp.port}` });
      expect(wrong.status).to.not.equal(0);
      expect(wrong.stderr.trim()).to.match(/^skillnet: mail test failed: 127\.0\.0\.1:\d+ refused the user name or password \(server said: 535/);
      expect(wrong.stderr).to.not.contain('wrong');
      await smtp.close();
      const gone = run(['mail', 'test', 'ops@example.org'], { ...env, SMTP_URL: smtp.url });
      expect(gone.stderr.trim()).to.match(/^skillnet: mail test failed: cannot connect to 127\.0\.0\.1:\d+/);
      const bad = run(['mail', 'test', 'ops@example.org'], { ...env, SMTP_URL: 'http://x' });
      expect(bad.stderr).to.contain('SMTP_URL must start with smtp:// or smtps://');
      const file = run(['mail', 'test', 'ops@example.org'], env);
      expect(file.status, file.stderr).to.equal(0);
      expect(file.stdout).to.match(/No SMTP_URL is set.*outbox[/\\]\d+-test\.eml/);
    } finally {
      await smtp.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('link prints a working link for a person, and refuses an unknown e-mail', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-linkcli-'));
    try {
      const env = { DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, PUBLIC_URL: 'https://skills.example.org/' };
      expect(run(['migrate'], env).status).to.equal(0);
      const knex = (await import('knex')).default({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'db.sqlite') }, useNullAsDefault: true });
      await knex('people').insert({ first_name: 'Ada', last_name: 'L', email: 'ada@example.org', email_norm: 'ada@example.org', created_at: 'x', updated_at: 'x' });
      await knex.destroy();
      const r = run(['link', 'ADA@example.org'], env);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.match(/^https:\/\/skills\.example\.org\/me\/[A-Za-z0-9_-]{43}$/);
      const unknown = run(['link', 'nobody@example.org'], env);
      expect(unknown.status).to.not.equal(0);
      expect(unknown.stderr).to.contain('no person with the e-mail nobody@example.org');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
