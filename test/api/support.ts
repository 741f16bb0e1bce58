// API test harness: a real app (SQLite in memory, or PostgreSQL under test:pg), real tokens, and a client that checks
// every response against the OpenAPI document (status documented for the operation, content type, body schema).
import request from 'supertest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { createApp } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config.js';
import { addUser, testDb, type TestEnv } from '../support/app.js';
import { createApiToken } from '../../src/api/tokens.queries.js';
import { openApiDocument } from '../../src/api/openapi.domain.js';
import { API_BASE, type TokenScope } from '../../src/api/api.domain.js';
import type { Role } from '../../src/users/roles.domain.js';

export async function apiEnv(overrides: Partial<Config> = {}): Promise<TestEnv> {
  const db = await testDb();
  const app = createApp({ db, config: testConfig(overrides), loginAttempts: 1000 });
  return { db, app, async close() { await app.shutdown(); await db.destroy(); } };
}

/** A user with this role (created if new) and a personal token of theirs. */
export async function tokenFor(env: TestEnv, email: string, role: Role, opts: { scope?: TokenScope; org?: number | null; expiresDays?: number } = {}): Promise<string> {
  const existing = await env.db('users').where({ email }).first('id');
  const userId = existing?.id ?? (await addUser(env.db, email, role, opts.org ?? null));
  const { token } = await createApiToken(env.db, { userId, label: email, source: 'web' }, {
    userId, name: `test ${Math.random().toString(36).slice(2, 8)}`, scope: opts.scope ?? 'write', expiresDays: opts.expiresDays ?? null,
  });
  return token;
}

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: unknown };

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const doc = openApiDocument() as unknown as Doc;
ajv.addSchema({ $id: 'doc', components: doc.components });
const compiled = new Map<string, ValidateFunction>();
const problemSchema = () => schemaCheck({ $ref: '#/components/schemas/Problem' });

function schemaCheck(schema: unknown): ValidateFunction {
  const text = JSON.stringify(schema).replaceAll('"#/components', '"doc#/components');
  let v = compiled.get(text);
  if (!v) compiled.set(text, (v = ajv.compile(JSON.parse(text) as object)));
  return v;
}

/** The documented operation for a method and a concrete path (`/api/v1/people/12`). */
function operationFor(method: string, path: string) {
  for (const [template, item] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${API_BASE}${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(path) && item[method.toLowerCase()]) return { template, op: item[method.toLowerCase()]! };
  }
  return null;
}

/** Fails unless the response is what the OpenAPI document says this operation answers. */
export function checkAgainstDocument(method: string, url: string, res: request.Response): void {
  const path = url.split('?')[0]!;
  const where = `${method} ${path} → ${res.status}`;
  expect(res.status, `${where}: never a 500`).to.be.below(500);
  const type = String(res.headers['content-type'] ?? '');
  const found = operationFor(method, path);
  if (res.status >= 400) {
    expect(type, `${where}: a problem`).to.match(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as unknown;
    const v = problemSchema();
    expect(v(body), `${where}: ${JSON.stringify(v.errors)}`).to.equal(true);
    if (found && ![404, 405, 401, 429, 413, 415, 400].includes(res.status)) {
      expect(Object.keys(found.op.responses), `${where}: status documented`).to.include(String(res.status));
    }
    return;
  }
  expect(found, `${where}: operation documented`).to.not.equal(null);
  const response = found!.op.responses[String(res.status)];
  expect(response, `${where}: status documented`).to.not.equal(undefined);
  const content = response!.content;
  if (!content) return;
  if (content['application/json']) {
    expect(type, where).to.match(/^application\/json/);
    const v = schemaCheck(content['application/json'].schema);
    expect(v(res.body), `${where}: ${JSON.stringify(v.errors)}`).to.equal(true);
  } else {
    expect(Object.keys(content).some((c) => type.startsWith(c)), `${where}: content type ${type}`).to.equal(true);
  }
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** a raw body (sent as is, with this content type) */
  raw?: { type: string; data: string | Buffer };
  headers?: Record<string, string>;
}

/** One API request with a bearer token, checked against the document. */
export async function call(env: TestEnv, method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, o: CallOptions = {}): Promise<request.Response> {
  let req = request(env.app)[method.toLowerCase() as 'get'](url);
  if (o.token) req = req.set('Authorization', `Bearer ${o.token}`);
  for (const [k, v] of Object.entries(o.headers ?? {})) req = req.set(k, v);
  const res = o.raw ? await req.set('Content-Type', o.raw.type).send(o.raw.data) : o.body !== undefined ? await req.send(o.body as object) : await req;
  checkAgainstDocument(method, url, res);
  return res;
}
