// The OpenAPI document is valid OpenAPI 3.1 (checked by swagger-parser, a real validator), describes exactly the
// routes the API has, and the reference page renders it.
import { expect } from 'chai';
import SwaggerParser from '@apidevtools/swagger-parser';
import { login, type TestEnv } from '../support/app.js';
import { apiEnv } from './support.js';
import { stateChangingRoutes } from '../http/csrf.test.js';
import { openApiDocument } from '../../src/api/openapi.domain.js';
import { API_BASE } from '../../src/api/api.domain.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** "METHOD /path" of every route under /api/v1 in the app's router stack. */
function apiRoutesOf(app: TestEnv['app']): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && layer.route.path.startsWith(`${API_BASE}/`)) {
        for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)].sort();
}

describe('API: the OpenAPI document', function () {
  this.timeout(30000);
  let env: TestEnv;
  before(async () => { env = await apiEnv(); });
  after(() => env.close());

  it('is valid OpenAPI 3.1', async () => {
    const doc = structuredClone(openApiDocument());
    const api = await SwaggerParser.validate(doc as never);
    expect((api as { openapi: string }).openapi).to.equal('3.1.0');
  });

  it('describes exactly the routes of the API', () => {
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((m) => `${m.toUpperCase()} ${API_BASE}${path.replace(/\{([^}]+)\}/g, ':$1')}`));
    const routes = apiRoutesOf(env.app).filter((r) => r !== `GET ${API_BASE}/openapi.json`);
    expect(routes.length).to.be.greaterThan(10);
    expect(routes).to.deep.equal(documented.sort());
    expect(stateChangingRoutes(env.app).filter((r) => r.includes(API_BASE))).to.have.length.greaterThan(3);
  });

  it('is rendered at /api/docs with the site’s own layout, English and German', async () => {
    const viewer = await login(env, 'viewer@example.org', 'viewer');
    const page = await viewer.agent.get('/api/docs');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('PATCH /api/v1/people/{id}');
    expect(page.text).to.contain('id="schema-Person"');
    expect(page.text).to.contain('id="problem-precondition-failed"');
    expect(page.text).to.not.match(/<script[^>]+src="https?:/);
    const de = await viewer.agent.get('/api/docs').set('Accept-Language', 'de');
    expect(de.text).to.satisfy((t: string) => t.includes('API-Referenz') || t.includes('API reference'));
  });
});
