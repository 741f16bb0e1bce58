// Webhooks against a real local HTTP receiver: signed in the Standard Webhooks way, retried with back-off (500, 500,
// then 200: exactly one successful delivery, the same webhook-id on every attempt), thin payloads (an erasure
// carries nothing but the id), the admin pages, the delivery log and re-sending.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { csrfFrom, login, type TestEnv } from '../support/app.js';
import { addOrganisation, addPerson, addProject } from '../support/network.js';
import { apiEnv, call, tokenFor } from '../api/support.js';
import { importCsv } from '../imports/helpers.js';
import { deliverDueWebhooks } from '../../src/webhooks/webhooks.service.js';
import { createEndpoint } from '../../src/webhooks/webhooks.queries.js';
import { mergePeople } from '../../src/duplicates/merge.queries.js';
import { endpointUrlProblem, verifyWebhook, WEBHOOK_EVENTS } from '../../src/webhooks/webhooks.domain.js';

interface Received { headers: http.IncomingHttpHeaders; body: string }

/** A receiver that answers the given statuses in turn (then 200) and keeps what it got. */
async function receiver(statuses: number[]) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const ACTOR = { userId: null, label: 'test', source: 'cli' as const };

describe('webhooks', function () {
  this.timeout(30000);
  let env: TestEnv;
  let admin: string;
  beforeEach(async () => {
    env = await apiEnv();
    admin = await tokenFor(env, 'admin@example.org', 'admin');
  });
  afterEach(() => env.close());

  it('retries 500, 500, then 200: one successful delivery, same id, signature valid', async () => {
    const rx = await receiver([500, 500]);
    try {
      const endpointId = await createEndpoint(env.db, ACTOR, { url: rx.url, description: null, events: ['person.created'], active: true });
      const secret = (await env.db('webhook_endpoints').where({ id: endpointId }).first()).secret as string;
      const made = await call(env, 'POST', '/api/v1/people', { token: admin, body: { first_name: 'Wanda', last_name: 'Hook', email: 'wanda@example.org' } });
      expect(made.status).to.equal(201);

      expect(await deliverDueWebhooks(env.db)).to.deep.equal({ delivered: 0, failed: 1 });
      // not due again before its retry time
      expect(await deliverDueWebhooks(env.db)).to.deep.equal({ delivered: 0, failed: 0 });
      expect(await deliverDueWebhooks(env.db, { now: minutes(2) })).to.deep.equal({ delivered: 0, failed: 1 });
      expect(await deliverDueWebhooks(env.db, { now: minutes(10) })).to.deep.equal({ delivered: 1, failed: 0 });
      expect(await deliverDueWebhooks(env.db, { now: minutes(200) })).to.deep.equal({ delivered: 0, failed: 0 });

      expect(rx.got).to.have.length(3);
      const ids = new Set(rx.got.map((g) => g.headers['webhook-id']));
      expect(ids.size).to.equal(1);
      for (const g of rx.got) {
        expect(g.headers['content-type']).to.equal('application/json');
        expect(verifyWebhook(secret, { id: String(g.headers['webhook-id']), timestamp: String(g.headers['webhook-timestamp']), signature: String(g.headers['webhook-signature']) }, g.body)).to.equal(true);
        expect(verifyWebhook(secret, { id: String(g.headers['webhook-id']), timestamp: String(g.headers['webhook-timestamp']), signature: String(g.headers['webhook-signature']) }, g.body + ' ')).to.equal(false);
      }
      const payload = JSON.parse(rx.got[2]!.body);
      expect(payload).to.deep.include({ type: 'person.created', data: { id: made.body.id } });
      expect(rx.got[2]!.body).to.not.contain('wanda');

      const deliveries = await env.db('webhook_deliveries').select('status', 'attempts', 'last_status_code');
      expect(deliveries).to.deep.equal([{ status: 'delivered', attempts: 3, last_status_code: 200 }]);
      const attempts = await env.db('webhook_attempts').orderBy('id').select('status_code', 'response_ms');
      expect(attempts.map((a) => a.status_code)).to.deep.equal([500, 500, 200]);
      expect(attempts.every((a) => Number.isInteger(a.response_ms) && a.response_ms >= 0)).to.equal(true);
    } finally {
      await rx.close();
    }
  });

  it('sends each event once per subscribed endpoint, in the write’s transaction; erasure carries only the id', async () => {
    const rx = await receiver([]);
    try {
      await createEndpoint(env.db, ACTOR, { url: rx.url, description: null, events: [...WEBHOOK_EVENTS], active: true });
      await createEndpoint(env.db, ACTOR, { url: rx.url, description: 'paused', events: [...WEBHOOK_EVENTS], active: false });
      const p = await call(env, 'POST', '/api/v1/people', { token: admin, body: { first_name: 'Eve', last_name: 'Events', email: 'eve@example.org' } });
      const etag = p.headers.etag as string;
      await call(env, 'PATCH', `/api/v1/people/${p.body.id}`, { token: admin, body: { city: 'Erfurt' }, headers: { 'If-Match': etag } });
      // a refused write queues nothing
      await call(env, 'PATCH', `/api/v1/people/${p.body.id}`, { token: admin, body: { city: 'Gotha' }, headers: { 'If-Match': etag } });
      const org = await addOrganisation(env.db, 'Org');
      const project = await addProject(env.db, org, 'Site');
      await call(env, 'POST', `/api/v1/projects/${project}/engagements`, { token: admin, body: { person_id: p.body.id, role: 'Dev' } });
      await call(env, 'POST', `/api/v1/people/${p.body.id}/erase`, { token: admin });
      await importCsv(env.db, 'first name,last name,email\nIm,Port,import@example.org\n');
      expect((await deliverDueWebhooks(env.db)).delivered).to.equal(5);
      const events = rx.got.map((g) => JSON.parse(g.body) as { type: string; data: Record<string, unknown> });
      expect(events.map((e) => e.type)).to.deep.equal(['person.created', 'person.updated', 'engagement.created', 'person.erased', 'import.finished']);
      expect(events[1]!.data).to.deep.equal({ id: p.body.id, fields: ['city'] });
      expect(events[2]!.data).to.deep.include({ person_id: p.body.id, project_id: project });
      expect(events[3]!.data).to.deep.equal({ id: p.body.id });
      expect(rx.got[3]!.body).to.not.match(/eve|Events|example/i);
      expect(events[4]!.data).to.include({ entity: 'people', rows: 1, created: 1 });
    } finally {
      await rx.close();
    }
  });

  it('admins register endpoints on /webhooks, see the log and send again; others may not', async () => {
    const rx = await receiver([503]);
    try {
      const manager = await login(env, 'manager@example.org', 'manager');
      expect((await manager.agent.get('/webhooks')).status).to.equal(403);
      const a = await login(env, 'boss@example.org', 'admin');
      const form = await a.agent.get('/webhooks/new');
      const refused = await a.agent.post('/webhooks').type('form').send({ _csrf: csrfFrom(form.text), url: 'http://example.org/hook', events: 'person.created' });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Use an https:// address');
      const made = await a.agent.post('/webhooks').type('form').send({ _csrf: csrfFrom(form.text), url: rx.url, events: ['person.created', 'person.erased'] });
      expect(made.status).to.equal(302);
      const id = Number(String(made.headers.location).split('/').pop());
      await addPerson(env.db, 'Not', 'Via-Audit'); // written directly: no event
      await call(env, 'POST', '/api/v1/people', { token: admin, body: { last_name: 'Logged' } });
      await deliverDueWebhooks(env.db);
      const page = await a.agent.get(`/webhooks/${id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('HTTP 503');
      expect(page.text).to.contain('whsec_');
      const delivery = (await env.db('webhook_deliveries').first()).id;
      const resent = await a.agent.post(`/webhooks/deliveries/${delivery}/resend`).type('form').send({ _csrf: csrfFrom(page.text) });
      expect(resent.status).to.equal(302);
      await deliverDueWebhooks(env.db);
      expect((await env.db('webhook_deliveries').where({ id: delivery }).first()).status).to.equal('delivered');
      expect(rx.got.map((g) => g.headers['webhook-id'])).to.satisfy((ids: unknown[]) => ids.length === 2 && ids[0] === ids[1]);
    } finally {
      await rx.close();
    }
  });

  it('the delivery log is paged, with every shown delivery\'s attempts', async () => {
    const id = await createEndpoint(env.db, ACTOR, { url: 'https://hooks.example.org/in', description: null, events: ['person.created'], active: true });
    for (let i = 1; i <= 55; i++) {
      await env.db('webhook_deliveries').insert({ endpoint_id: id, message_id: `msg_page_${i}`, event: 'person.created', payload: '{}', status: 'failed', attempts: 1, created_at: `2026-12-05T00:00:${String(i).padStart(2, '0')}Z` });
    }
    const oldest = (await env.db('webhook_deliveries').where({ message_id: 'msg_page_1' }).first()).id;
    await env.db('webhook_attempts').insert({ delivery_id: oldest, at: '2026-12-05T00:00:01Z', status_code: 418, response_ms: 7, error: null });
    const a = await login(env, 'pager@example.org', 'admin');
    const first = await a.agent.get(`/webhooks/${id}`);
    expect(first.status).to.equal(200);
    expect(first.text).to.contain('msg_page_55').and.to.contain('msg_page_6').and.not.contain('msg_page_5<');
    expect(first.text).to.contain('Page 1 of 2').and.to.contain(`href="/webhooks/${id}?page=2"`);
    const second = await a.agent.get(`/webhooks/${id}?page=2`);
    expect(second.text).to.contain('msg_page_5<').and.to.contain('msg_page_1<').and.not.contain('msg_page_6<');
    expect(second.text).to.contain('HTTP 418'); // the oldest delivery's attempt, on the page that shows it
  });

  it('a merge sends person.merged with the kept id and the ids merged away', async () => {
    const rx = await receiver([]);
    try {
      await createEndpoint(env.db, ACTOR, { url: rx.url, description: null, events: ['person.merged'], active: true });
      const keep = await addPerson(env.db, 'Max', 'Muster');
      const away = await addPerson(env.db, 'Max', 'Mustermann');
      await mergePeople(env.db, ACTOR, { keepId: keep, ids: [keep, away] });
      expect((await deliverDueWebhooks(env.db)).delivered).to.equal(1);
      const event = JSON.parse(rx.got[0]!.body) as { type: string; data: Record<string, unknown> };
      expect(event.type).to.equal('person.merged');
      expect(event.data).to.deep.include({ id: keep, merged_ids: [away] });
    } finally {
      await rx.close();
    }
  });

  it('takes https anywhere, plain http only to this machine outside production', () => {
    expect(endpointUrlProblem('https://hooks.example.org/x', 'production')).to.equal(null);
    expect(endpointUrlProblem('http://localhost:8080/x', 'development')).to.equal(null);
    expect(endpointUrlProblem('http://127.0.0.1/x', 'test')).to.equal(null);
    expect(endpointUrlProblem('http://localhost/x', 'production')).to.equal('webhooks.urlHttps');
    expect(endpointUrlProblem('http://10.0.0.5/x', 'development')).to.equal('webhooks.urlHttps');
    expect(endpointUrlProblem('https://user:pw@hooks.example.org/', 'development')).to.equal('webhooks.urlCredentials');
    expect(endpointUrlProblem('ftp://x', 'development')).to.equal('webhooks.urlHttps');
  });
});
