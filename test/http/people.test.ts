import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';

describe('people screens over HTTP', () => {
  let env: TestEnv;
  let seo: number;
  let wp: number;
  beforeEach(async () => {
    env = await testEnv();
    seo = await createSkill(env.db, SYSTEM_ACTOR, { name: 'SEO', name_de: 'Suchmaschinenoptimierung', category_id: null, description: null, aliases: [] });
    wp = await createSkill(env.db, SYSTEM_ACTOR, { name: 'WordPress', name_de: null, category_id: null, description: null, aliases: ['WP'] });
  });
  afterEach(async () => { await env.close(); });

  const jurgen = () => ({
    first_name: 'Jürgen', last_name: 'Schäfer', email: 'Juergen@Example.org', city: 'Berlin', kind: 'freelancer',
    availability: 'available', skill_id: [String(seo), String(wp), ''], skill_level: ['3', '2', '1'], tags: 'web, Berlin',
  });

  it('a manager creates a person with skills and tags; the page shows them and the history', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', jurgen());
    expect(res.status).to.equal(302);
    const id = Number(res.headers.location!.split('/').pop());
    const person = await env.db('people').where({ id }).first();
    expect(person.email_norm).to.equal('juergen@example.org');
    expect(person.name_norm).to.equal('jurgen schafer');
    const page = await m.agent.get(`/people/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Jürgen Schäfer');
    expect(page.text).to.contain('SEO');
    expect(page.text).to.contain('Advanced'); // level 3 of 4
    expect(page.text).to.contain('History');
    expect(page.text).to.contain('m@example.org');
    const audit = await env.db('audit_log').where({ entity_type: 'person', entity_id: id }).first();
    expect(audit.action).to.equal('create');
    expect(JSON.parse(audit.changes).skills).to.equal('SEO (3), WordPress (2)');
  });

  it('the new person is found by the search, diacritics-insensitive and by skill alias', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/people', jurgen());
    for (const q of ['schafer', 'jurg', 'suchmaschinen', 'wp']) {
      const res = await m.agent.get(`/people?q=${encodeURIComponent(q)}`);
      expect(res.text, q).to.contain('Jürgen Schäfer');
    }
    const none = await m.agent.get('/people?q=nobody');
    expect(none.text).to.not.contain('Jürgen Schäfer');
  });

  it('re-renders with 422, the typed values and a message at the field', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', { ...jurgen(), email: 'not an email', portfolio_url: 'javascript:alert(1)' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('value="Jürgen"');
    expect(res.text).to.contain('id="email-error"');
    expect(res.text).to.contain('id="portfolio_url-error"');
    expect(res.text).to.contain(`<input type="hidden" name="skill_id" value="${seo}">`); // the chosen skill is kept
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('a duplicate e-mail (any case) is a form error, not a 500', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/people', jurgen());
    const res = await m.post('/people', { ...jurgen(), email: ' JUERGEN@example.org ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('already has this e-mail');
  });

  it('refuses the e-mail of a person erased on request', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const { addSuppression } = await import('../../src/privacy/privacy.queries.js');
    await addSuppression(env.db, 'juergen@example.org', '2026-01-02T10:00:00.000Z');
    const res = await m.post('/people', jurgen());
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('erased on 2026-01-02');
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('a person page shows the consent panel', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const id = Number((await m.post('/people', jurgen())).headers.location!.split('/').pop());
    const page = await m.agent.get(`/people/${id}`);
    expect(page.text).to.contain(`/people/${id}/data-export`);
    expect(page.text).to.contain(`/people/${id}/consents`);
  });

  it('a name is required', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', { email: 'a@b.de' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('first or last name');
  });

  it('edits record old and new values in the audit log', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const id = Number((await m.post('/people', jurgen())).headers.location!.split('/').pop());
    const res = await m.post(`/people/${id}`, { ...jurgen(), city: 'Leipzig', skill_id: [String(seo)], skill_level: ['1'] });
    expect(res.status).to.equal(302);
    const upd = await env.db('audit_log').where({ entity_id: id, action: 'update' }).first();
    const changes = JSON.parse(upd.changes);
    expect(changes.city).to.deep.equal({ from: 'Berlin', to: 'Leipzig' });
    expect(changes.skills).to.deep.equal({ from: 'SEO (3), WordPress (2)', to: 'SEO (1)' });
    const page = await m.agent.get(`/people/${id}`);
    expect(page.text).to.contain('Leipzig');
    expect(page.text).to.contain('<del>Berlin</del>');
  });

  it('delete asks first, then deletes and removes the person from the search index', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const id = Number((await m.post('/people', jurgen())).headers.location!.split('/').pop());
    const confirm = await m.agent.get(`/people/${id}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('Yes, delete');
    expect(await env.db('people').where({ id }).first()).to.not.equal(undefined);
    const res = await m.post(`/people/${id}/delete`, {});
    expect(res.status).to.equal(302);
    expect(await env.db('people').where({ id }).first()).to.equal(undefined);
    expect(await env.db('people_fts').where({ rowid: id }).first()).to.equal(undefined);
    expect(await env.db('audit_log').where({ entity_id: id, action: 'delete' }).first()).to.not.equal(undefined);
  });

  it('escapes what people typed', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const id = Number((await m.post('/people', { ...jurgen(), notes: '<script>alert(1)</script>', email: '' })).headers.location!.split('/').pop());
    const page = await m.agent.get(`/people/${id}`);
    expect(page.text).to.not.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;script&gt;');
  });

  describe('roles', () => {
    it('a viewer reads but gets 403 on every write form and POST', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const id = Number((await m.post('/people', jurgen())).headers.location!.split('/').pop());
      const v = await login(env, 'v@example.org', 'viewer');
      expect((await v.agent.get('/people')).status).to.equal(200);
      expect((await v.agent.get(`/people/${id}`)).status).to.equal(200);
      expect((await v.agent.get('/people/new')).status).to.equal(403);
      expect((await v.agent.get(`/people/${id}/edit`)).status).to.equal(403);
      expect((await v.post('/people', { ...jurgen(), email: 'other@example.org' })).status).to.equal(403);
      expect((await v.post(`/people/${id}`, { ...jurgen(), city: 'X' })).status).to.equal(403);
      expect((await v.post(`/people/${id}/delete`, {})).status).to.equal(403);
      expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    });

    it('staff may add people but not delete them', async () => {
      const org = (await env.db('organisations').insert({ name: 'Tafel', name_norm: 'tafel', created_at: 'x', updated_at: 'x' }).returning('id'))[0].id;
      const s = await login(env, 's@example.org', 'staff', org);
      const res = await s.post('/people', jurgen());
      expect(res.status).to.equal(302);
      const id = Number(res.headers.location!.split('/').pop());
      expect((await s.agent.get(`/people/${id}/delete`)).status).to.equal(403);
      expect((await s.post(`/people/${id}/delete`, {})).status).to.equal(403);
    });
  });
});
