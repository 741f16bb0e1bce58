// A real client generated from the OpenAPI document (openapi-typescript types + openapi-fetch), compiled by `tsc`
// with the rest of the tests, runs a short journey against the server over HTTP: create a person, find them by
// skill, update with the ETag, and see a 412 on the stale one.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import createClient from 'openapi-fetch';
import type { paths } from './client/openapi.gen.js';
import { GENERATED, generateTypes } from './client/generate.js';
import type { TestEnv } from '../support/app.js';
import { addSkill } from '../support/network.js';
import { apiEnv, tokenFor } from './support.js';

describe('API: a generated client', function () {
  this.timeout(60000);
  let env: TestEnv;
  let server: Server;
  let baseUrl: string;
  before(async () => {
    env = await apiEnv();
    server = env.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await env.close();
  });

  it('its committed types are what openapi-typescript makes of the document now (npm run api:types)', () => {
    expect(readFileSync(GENERATED, 'utf8') === generateTypes(), 'regenerate with: npm run api:types').to.equal(true);
  });

  it('creates a person, finds them by skill, updates with the ETag and gets 412 on a stale one', async () => {
    await addSkill(env.db, 'WordPress');
    const token = await tokenFor(env, 'manager@example.org', 'manager');
    const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

    const created = await client.POST('/people', { body: { first_name: 'Grace', last_name: 'Hopper', city: 'Leipzig', skills: [{ name: 'WordPress', level: 3 }] } });
    expect(created.response.status).to.equal(201);
    const person = created.data!;
    expect(person.skills.map((s) => s.name)).to.deep.equal(['WordPress']);

    const found = await client.GET('/people', { params: { query: { skill: ['wordpress'], city: 'Leipzig' } } });
    expect(found.data!.data.map((p) => p.id)).to.deep.equal([person.id]);
    expect(found.data!.next).to.equal(null);

    const read = await client.GET('/people/{id}', { params: { path: { id: String(person.id) } } });
    const etag = read.response.headers.get('etag')!;
    const updated = await client.PATCH('/people/{id}', {
      params: { path: { id: String(person.id) }, header: { 'If-Match': etag } }, body: { availability: 'limited', tags: ['speaker'] },
    });
    expect(updated.response.status).to.equal(200);
    expect(updated.data!).to.include({ availability: 'limited', first_name: 'Grace' });
    expect(updated.data!.tags).to.deep.equal(['speaker']);

    const stale = await client.PATCH('/people/{id}', {
      params: { path: { id: String(person.id) }, header: { 'If-Match': etag } }, body: { availability: 'unavailable' },
    });
    expect(stale.response.status).to.equal(412);
    expect(stale.error!.type).to.equal('/api/docs#problem-precondition-failed');
    expect((await client.GET('/people/{id}', { params: { path: { id: String(person.id) } } })).data!.availability).to.equal('limited');
  });
});
