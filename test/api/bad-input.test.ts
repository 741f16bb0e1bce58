// The list of bad input: each gets a problem-details answer with the right status, never a 500, and nothing
// is written. Every answer is also checked against the OpenAPI document (call()).
import { expect } from 'chai';
import type { TestEnv } from '../support/app.js';
import { addOrganisation, addPerson, addProject } from '../support/network.js';
import { apiEnv, call, tokenFor } from './support.js';

describe('API: bad input', function () {
  this.timeout(30000);
  let env: TestEnv;
  let admin: string;
  const people = async () => Number((await env.db('people').count({ n: '*' }).first())?.n);
  beforeEach(async () => {
    env = await apiEnv();
    admin = await tokenFor(env, 'admin@example.org', 'admin');
  });
  afterEach(() => env.close());

  it('malformed JSON → 400, wrong content type → 415, a 10 MB body → 413', async () => {
    const bad = await call(env, 'POST', '/api/v1/people', { token: admin, raw: { type: 'application/json', data: '{"last_name": "Broken",' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.type).to.equal('/api/docs#problem-malformed-json');
    const form = await call(env, 'POST', '/api/v1/people', { token: admin, raw: { type: 'application/x-www-form-urlencoded', data: 'last_name=Form' } });
    expect(form.status).to.equal(415);
    const text = await call(env, 'POST', '/api/v1/people', { token: admin, raw: { type: 'text/plain', data: '{"last_name":"Text"}' } });
    expect(text.status).to.equal(415);
    const huge = await call(env, 'POST', '/api/v1/people', { token: admin, raw: { type: 'application/json', data: JSON.stringify({ last_name: 'Huge', notes: 'x'.repeat(10 * 1024 * 1024) }) } });
    expect(huge.status).to.equal(413);
    expect(await people()).to.equal(0);
  });

  it('unknown fields are refused and named; wrong types and values each get field and reason; nothing is written', async () => {
    const res = await call(env, 'POST', '/api/v1/people', {
      token: admin, body: { last_name: 'Typo', frist_name: 'Ada', skills: [{ id: 'one', levle: 2 }], kind: 'robot', email: 42, tags: 'a,b', last_confirmed_at: '2024-02-30' },
    });
    expect(res.status).to.equal(422);
    const fields = Object.fromEntries((res.body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code]));
    expect(fields).to.deep.include({ frist_name: 'api.field.unknown', 'skills[0].levle': 'api.field.unknown', 'skills[0].id': 'api.field.type', kind: 'validation.choice', email: 'api.field.type', tags: 'api.field.type', last_confirmed_at: 'validation.date' });
    // values the form refuses: the form's own reasons
    const values = await call(env, 'POST', '/api/v1/people', { token: admin, body: { first_name: '', email: 'not-an-address', portfolio_url: 'javascript:alert(1)' } });
    expect(values.status).to.equal(422);
    expect(values.body.errors.map((e: { field: string }) => e.field).sort()).to.deep.equal(['email', 'last_name', 'portfolio_url']);
    expect(await people()).to.equal(0);
  });

  it('reasons are in the token user’s language', async () => {
    await env.db('users').insert({ email: 'de@example.org', name: 'De', password_hash: 'x', role: 'manager', locale: 'de', created_at: '2026-01-01', updated_at: '2026-01-01' });
    const de = await tokenFor(env, 'de@example.org', 'manager');
    const res = await call(env, 'POST', '/api/v1/people', { token: de, body: { last_name: 'X', email: 'kaputt', extra: 1 } });
    expect(res.status).to.equal(422);
    expect(res.body.title).to.equal('Ungültige Felder');
    expect(res.body.errors.find((e: { field: string }) => e.field === 'extra').reason).to.equal('Dieses Feld gibt es nicht.');
  });

  it('staff tokens cannot record engagements on other organisations’ projects', async () => {
    const own = await addOrganisation(env.db, 'Own');
    const other = await addOrganisation(env.db, 'Other');
    const ownProject = await addProject(env.db, own, 'Own project');
    const otherProject = await addProject(env.db, other, 'Other project');
    const person = await addPerson(env.db, 'Hel', 'Per');
    const staff = await tokenFor(env, 'staff@example.org', 'staff', { org: own });
    const refused = await call(env, 'POST', `/api/v1/projects/${otherProject}/engagements`, { token: staff, body: { person_id: person, role: 'Web' } });
    expect(refused.status).to.equal(403);
    const ok = await call(env, 'POST', `/api/v1/projects/${ownProject}/engagements`, { token: staff, body: { person_id: person, role: 'Web', hours: 12.5, paid: true, rate: 40 } });
    expect(ok.status).to.equal(201);
    expect(ok.body).to.include({ project_id: ownProject, person_id: person, hours: 12.5, paid: true, rate: 40 });
    const shape = await call(env, 'POST', `/api/v1/projects/${ownProject}/engagements`, { token: staff, body: { person_id: person, rating: 7, handover: 'maybe' } });
    expect(shape.status).to.equal(422);
    expect(shape.body.errors.map((e: { field: string }) => e.field).sort()).to.deep.equal(['handover', 'rating']);
    const wrong = await call(env, 'POST', `/api/v1/projects/${ownProject}/engagements`, { token: staff, body: { person_id: 999999, rate: 20, end_date: '2020-01-01', start_date: '2021-01-01' } });
    expect(wrong.status).to.equal(422);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).to.deep.equal(['end_date', 'person_id', 'rate']);
    expect(await env.db('engagements').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });

  it('expired, revoked, unknown and deactivated users’ tokens get 401; a token in the URL too, even a valid one', async () => {
    const expired = await tokenFor(env, 'exp@example.org', 'manager', { expiresDays: 1 });
    await env.db('api_tokens').where({ user_id: (await env.db('users').where({ email: 'exp@example.org' }).first()).id }).update({ expires_at: '2020-01-01T00:00:00.000Z' });
    const revoked = await tokenFor(env, 'rev@example.org', 'manager');
    await env.db('api_tokens').whereIn('user_id', env.db('users').where({ email: 'rev@example.org' }).select('id')).update({ revoked_at: '2026-01-01T00:00:00.000Z' });
    const gone = await tokenFor(env, 'gone@example.org', 'manager');
    await env.db('users').where({ email: 'gone@example.org' }).update({ active: false });
    const cases: [string | null, string, string][] = [
      [expired, '/api/v1/people', 'This API token has expired.'],
      [revoked, '/api/v1/people', 'This API token was revoked.'],
      [gone, '/api/v1/people', "This API token's user account is deactivated."],
      ['skn_' + 'A'.repeat(43), '/api/v1/people', 'This API token is not valid.'],
      ['something-else', '/api/v1/people', 'This API token is not valid.'],
      [null, '/api/v1/people', 'Send an API token as "Authorization: Bearer …".'],
      [null, `/api/v1/people?access_token=${admin}`, 'API tokens are not accepted in the address (they end up in logs): send them as "Authorization: Bearer …".'],
      [admin, `/api/v1/people?q=${admin}`, 'API tokens are not accepted in the address (they end up in logs): send them as "Authorization: Bearer …".'],
    ];
    for (const [token, url, detail] of cases) {
      const res = await call(env, 'GET', url, { token });
      expect(res.status, url).to.equal(401);
      expect(res.body.detail).to.equal(detail);
      expect(res.headers['www-authenticate']).to.match(/^Bearer realm="skillnet"/);
    }
    const basic = await call(env, 'GET', '/api/v1/people', { headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    expect(basic.status).to.equal(401);
  });

  it('unknown addresses are 404 and unsupported methods 405 with Allow, as problems', async () => {
    const missing = await call(env, 'GET', '/api/v1/nothing-here', { token: admin });
    expect(missing.status).to.equal(404);
    expect((await call(env, 'GET', '/api/v1/people/999999', { token: admin })).status).to.equal(404);
    expect((await call(env, 'GET', '/api/v1/people/abc', { token: admin })).status).to.equal(404);
    const put = await call(env, 'PUT', '/api/v1/people/1', { token: admin, body: {} });
    expect(put.status).to.equal(405);
    expect(put.headers.allow).to.equal('GET, PATCH, DELETE');
  });

  it('limits requests per token with RateLimit headers and a 429 problem', async () => {
    const limited = await apiEnv({ apiRatePerMinute: 3 });
    try {
      const token = await tokenFor(limited, 'admin@example.org', 'admin');
      const other = await tokenFor(limited, 'other@example.org', 'viewer');
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await call(limited, 'GET', '/api/v1/skills', { token });
        statuses.push(last.status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      expect(last!.headers['ratelimit-limit']).to.equal('3');
      expect(last!.headers['ratelimit-remaining']).to.equal('0');
      expect(Number(last!.headers['retry-after'])).to.be.within(0, 60);
      // another token has its own budget
      const fresh = await call(limited, 'GET', '/api/v1/skills', { token: other });
      expect(fresh.status).to.equal(200);
      expect(fresh.headers['ratelimit-remaining']).to.equal('2');
    } finally {
      await limited.close();
    }
  });
});
