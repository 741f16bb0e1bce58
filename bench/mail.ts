// The mail figure: a "please check your details" campaign to N people through the real web request (login, CSRF),
// then sending it to a local SMTP sink (smtp-server) without a rate limit; beside it, the bare baseline sends the
// same number of ready-made mails straight through nodemailer to the same sink (no queue, no database).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { createDb, migrate } from '../src/db.js';
import { hashPassword } from '../src/users/passwords.service.js';
import { insertUser } from '../src/users/users.queries.js';
import { createMailer } from '../src/mail/transport.service.js';
import { drainQueue } from '../src/mail/worker.service.js';
import { prepareCampaignMails } from '../src/campaigns/campaigns.queries.js';
import { composeMail } from '../src/mail/compose.domain.js';
import { log } from './util.js';

export interface MailFigure {
  recipients: number;
  /** the POST that starts the campaign (target < 1 s) */
  start_request_s: number;
  app_mails_per_s: number;
  raw_mails_per_s: number;
  /** bare ÷ app time for the same number of mails */
  ratio: number;
}

async function sink(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => { n++; cb(); });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.server.address() as AddressInfo).port, count: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

export async function mailFigure(recipients: number): Promise<MailFigure> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-bench-mail-'));
  const smtp = await sink();
  const config = testConfig({ databaseFile: path.join(dir, 'mail.sqlite'), dataDir: dir, smtpUrl: `smtp://127.0.0.1:${smtp.port}`, mailRatePerMinute: 0 });
  const db = createDb(config);
  try {
    await migrate(db);
    await insertUser(db, { email: 'bench@example.org', name: 'Bench', role: 'manager', passwordHash: await hashPassword('bench password 123'), organisationId: null });
    const now = new Date().toISOString();
    const ids: number[] = [];
    for (let i = 0; i < recipients; i += 500) {
      const rows = Array.from({ length: Math.min(500, recipients - i) }, (_, j) => ({
        first_name: `P${i + j}`, last_name: 'Bench', email: `p${i + j}@example.org`, email_norm: `p${i + j}@example.org`, created_at: now, updated_at: now,
      }));
      const inserted = await db('people').insert(rows).returning('id');
      ids.push(...inserted.map((r: { id: number } | number) => (typeof r === 'object' ? r.id : r)));
    }
    for (let i = 0; i < ids.length; i += 500) {
      await db('consents').insert(ids.slice(i, i + 500).map((id) => ({ person_id: id, purpose: 'contact_projects', status: 'given', created_at: now })));
    }
    const app = createApp({ db, config });
    const agent = request.agent(app);
    const csrf = () => agent.get('/campaigns').then((r) => /name="_csrf" value="([^"]+)"/.exec(r.text)![1]!);
    const login = await agent.get('/login');
    await agent.post('/login').type('form').send({ email: 'bench@example.org', password: 'bench password 123', _csrf: /name="_csrf" value="([^"]+)"/.exec(login.text)![1] });
    const token = await csrf();
    const t0 = performance.now();
    const res = await agent.post('/campaigns').type('form').send({ _csrf: token, source: 'ids', ids: ids.join(',') });
    const startS = (performance.now() - t0) / 1000;
    if (res.status !== 302) throw new Error(`starting the campaign answered ${res.status}`);
    log(`mail: campaign to ${recipients} started in ${startS.toFixed(2)} s; sending`);

    const mailer = createMailer(config);
    const t1 = performance.now();
    for (;;) {
      const prepared = await prepareCampaignMails(db, { publicUrl: config.publicUrl, linkDays: config.meLinkDays }, 1000);
      const r = await drainQueue(db, mailer, config, { max: 1000 });
      if (prepared + r.sent + r.failed + r.retrying === 0) break;
    }
    const appS = (performance.now() - t1) / 1000;
    mailer.close();
    if (smtp.count() !== recipients) throw new Error(`the sink got ${smtp.count()} of ${recipients} mails`);
    await app.shutdown();

    const content = composeMail('confirm', 'en', { name: 'P Bench', url: 'http://x/me/abc', until: now, footerVars: { stop: 'http://x/me/abc/stop' } });
    const bare = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, pool: true, maxConnections: 1 });
    const t2 = performance.now();
    for (let i = 0; i < recipients; i++) {
      await bare.sendMail({ from: config.mailFrom, to: { name: `P${i} Bench`, address: `p${i}@example.org` }, subject: content.subject, text: content.text, html: content.html });
    }
    const rawS = (performance.now() - t2) / 1000;
    bare.close();
    return {
      recipients, start_request_s: Number(startS.toFixed(2)), app_mails_per_s: Math.round(recipients / appS), raw_mails_per_s: Math.round(recipients / rawS),
      ratio: Number((appS / rawS).toFixed(2)),
    };
  } finally {
    await db.destroy();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
