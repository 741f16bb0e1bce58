import { expect } from 'chai';
import ejs from 'ejs';
import path from 'node:path';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { listSavedSearches } from '../../src/saved-searches/saved-searches.queries.js';
import { VIEWS_DIR } from '../../src/app.js';
import { makeFormatters, makeTranslator } from '../../src/i18n/i18n.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages

describe('saved searches', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a user names the current search, finds it in their list and opens it', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const page = await v.agent.get('/people?skill=SEO&city=Berlin');
    expect(page.text).to.contain('action="/searches"');
    expect(page.text).to.contain('name="query" value="skill=SEO&amp;city=Berlin"');
    const res = await v.post('/searches', { name: 'SEO in Berlin', query: 'skill=SEO&city=Berlin&page=4&evil=1' });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/people?skill=SEO&city=Berlin');
    const userId = (await env.db('users').where({ email: 'v@example.org' }).first()).id;
    const saved = await listSavedSearches(env.db, userId);
    expect(saved.map((s) => [s.name, s.query])).to.deep.equal([['SEO in Berlin', 'skill=SEO&city=Berlin']]);
    const list = await v.agent.get('/searches');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('href="/people?skill=SEO&amp;city=Berlin">SEO in Berlin</a>');
    const home = await v.agent.get('/');
    expect(home.text).to.contain('href="/people?skill=SEO&amp;city=Berlin">SEO in Berlin</a>');
    const audit = await env.db('audit_log').where({ entity_type: 'saved_search', action: 'create' }).first();
    expect(JSON.parse(audit.changes)).to.deep.equal({ name: 'SEO in Berlin', query: 'skill=SEO&city=Berlin' });
  });

  it('a search without a name is a 422 with a message', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.post('/searches', { name: '  ', query: 'q=x' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Please give the search a name');
    expect(res.text).to.contain('name="query" value="q=x"');
    expect(await env.db('saved_searches').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('without the CSRF token nothing is saved', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    const res = await v.agent.post('/searches').type('form').send({ name: 'x', query: 'q=x' });
    expect(res.status).to.equal(403);
    expect(await env.db('saved_searches').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('delete asks first; only the owner sees or deletes a search (others get 404)', async () => {
    const a = await login(env, 'a@example.org', 'staff');
    await a.post('/searches', { name: 'Mine', query: 'q=wordpress' });
    const id = (await env.db('saved_searches').first()).id;
    const b = await login(env, 'b@example.org', 'admin');
    expect((await b.agent.get(`/searches/${id}/delete`)).status).to.equal(404);
    expect((await b.post(`/searches/${id}/delete`, {})).status).to.equal(404);
    expect((await b.agent.get('/searches')).text).to.not.contain('Mine');
    const confirm = await a.agent.get(`/searches/${id}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Yes, delete');
    const res = await a.post(`/searches/${id}/delete`, {});
    expect(res.status).to.equal(302);
    expect(await env.db('saved_searches').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await env.db('audit_log').where({ entity_type: 'saved_search', action: 'delete', entity_id: id }).first()).to.not.equal(undefined);
    expect((await a.agent.get('/searches/abc/delete')).status).to.equal(404);
  });

  it('the list partial renders for the home page, escaped, with an empty state', async () => {
    const t = makeTranslator(catalog, 'de');
    const render = (savedSearches: unknown[]) => ejs.renderFile(path.join(VIEWS_DIR, 'saved-searches/list.ejs'), { savedSearches, t, fmt: makeFormatters('de') });
    expect(await render([])).to.contain('Noch keine gespeicherten Suchen');
    const html = await render([{ id: 1, name: '<b>SEO</b>', query: 'skill=SEO', created_at: '2026-11-27T10:00:00Z' }]);
    expect(html).to.contain('href="/people?skill=SEO"');
    expect(html).to.contain('&lt;b&gt;SEO&lt;/b&gt;');
    expect(html).to.contain('href="/searches"');
  });
});
