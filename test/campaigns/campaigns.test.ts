import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { addPerson } from '../support/network.js';
import { csrfFrom, login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { testConfig } from '../../src/config.js';
import { createMailer } from '../../src/mail/transport.service.js';
import { drainQueue } from '../../src/mail/worker.service.js';
import { prepareCampaignMails } from '../../src/campaigns/campaigns.queries.js';
import { startSmtp, type TestSmtp } from '../mail/smtp.js';

const FAST = { connectionTimeout: 1500, greetingTimeout: 500, socketTimeout: 2000 };

describe('campaigns: please check your details', function () {
  this.timeout(30000);
  let env: TestEnv;
  let manager: LoggedIn;
  let smtp: TestSmtp;
  const ids: Record<string, number> = {};

  async function person(key: string, opts: { email?: string | null; consent?: string; dnc?: boolean; locale?: string } = {}) {
    const id = await addPerson(env.db, key, 'Tester', { dnc: opts.dnc });
    const email = opts.email === undefined ? `${key.toLowerCase()}@example.org` : opts.email;
    await env.db('people').where({ id }).update({ email, email_norm: email ? email.toLowerCase() : null, locale: opts.locale ?? null });
    if (opts.consent) await env.db('consents').insert({ person_id: id, purpose: opts.consent, status: 'given', created_at: '2026-01-01T00:00:00.000Z' });
    ids[key] = id;
    return id;
  }

  beforeEach(async () => {
    env = await testEnv();
    smtp = await startSmtp();
    manager = await login(env, 'm@example.org', 'manager');
    await person('Anna', { consent: 'contact_projects', locale: 'de' });
    await person('Ben', { consent: 'directory' });
    await person('Cleo', { consent: 'contact_projects', dnc: true });
    await person('Dora', { email: null, consent: 'contact_projects' });
    await person('Emil');
    await person('Fritz', { email: 'not an address', consent: 'contact_projects' });
    await env.db('consents').insert({ person_id: ids.Emil, purpose: 'newsletter', status: 'given', created_at: '2026-01-01T00:00:00.000Z' });
  });
  afterEach(async () => {
    await smtp.close();
    await env.close();
  });

  const prepare = async () => {
    while (await prepareCampaignMails(env.db, { publicUrl: 'http://skillnet.test', linkDays: 30 }, 3));
  };
  const drain = async (url = smtp.url, timeouts = FAST) => {
    await prepare();
    const cfg = testConfig({ smtpUrl: url });
    const mailer = createMailer(cfg, timeouts);
    try {
      return await drainQueue(env.db, mailer, cfg);
    } finally {
      mailer.close();
    }
  };

  async function start(keys: string[]): Promise<number> {
    const preview = await manager.agent.post('/campaigns/new').type('form').send({ _csrf: await manager.csrf(), ids: keys.map((k) => String(ids[k])) });
    expect(preview.status).to.equal(200);
    const res = await manager.agent.post('/campaigns').type('form').send({ _csrf: csrfFrom(preview.text), source: 'ids', ids: keys.map((k) => ids[k]).join(',') });
    expect(res.status).to.equal(302);
    return Number(/\/campaigns\/(\d+)$/.exec(res.headers.location)![1]);
  }

  it('previews the mail and counts who is left out and why', async () => {
    const all = Object.keys(ids);
    const preview = await manager.agent.post('/campaigns/new').type('form').send({ _csrf: await manager.csrf(), ids: all.map((k) => String(ids[k])) });
    expect(preview.text).to.contain('6 people chosen').and.contain('2 will get the mail')
      .and.contain('do not contact: 1').and.contain('no usable e-mail address: 2').and.contain('no consent to be contacted: 1')
      .and.contain('Please check your details in Skillnet').and.contain('Send to 2 people');
  });

  it('sends each person one mail with their own link, in their language, with List-Unsubscribe; the page follows the answers', async () => {
    const id = await start(Object.keys(ids));
    expect(await env.db('mail_outbox').count({ n: '*' }).first(), 'the request only records the recipients').to.deep.equal({ n: 0 });
    expect((await manager.agent.get(`/campaigns/${id}`)).text).to.match(/Waiting<\/dt><dd>2</);
    await prepare();
    expect(await env.db('mail_outbox').where({ campaign_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    expect((await drain()).sent).to.equal(2);
    await smtp.waitFor(2);
    const byRcpt = new Map(smtp.received.map((m) => [m.rcpt[0], m]));
    const anna = byRcpt.get('anna@example.org')!;
    expect(anna.parsed.subject).to.equal('Bitte prüfen Sie Ihre Angaben in Skillnet');
    expect(anna.parsed.text).to.contain('Hallo Anna Tester,');
    const link = /http:\/\/skillnet\.test(\/me\/[A-Za-z0-9_-]{43})/.exec(anna.parsed.text!)![1]!;
    expect(anna.raw.replace(/\r\n[ \t]+/g, ' ')).to.match(/^List-Unsubscribe: +<http:\/\/skillnet\.test\/me\/[A-Za-z0-9_-]{43}\/stop>\r?$/m);
    expect(anna.parsed.html).to.contain(link);
    const benLink = /\/me\/[A-Za-z0-9_-]{43}/.exec(byRcpt.get('ben@example.org')!.parsed.text!)![0];
    expect(benLink).to.not.equal(link);

    const visitor = request.agent(env.app);
    const page = await visitor.get(link);
    expect(page.text).to.contain('Anna Tester');
    await visitor.post(`${link}/confirm`).type('form').send({ _csrf: csrfFrom(page.text) }).expect(302);
    expect((await env.db('people').where({ id: ids.Anna }).first()).last_confirmed_at).to.match(/^\d{4}-/);
    const show = await manager.agent.get(`/campaigns/${id}`);
    expect(show.text).to.match(/Sent<\/dt><dd>2</).and.match(/Opened the link<\/dt><dd>1</).and.match(/Confirmed<\/dt><dd>1</).and.match(/No answer<\/dt><dd>1</);
  });

  it('the server refusing mid-campaign pauses it with the reason; resuming sends the rest, nobody twice', async () => {
    for (const k of ['G1', 'G2', 'G3', 'G4']) await person(k, { consent: 'contact_projects' });
    const id = await start(['Anna', 'Ben', 'G1', 'G2', 'G3', 'G4']);
    smtp.failAfter = { count: 2, code: 421, message: 'Too many messages, slow down' };
    const first = await drain();
    expect(first.sent).to.equal(2);
    expect(first.pausedCampaigns).to.deep.equal([id]);
    const paused = await env.db('mail_campaigns').where({ id }).first();
    expect(paused.status).to.equal('paused');
    expect(paused.pause_reason).to.match(/Too many messages/);
    expect((await drain()).sent, 'a paused campaign sends nothing').to.equal(0);
    const page = await manager.agent.get(`/campaigns/${id}`);
    expect(page.text).to.contain('Sending is paused').and.contain('Too many messages');
    expect(page.text).to.match(/<span lang="en">[^<]*Too many messages/);
    smtp.failAfter = null;
    await manager.agent.post(`/campaigns/${id}/resume`).type('form').send({ _csrf: csrfFrom(page.text) }).expect(302);
    expect((await drain()).sent).to.equal(4);
    const rcpts = smtp.received.map((m) => m.rcpt[0]).sort();
    expect(rcpts).to.have.length(6);
    expect(new Set(rcpts).size).to.equal(6);
  });

  it('a server that stops answering (timeout) or disappears pauses the campaign with that reason', async () => {
    const silent = net.createServer(() => { /* accepts and says nothing */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const id = await start(['Anna', 'Ben']);
      const port = (silent.address() as AddressInfo).port;
      const r = await drain(`smtp://127.0.0.1:${port}`);
      expect(r.pausedCampaigns).to.deep.equal([id]);
      expect((await env.db('mail_campaigns').where({ id }).first()).pause_reason).to.match(/did not answer in time/);
      await env.db('mail_campaigns').where({ id }).update({ status: 'sending' });
      await smtp.close();
      const gone = await drain();
      expect(gone.pausedCampaigns).to.deep.equal([id]);
      expect((await env.db('mail_campaigns').where({ id }).first()).pause_reason).to.match(/cannot connect/);
      expect(await env.db('mail_outbox').where({ campaign_id: id, status: 'queued' }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    } finally {
      silent.close();
    }
  });

  it('people who did not answer within 14 days appear in the stale-record review with that fact', async () => {
    await env.db('people').update({ created_at: new Date().toISOString() });
    const id = await start(['Anna', 'Ben']);
    await drain();
    expect((await manager.agent.get('/privacy/review')).text).to.not.contain('Anna Tester');
    await env.db('mail_outbox').where({ campaign_id: id }).update({ sent_at: new Date(Date.now() - 20 * 86_400_000).toISOString() });
    const review = await manager.agent.get('/privacy/review');
    expect(review.text).to.contain('Anna Tester').and.contain('Ben Tester').and.match(/asked [0-9/]+, no answer/);
    const link = /\/me\/[A-Za-z0-9_-]{43}/.exec((await env.db('mail_outbox').where({ person_id: ids.Ben }).first()).text_body)![0];
    const visitor = request.agent(env.app);
    const page = await visitor.get(link);
    await visitor.post(`${link}/confirm`).type('form').send({ _csrf: csrfFrom(page.text) }).expect(302);
    const after = await manager.agent.get('/privacy/review');
    expect(after.text).to.contain('Anna Tester');
    expect(after.text).to.not.contain('Ben Tester');
  });

  it('staff and viewers may not send or see campaigns', async () => {
    const viewer = await login(env, 'v@example.org', 'viewer');
    expect((await viewer.agent.get('/campaigns')).status).to.equal(403);
    const staff = await login(env, 's@example.org', 'staff');
    const res = await staff.agent.post('/campaigns').type('form').send({ _csrf: await staff.csrf(), source: 'ids', ids: String(ids.Anna) });
    expect(res.status).to.equal(403);
    expect(await env.db('mail_outbox').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
