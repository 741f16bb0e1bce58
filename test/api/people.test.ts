// /api/v1/people over HTTP with real tokens: the /people search and its do-not-contact rule, cursor paging, create,
// update with ETags, delete and erasure, each write audited as made through the API by that token.
import { expect } from 'chai';
import type { TestEnv } from '../support/app.js';
import { addSkill } from '../support/network.js';
import { apiEnv, call, tokenFor } from './support.js';
import { columnKeys } from '../../src/exports/columns.domain.js';
import { PERSON_API_FIELDS } from '../../src/api/schemas.domain.js';

describe('API: people', function () {
  this.timeout(30000);
  let env: TestEnv;
  let admin: string;
  let seo: number;
  beforeEach(async () => {
    env = await apiEnv();
    admin = await tokenFor(env, 'admin@example.org', 'admin');
    seo = await addSkill(env.db, 'SEO', 'Suchmaschinenoptimierung');
  });
  afterEach(() => env.close());

  const create = (body: Record<string, unknown>, token = admin) => call(env, 'POST', '/api/v1/people', { token, body });

  it('names fields as the export does', () => {
    const missing = columnKeys('people').filter((k) => !PERSON_API_FIELDS.includes(k));
    expect(missing).to.deep.equal([]);
  });

  it('creates a person through the form’s own rules, and audits it as made through the API by that token', async () => {
    const res = await create({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', city: 'Leipzig', skills: [{ name: 'seo', level: 3 }], tags: ['mentor'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.headers.location).to.equal(`/api/v1/people/${res.body.id}`);
    expect(res.headers.etag).to.match(/^"/);
    expect(res.body).to.include({ first_name: 'Ada', email: 'ada@example.org', kind: 'volunteer', availability: 'available', do_not_contact: false });
    expect(res.body.skills).to.deep.equal([{ id: seo, name: 'SEO', name_de: 'Suchmaschinenoptimierung', level: 3 }]);
    expect(res.body.tags).to.deep.equal(['mentor']);
    const audit = await env.db('audit_log').where({ entity_type: 'person', entity_id: res.body.id, action: 'create' }).first();
    expect(audit.source).to.equal('api');
    expect(audit.actor).to.match(/^admin@example.org · API token "test [a-z0-9]+" \(#\d+\)$/);
    // the same e-mail again is refused as the form refuses it
    const again = await create({ last_name: 'Other', email: 'ADA@example.org' });
    expect(again.status).to.equal(422);
    expect(again.body.errors).to.have.length(1);
    expect(again.body.errors[0]).to.include({ field: 'email', code: 'people.emailTaken' });
    expect(again.body.errors[0].reason).to.equal('Another person already has this e-mail.');
  });

  it('lists with the /people filters and pages by cursor until next is null', async () => {
    for (let i = 0; i < 7; i++) await create({ first_name: `P${i}`, last_name: 'Paging', city: i % 2 ? 'Leipzig' : 'Halle', skills: [{ id: seo, level: 2 }] });
    await create({ first_name: 'No', last_name: 'Skill', city: 'Leipzig' });
    const seen: number[] = [];
    let url = `/api/v1/people?skill=SEO&city=leipzig&limit=2`;
    for (let pages = 0; pages < 10; pages++) {
      const res = await call(env, 'GET', url, { token: admin });
      expect(res.status).to.equal(200);
      seen.push(...res.body.data.map((p: { id: number }) => p.id));
      if (!res.body.next) break;
      url = `/api/v1/people?skill=SEO&city=leipzig&limit=2&cursor=${res.body.next}`;
    }
    expect(seen).to.have.length(3);
    expect(new Set(seen).size).to.equal(3);
    // a cursor belongs to its search
    const first = await call(env, 'GET', '/api/v1/people?skill=SEO&limit=2', { token: admin });
    const wrong = await call(env, 'GET', `/api/v1/people?skill=Other&cursor=${first.body.next}`, { token: admin });
    expect(wrong.status).to.equal(400);
    expect((await call(env, 'GET', '/api/v1/people?limit=5000', { token: admin })).status).to.equal(422);
  });

  it('leaves do-not-contact people out unless asked with dnc=1 (lists and single reads)', async () => {
    const quiet = (await create({ first_name: 'Quiet', last_name: 'Person', do_not_contact: true })).body.id;
    await create({ first_name: 'Loud', last_name: 'Person' });
    const names = async (q: string) => (await call(env, 'GET', `/api/v1/people?q=person${q}`, { token: admin })).body.data.map((p: { first_name: string }) => p.first_name).sort();
    expect(await names('')).to.deep.equal(['Loud']);
    expect(await names('&dnc=1')).to.deep.equal(['Loud', 'Quiet']);
    expect((await call(env, 'GET', `/api/v1/people/${quiet}`, { token: admin })).status).to.equal(404);
    expect((await call(env, 'GET', `/api/v1/people/${quiet}?dnc=1`, { token: admin })).body.do_not_contact).to.equal(true);
  });

  it('updates with If-Match: 428 without it, 412 on a stale ETag, and nothing written then', async () => {
    const made = await create({ first_name: 'Eva', last_name: 'Etag', city: 'Halle' });
    const id = made.body.id;
    const etag = made.headers.etag as string;
    expect((await call(env, 'PATCH', `/api/v1/people/${id}`, { token: admin, body: { city: 'Jena' } })).status).to.equal(428);
    const ok = await call(env, 'PATCH', `/api/v1/people/${id}`, { token: admin, body: { city: 'Jena' }, headers: { 'If-Match': etag } });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ city: 'Jena', first_name: 'Eva' });
    expect(ok.headers.etag).to.not.equal(etag);
    const stale = await call(env, 'PATCH', `/api/v1/people/${id}`, { token: admin, body: { city: 'Gera' }, headers: { 'If-Match': etag } });
    expect(stale.status).to.equal(412);
    expect((await env.db('people').where({ id }).first()).city).to.equal('Jena');
    const audit = await env.db('audit_log').where({ entity_type: 'person', entity_id: id, action: 'update' }).select('source', 'changes');
    expect(audit).to.have.length(1);
    expect(audit[0].source).to.equal('api');
    expect(JSON.parse(audit[0].changes)).to.have.property('city');
  });

  it('deletes, and erases as on the web (a suppression record stays)', async () => {
    const a = (await create({ first_name: 'Del', last_name: 'Ete' })).body.id;
    const b = (await create({ first_name: 'Era', last_name: 'Se', email: 'erase@example.org' })).body.id;
    expect((await call(env, 'DELETE', `/api/v1/people/${a}`, { token: admin })).status).to.equal(204);
    expect((await call(env, 'GET', `/api/v1/people/${a}`, { token: admin })).status).to.equal(404);
    expect((await call(env, 'POST', `/api/v1/people/${b}/erase`, { token: admin })).status).to.equal(204);
    expect(await env.db('people').where({ id: b }).first()).to.equal(undefined);
    expect(await env.db('suppressions').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    // the suppressed address cannot come back through the API either
    const back = await create({ last_name: 'Again', email: 'erase@example.org' });
    expect(back.status).to.equal(422);
    expect(back.body.errors[0]).to.include({ field: 'email', code: 'privacy.suppressedEmail' });
  });

  it('a viewer reads but may not write; staff may not delete; a read token may not write', async () => {
    const viewer = await tokenFor(env, 'viewer@example.org', 'viewer');
    const staff = await tokenFor(env, 'staff@example.org', 'staff');
    const readOnly = await tokenFor(env, 'manager@example.org', 'manager', { scope: 'read' });
    const id = (await create({ first_name: 'Rita', last_name: 'Roles' })).body.id;
    expect((await call(env, 'GET', '/api/v1/people', { token: viewer })).status).to.equal(200);
    expect((await create({ last_name: 'X' }, viewer)).status).to.equal(403);
    expect((await create({ last_name: 'Y' }, staff)).status).to.equal(201);
    expect((await call(env, 'DELETE', `/api/v1/people/${id}`, { token: staff })).status).to.equal(403);
    expect((await call(env, 'GET', '/api/v1/people', { token: readOnly })).status).to.equal(200);
    const refused = await create({ last_name: 'Z' }, readOnly);
    expect(refused.status).to.equal(403);
    expect(refused.body.detail).to.equal('This token may only read.');
    expect(await env.db('people').whereIn('last_name', ['X', 'Z']).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
