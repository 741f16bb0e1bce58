import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Knex } from 'knex';
import { testConfig, type Config } from '../../src/config.js';
import { composeMail } from '../../src/mail/compose.domain.js';
import { enqueueMail } from '../../src/mail/mail.queries.js';
import { createMailer } from '../../src/mail/transport.service.js';
import { drainQueue } from '../../src/mail/worker.service.js';
import { cleanAddress, oneLine } from '../../src/mail/mail.domain.js';
import { testDb } from '../support/app.js';
import { closedPort, startSmtp, type TestSmtp } from './smtp.js';

const FAST = { connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 3000 };

describe('mail: queue, SMTP and the outbox folder', function () {
  this.timeout(20000);
  let db: Knex;
  let smtp: TestSmtp;
  let config: Config;
  beforeEach(async () => {
    db = await testDb();
    smtp = await startSmtp();
    config = testConfig({ smtpUrl: smtp.url, mailFrom: 'Skillnet Test <noreply@example.org>' });
  });
  afterEach(async () => {
    await smtp.close();
    await db.destroy();
  });

  async function queue(address: string, name: string | null, locale: 'en' | 'de' = 'en', extra: Record<string, unknown> = {}) {
    return enqueueMail(db, { kind: 'test', to: { name, address }, locale, content: composeMail('test', locale, { name }), ...extra });
  }

  it('sends queued mail through a real SMTP server: multipart text + HTML, in the recipient language, from MAIL_FROM', async () => {
    await queue('ada@example.org', 'Ada Lovelace', 'en');
    await queue('bernd@example.org', 'Bernd Müller', 'de');
    const r = await drainQueue(db, createMailer(config, FAST), config);
    expect(r.sent).to.equal(2);
    await smtp.waitFor(2);
    const [en, de] = smtp.received;
    expect(en!.rcpt).to.deep.equal(['ada@example.org']);
    expect(en!.parsed.from?.value[0]).to.deep.include({ address: 'noreply@example.org', name: 'Skillnet Test' });
    expect(en!.raw).to.match(/Content-Type: multipart\/alternative/);
    expect(en!.parsed.text).to.contain('Hello Ada Lovelace,');
    expect(en!.parsed.html).to.contain('<p>Hello Ada Lovelace,</p>');
    expect(de!.parsed.subject).to.equal('Skillnet-Testmail');
    expect(de!.parsed.text).to.contain('Hallo Bernd Müller,');
    expect(de!.parsed.html).to.contain('lang="de"');
    const rows = await db('mail_outbox').orderBy('id').select('status', 'sent_at', 'message_id');
    expect(rows.map((x) => x.status)).to.deep.equal(['sent', 'sent']);
    expect(rows[0].message_id).to.match(/@/);
  });

  it('a line break in a name or subject cannot add a header or a recipient', async () => {
    const content = composeMail('test', 'en', { name: 'Eve' });
    content.subject = 'Hi\r\nBcc: victim@example.org';
    await enqueueMail(db, { kind: 'test', to: { name: 'Eve\r\nBcc: evil@example.org\r\nX-Evil: 1', address: 'eve@example.org' }, locale: 'en', content });
    await drainQueue(db, createMailer(config, FAST), config);
    await smtp.waitFor(1);
    const got = smtp.received[0]!;
    expect(got.rcpt).to.deep.equal(['eve@example.org']);
    expect(got.parsed.headers.has('bcc')).to.equal(false);
    expect(got.parsed.headers.has('x-evil')).to.equal(false);
    expect(got.parsed.subject).to.equal('Hi Bcc: victim@example.org');
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value.map((v) => v.address) : []).to.deep.equal(['eve@example.org']);
    expect(oneLine('a\nb\u2028c')).to.equal('a b c');
    expect(cleanAddress('a@b.org\r\nBcc: x@y.org')).to.equal(null);
    await expectRejects(() => queue('eve@example.org\nBcc: x@example.org', 'Eve'), /not a mail address/);
  });

  it('keeps to the per-minute rate: the rest waits for the next minute', async () => {
    for (let i = 0; i < 5; i++) await queue(`p${i}@example.org`, `P ${i}`);
    const limited = { ...config, mailRatePerMinute: 3 };
    expect((await drainQueue(db, createMailer(limited, FAST), limited)).sent).to.equal(3);
    expect((await drainQueue(db, createMailer(limited, FAST), limited)).sent).to.equal(0);
    expect(await db('mail_outbox').where({ status: 'queued' }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
  });

  it('a refused recipient fails for good with the server answer; a temporary refusal is retried later', async () => {
    smtp.refuseRcpt.set('gone@example.org', { code: 550, message: 'No such user here' });
    smtp.refuseRcpt.set('busy@example.org', { code: 451, message: 'Try again later' });
    const gone = await queue('gone@example.org', 'Gone');
    const busy = await queue('busy@example.org', 'Busy');
    const r = await drainQueue(db, createMailer(config, FAST), config);
    expect(r).to.deep.include({ sent: 0, failed: 1, retrying: 1 });
    const g = await db('mail_outbox').where({ id: gone }).first();
    expect(g.status).to.equal('failed');
    expect(g.last_error).to.match(/refused the sender or recipient.*No such user here/);
    const b = await db('mail_outbox').where({ id: busy }).first();
    expect(b.status).to.equal('queued');
    expect(b.attempts).to.equal(1);
    expect(Date.parse(b.next_attempt_at)).to.be.greaterThan(Date.now() + 30_000);
    expect(b.last_error).to.match(/Try again later/);
  });

  it('a server that is gone: the mail waits with the reason "cannot connect"', async () => {
    const cfg = { ...config, smtpUrl: `smtp://127.0.0.1:${await closedPort()}` };
    const id = await queue('ada@example.org', 'Ada');
    const r = await drainQueue(db, createMailer(cfg, FAST), cfg);
    expect(r.retrying).to.equal(1);
    const row = await db('mail_outbox').where({ id }).first();
    expect(row.status).to.equal('queued');
    expect(row.last_error).to.match(/^cannot connect to 127\.0\.0\.1:\d+/);
  });

  it('without SMTP_URL mails become .eml files in data/outbox/', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-outbox-'));
    try {
      const cfg = testConfig({ dataDir: dir, smtpUrl: null });
      await queue('ada@example.org', 'Ada', 'de');
      expect((await drainQueue(db, createMailer(cfg), cfg)).sent).to.equal(1);
      const files = readdirSync(path.join(dir, 'outbox'));
      expect(files).to.deep.equal([`1-test.eml`]);
      const parsed = await simpleParser(readFileSync(path.join(dir, 'outbox', files[0]!)));
      expect(parsed.subject).to.equal('Skillnet-Testmail');
      expect(parsed.text).to.contain('Hallo Ada,');
      expect(parsed.html).to.contain('Hallo Ada,');
      expect((await db('mail_outbox').first()).file).to.equal('1-test.eml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function expectRejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail('expected a rejection');
}
