import { expect } from 'chai';
import request from 'supertest';
import { addPerson, addSkill } from '../support/network.js';
import { addUser, csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';
import { testConfig } from '../../src/config.js';
import { signedStart } from '../../src/join/join.domain.js';
import { purgeApplications } from '../../src/join/join.queries.js';

const SECRET = testConfig().sessionSecret;

describe('/join: offering help with double opt-in', function () {
  this.timeout(60000);
  let env: TestEnv;
  let seo: number;
  let wp: number;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
    seo = await addSkill(env.db, 'SEO', 'Suchmaschinenoptimierung');
    wp = await addSkill(env.db, 'WordPress');
  });
  afterEach(() => env.close());

  async function form(agent = request.agent(env.app)) {
    const page = await agent.get('/join');
    expect(page.status).to.equal(200);
    return { agent, csrf: csrfFrom(page.text), page };
  }

  const offer = (extra: Record<string, unknown> = {}) => ({
    first_name: 'Jana', last_name: 'Neu', email: 'jana@example.org', city: 'Leipzig', availability: 'limited',
    skill_id: [String(seo), String(wp), ''], skill_level: ['4', '1', '1'], note: 'Evenings', consent: '1',
    started: signedStart(SECRET, Date.now() - 20_000), website: '', ...extra,
  });

  async function post(data: Record<string, unknown>) {
    const { agent, csrf } = await form();
    return agent.post('/join').type('form').send({ _csrf: csrf, ...data });
  }

  function confirmLink(text: string): string {
    return /http:\/\/skillnet\.test(\/join\/confirm\/[A-Za-z0-9_-]{43})/.exec(text)![1]!;
  }

  it('needs no login; the offer is kept only after the link in the mail is confirmed; a manager accepts it', async () => {
    const res = await post(offer());
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Please check your mail');
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    const mail = await env.db('mail_outbox').first();
    expect(mail).to.deep.include({ kind: 'join', to_address: 'jana@example.org', subject: 'Please confirm your offer to help' });
    const link = confirmLink(mail.text_body);
    const visitor = request.agent(env.app);
    const page = await visitor.get(link);
    expect(page.status).to.equal(200);
    await visitor.post(link).type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
    expect((await env.db('join_applications').first()).status).to.equal('confirmed');

    const manager = await login(env, 'm@example.org', 'manager');
    const queue = await manager.agent.get('/requests');
    expect(queue.text).to.contain('Jana Neu').and.contain('SEO (Expert)').and.contain('Evenings');
    const id = (await env.db('join_applications').first()).id;
    const accepted = await manager.post(`/join/applications/${id}/accept`, {});
    expect(accepted.status).to.equal(302);
    const person = await env.db('people').first();
    expect(person).to.deep.include({ first_name: 'Jana', last_name: 'Neu', email_norm: 'jana@example.org', city: 'Leipzig', availability: 'limited' });
    expect(await env.db('person_skills').where({ person_id: person.id }).orderBy('skill_id').select('skill_id', 'level'))
      .to.deep.equal([{ skill_id: seo, level: 4 }, { skill_id: wp, level: 1 }]);
    const consent = await env.db('consents').where({ person_id: person.id }).first();
    expect(consent).to.deep.include({ purpose: 'contact_projects', status: 'given', method: 'web_form' });
    expect(consent.notice_text).to.contain('contacts me about projects');
    expect((await env.db('join_applications').first()).data).to.equal('{}');
    expect((await visitor.post(link).type('form').send({ _csrf: csrfFrom(page.text) })).status, 'the link is spent').to.equal(404);
  });

  it('accepting an offer from a known e-mail merges into that person instead of creating one', async () => {
    const known = await addPerson(env.db, 'Jana', 'Alt', { skills: [[seo, 1]] });
    await env.db('people').where({ id: known }).update({ email: 'Jana@Example.org', email_norm: 'jana@example.org' });
    await post(offer());
    const link = confirmLink((await env.db('mail_outbox').first()).text_body);
    const visitor = request.agent(env.app);
    const page = await visitor.get(link);
    await visitor.post(link).type('form').send({ _csrf: csrfFrom(page.text) }).expect(200);
    const manager = await login(env, 'm@example.org', 'manager');
    expect((await manager.agent.get('/requests')).text).to.contain('Already in the directory');
    await manager.post(`/join/applications/${(await env.db('join_applications').first()).id}/accept`, {});
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    const p = await env.db('people').where({ id: known }).first();
    expect(p).to.deep.include({ last_name: 'Alt', city: 'Leipzig' });
    expect(await env.db('person_skills').where({ person_id: known }).orderBy('skill_id').select('skill_id', 'level'))
      .to.deep.equal([{ skill_id: seo, level: 4 }, { skill_id: wp, level: 1 }]);
  });

  it('declining deletes the offer; unconfirmed offers vanish after 7 days', async () => {
    await post(offer());
    await post(offer({ email: 'late@example.org' }));
    const [first] = await env.db('join_applications').orderBy('id').select('id');
    await env.db('join_applications').where({ id: first.id }).update({ status: 'confirmed', confirmed_at: new Date().toISOString() });
    const manager = await login(env, 'm@example.org', 'manager');
    await manager.post(`/join/applications/${first.id}/decline`, {});
    const declined = await env.db('join_applications').where({ id: first.id }).first();
    expect(declined).to.deep.include({ status: 'declined', data: '{}', email: '' });
    await env.db('join_applications').where({ email_norm: 'late@example.org' }).update({ created_at: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    const link = confirmLink((await env.db('mail_outbox').where({ to_address: 'late@example.org' }).first()).text_body);
    expect((await request(env.app).get(link)).status, 'too late to confirm').to.equal(200);
    expect(await purgeApplications(env.db)).to.equal(1);
    expect((await request(env.app).get(link)).status).to.equal(404);
    expect(await env.db('join_applications').where({ email_norm: 'late@example.org' }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('bots: a filled honeypot, a too fast or forged start time get the same friendly answer and nothing is kept', async () => {
    for (const bad of [{ website: 'http://spam.example' }, { started: signedStart(SECRET, Date.now()) }, { started: `${Date.now() - 60_000}.forgedforgedforgedforgedforgedforgedforgedf` }, { started: '' }]) {
      const res = await post(offer(bad));
      expect(res.status, JSON.stringify(bad)).to.equal(200);
      expect(res.text).to.contain('Please check your mail');
    }
    expect(await env.db('join_applications').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await env.db('mail_outbox').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('bad input is shown at the field and nothing is kept; header injection through the name is impossible', async () => {
    const res = await post(offer({ email: 'nope', consent: '' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please agree');
    expect(await env.db('join_applications').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    await post(offer({ first_name: 'Eve\r\nBcc: all@example.org' }));
    const mail = await env.db('mail_outbox').first();
    expect(mail.to_name).to.equal('Eve Bcc: all@example.org Neu');
  });

  it('1,000 posts from one address in a minute: rate-limited, and the app keeps answering', async () => {
    const { agent, csrf } = await form();
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) =>
        agent.post('/join').type('form').send({ _csrf: csrf, ...offer({ email: `flood${i + j}@example.org` }) })));
      statuses.push(...batch.map((r) => r.status));
      const health = await request(env.app).get('/health');
      expect(health.body).to.deep.equal({ status: 'ok' });
    }
    expect(statuses.filter((s) => s === 200)).to.have.length(10);
    expect(statuses.filter((s) => s === 429)).to.have.length(990);
    expect(await env.db('join_applications').count({ n: '*' }).first()).to.deep.equal({ n: 10 });
  });

  it('an admin can switch /join off; managers cannot', async () => {
    const manager = await login(env, 'm@example.org', 'manager');
    expect((await manager.post('/settings/join', {})).status).to.equal(403);
    const admin = await login(env, 'admin@example.org');
    await admin.post('/settings/join', {}).then((r) => expect(r.status).to.equal(302));
    const closed = await request(env.app).get('/join');
    expect(closed.status).to.equal(404);
    expect(closed.text).to.contain('Joining is closed');
    await admin.post('/settings/join', { join_enabled: '1' });
    expect((await request(env.app).get('/join')).status).to.equal(200);
  });
});
