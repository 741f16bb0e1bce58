// CSRF: every state-changing route, found in the app's router stack (so a new route is covered without editing
// this file), refuses a multipart body without a token; the one exempt upload route checks the token itself.
import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** "METHOD /path" of every route that is not GET/HEAD/OPTIONS, walking nested routers. */
export function stateChangingRoutes(app: TestEnv['app']): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) {
          if (!['get', 'head', 'options', '_all'].includes(m)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)];
}

const concrete = (path: string) => path.replace(/:id\b/g, '1').replace(/:key\b/g, 'k'.repeat(32)).replace(/:[a-z]+/gi, '1');

describe('CSRF and multipart bodies', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('finds the state-changing routes in the router stack', () => {
    const routes = stateChangingRoutes(env.app);
    expect(routes.length).to.be.greaterThan(30);
    expect(routes).to.include.members(['POST /people/:id/delete', 'POST /people/:id/erase', 'POST /users/:id/reset-password', 'POST /settings/exports', 'POST /imports/new']);
  });

  it('refuses a multipart POST without a token on every state-changing route, logged in as admin', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const [person] = await env.db('people').insert({ first_name: 'Pia', last_name: 'Keep', kind: 'volunteer', availability: 'available', created_at: '2026-01-01', updated_at: '2026-01-01' }).returning('id');
    const outcomes: string[] = [];
    for (const route of stateChangingRoutes(env.app)) {
      const [method, path] = route.split(' ') as [string, string];
      const url = concrete(path).replace('/people/1/', `/people/${typeof person === 'object' ? person.id : person}/`);
      const res = await admin.agent[method.toLowerCase() as 'post'](url).field('confirm', '1').field('role', 'viewer').field('exports_restricted', '0');
      // the JSON API takes no session and no CSRF token: its bearer token is missing, so 401 (test/api/exemptions.test.ts)
      const expected = route === 'POST /imports/new' ? 403 : route.includes(' /api/v1/') ? 401 : 415;
      outcomes.push(`${route} → ${res.status}${res.status === expected ? '' : ` (expected ${expected})`}`);
    }
    expect(outcomes.filter((o) => o.includes('expected'))).to.deep.equal([]);
    // nothing happened: the person is still there, the admin still an admin
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    expect((await env.db('users').where({ email: 'admin@example.org' }).first()).role).to.equal('admin');
  });

  it('answers stray multipart with a readable page, also when logged out', async () => {
    await login(env, 'viewer@example.org', 'viewer');
    const res = await request(env.app).post('/login').field('email', 'viewer@example.org').field('password', 'x');
    expect(res.status).to.equal(415);
    expect(res.text).to.contain('does not take file uploads');
  });

  it('the upload route takes multipart only with the right token', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const csv = Buffer.from('email,first name\nx@example.org,X\n');
    const forged = await admin.agent.post('/imports/new').field('_csrf', 'forged').attach('file', csv, 'a.csv');
    expect(forged.status).to.equal(403);
    const token = csrfFrom((await admin.agent.get('/imports/new')).text);
    const ok = await admin.agent.post('/imports/new').field('_csrf', token).attach('file', csv, 'a.csv');
    expect(ok.status).to.equal(303);
  });

  it('an anonymous form token is kept in a cookie and still checked', async () => {
    await login(env, 'viewer@example.org', 'viewer');
    const agent = request.agent(env.app);
    const page = await agent.get('/login');
    expect(String(page.headers['set-cookie'])).to.contain('skillnet.csrf=');
    const token = csrfFrom(page.text);
    const wrong = await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: 'correct horse battery', _csrf: token + 'x' });
    expect(wrong.status).to.equal(403);
    // another browser's token (its cookie is not sent here) is refused too
    const other = csrfFrom((await request(env.app).get('/login')).text);
    expect((await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: 'correct horse battery', _csrf: other })).status).to.equal(403);
    // a mangled cookie is a refused token, not a server error
    expect((await request(env.app).post('/login').set('Cookie', 'skillnet.csrf=%E0%A4%A').type('form').send({ email: 'x@example.org', password: 'y', _csrf: token })).status).to.equal(403);
    const ok = await agent.post('/login').type('form').send({ email: 'viewer@example.org', password: 'correct horse battery', _csrf: token });
    expect(ok.status).to.equal(302);
    expect(ok.headers.location).to.equal('/');
  });
});
