import { expect } from 'chai';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { buildNetwork, type Network } from '../search/network.js';

describe('bulk actions on a people search', () => {
  let env: TestEnv;
  let net: Network;
  let manager: LoggedIn;
  let admin: LoggedIn;
  let viewer: LoggedIn;
  before(async () => {
    env = await testEnv();
    net = await buildNetwork(env.db);
    manager = await login(env, 'manager@example.org', 'manager');
    admin = await login(env, 'admin@example.org', 'admin');
    viewer = await login(env, 'viewer@example.org', 'viewer');
  });
  after(async () => { await env.close(); });

  const tagged = async (name: string) => (await env.db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('t.name', name).pluck('pt.person_id')).sort();
  const sorted = (...ids: number[]) => ids.sort((a, b) => a - b);

  it('the list offers a checkbox per person and the actions the role may use', async () => {
    const page = await manager.agent.get('/people?q=WordPress');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('action="/people/bulk"').and.contain(`name="id" value="${net.people.jurgen}"`);
    expect(page.text).to.contain('value="tag_add"').and.not.contain('value="delete"');
    expect((await admin.agent.get('/people?q=WordPress')).text).to.contain('value="delete"');
    const forViewer = (await viewer.agent.get('/people?q=WordPress')).text;
    expect(forViewer).to.contain('value="export"').and.not.contain('value="tag_add"'); // viewers may export what they see
  });

  it('all matching: shows the count first, adds the tag in one audited change, and undoes it', async () => {
    const confirm = await manager.agent.get('/people/bulk').query({ q: 'WordPress Berlin', action: 'tag_add', scope: 'all' });
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('data-bulk-count="2"'); // Jürgen and Anna; Emil is do-not-contact, left out as on the list
    expect(await tagged('Website 2027')).to.deep.equal([]);
    const audits = Number((await env.db('audit_log').count({ n: '*' }).first())!.n);
    const run = await manager.post('/people/bulk', { action: 'tag_add', scope: 'all', query: 'q=WordPress+Berlin', tag: 'Website 2027' });
    expect(run.status).to.equal(303);
    expect(await tagged('Website 2027')).to.deep.equal(sorted(net.people.jurgen, net.people.anna));
    const entries = await env.db('audit_log').where('id', '>', 0).orderBy('id', 'desc').limit(Number((await env.db('audit_log').count({ n: '*' }).first())!.n) - audits);
    expect(entries.map((e) => e.action)).to.deep.equal(['bulk_tag_add']);
    // the search finds them by the new tag at once (typed in the box: read as the tag)
    const found = await manager.agent.get('/people').query({ q: 'website 2027' });
    expect(found.text).to.contain('data-total="2"');
    const result = await manager.agent.get(run.headers.location!);
    expect(result.text).to.contain('Website 2027').and.contain('/undo"');
    const undo = await manager.post(`${run.headers.location}/undo`, {});
    expect(undo.status).to.equal(303);
    expect(await tagged('Website 2027')).to.deep.equal([]);
    const again = await manager.post(`${run.headers.location}/undo`, {});
    expect(again.status).to.equal(303);
    expect((await manager.agent.get(again.headers.location!)).text).to.contain('undone already');
  });

  it('ticked people: do-not-contact for exactly them, and back', async () => {
    const ids = [String(net.people.ben), String(net.people.clara)];
    const confirm = await manager.agent.get('/people/bulk').query({ action: 'dnc', scope: 'selected', id: ids });
    expect(confirm.text).to.contain('data-bulk-count="2"');
    const run = await manager.post('/people/bulk', { action: 'dnc', scope: 'selected', query: `id=${ids[0]}&id=${ids[1]}` });
    const dnc = async () => (await env.db('people').whereIn('id', ids.map(Number)).select('do_not_contact')).map((r) => Boolean(r.do_not_contact));
    expect(await dnc()).to.deep.equal([true, true]);
    expect(await env.db('people').where({ id: net.people.anna }).first('do_not_contact')).to.satisfy((r: { do_not_contact: unknown }) => !r.do_not_contact);
    await manager.post(`${run.headers.location}/undo`, {});
    expect(await dnc()).to.deep.equal([false, false]);
  });

  it('shortlist: find the project by title, put the chosen on it, undo takes them off again', async () => {
    const project = await env.db('projects').where({ title: 'Website' }).first('id');
    const step = await manager.agent.get('/people/bulk').query({ q: 'SEO', action: 'shortlist', scope: 'all', project_q: 'webs' });
    expect(step.status).to.equal(200);
    expect(step.text).to.contain(`name="project" value="${project.id}"`).and.contain('value="webs"');
    const run = await manager.post('/people/bulk', { action: 'shortlist', scope: 'all', query: 'q=SEO', project: String(project.id) });
    expect(run.status).to.equal(303);
    const listed = async () => (await env.db('shortlist_entries').where({ project_id: project.id }).pluck('person_id')).map(Number).sort((a, b) => a - b);
    // SEO: Jürgen, Ben and Fatma; Emil (do-not-contact) is hidden from the search
    expect(await listed()).to.deep.equal(sorted(net.people.jurgen, net.people.ben, net.people.fatma));
    const missing = await manager.post('/people/bulk', { action: 'shortlist', scope: 'all', query: 'q=SEO' });
    expect(missing.status).to.equal(422);
    await manager.post(`${run.headers.location}/undo`, {});
    expect(await listed()).to.deep.equal([]);
  });

  it('nothing ticked: back to the list with a message; no tag name: the form again (422)', async () => {
    const none = await manager.agent.get('/people/bulk').query({ q: 'x', action: 'tag_add', scope: 'selected' });
    expect(none.status).to.equal(303);
    expect(none.headers.location).to.equal('/people?q=x');
    const noTag = await manager.post('/people/bulk', { action: 'tag_add', scope: 'all', query: 'q=WordPress', tag: ' ' });
    expect(noTag.status).to.equal(422);
    expect(noTag.text).to.contain('name the tag');
  });

  it('export and mail hand the chosen people on; the export holds only them', async () => {
    const exp = await manager.agent.get('/people/bulk').query({ action: 'export', scope: 'selected', id: String(net.people.fatma) });
    expect(exp.status).to.equal(303);
    expect(exp.headers.location).to.equal(`/exports/people?id=${net.people.fatma}`);
    const csv = await manager.agent.get(`/people.csv?id=${net.people.fatma}`);
    expect(csv.text).to.contain('Yılmaz').and.not.contain('Schmidt');
    const mail = await manager.agent.get('/people/bulk').query({ q: 'SEO', action: 'mail', scope: 'all' });
    expect(mail.headers.location).to.equal('/campaigns/new?q=SEO');
  });

  it('permissions per action: viewers change nothing; only admins delete, after confirming the history', async () => {
    expect((await viewer.agent.get('/people/bulk').query({ action: 'tag_add', scope: 'all' })).status).to.equal(403);
    expect((await manager.agent.get('/people/bulk').query({ action: 'delete', scope: 'all' })).status).to.equal(403);
    expect((await manager.agent.get('/people/bulk').query({ action: 'nonsense', scope: 'all' })).status).to.equal(400);
    const query = `id=${net.people.ben}&id=${net.people.greta}`;
    const confirm = await admin.agent.get(`/people/bulk?action=delete&scope=selected&${query}`);
    expect(confirm.text).to.contain('data-bulk-count="2"').and.contain('confirm_history');
    const refused = await admin.post('/people/bulk', { action: 'delete', scope: 'selected', query });
    expect(refused.status).to.equal(422);
    expect(await env.db('people').whereIn('id', [net.people.ben, net.people.greta]).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    const run = await admin.post('/people/bulk', { action: 'delete', scope: 'selected', query, confirm_history: '1' });
    expect(run.status).to.equal(303);
    expect(Number((await env.db('people').whereIn('id', [net.people.ben, net.people.greta]).count({ n: '*' }).first())!.n)).to.equal(0);
    expect(await env.db('audit_log').where({ action: 'bulk_delete' }).count({ n: '*' }).first()).to.satisfy((r: { n: unknown }) => Number(r.n) === 1);
  });

  it('column headers sort the result, bookmarkable with sort=', async () => {
    const page = await manager.agent.get('/people');
    expect(page.text).to.contain('sort=city').and.contain('sort=availability').and.contain('sort=recent_engagement');
    const names = (html: string) => [...html.matchAll(/<a href="\/people\/(\d+)">/g)].map((m) => Number(m[1]));
    const byCity = names((await manager.agent.get('/people?sort=city')).text);
    // Berlin (Anna Schmidt, Jürgen Müller: by last name), Köln (Fatma), München (Clara); Emil hidden (do-not-contact)
    expect(byCity).to.deep.equal([net.people.jurgen, net.people.anna, net.people.fatma, net.people.clara]);
    const byAvailability = names((await manager.agent.get('/people?sort=availability')).text);
    expect(byAvailability.at(-1)).to.equal(net.people.anna); // limited after available
    expect((await manager.agent.get('/people?sort=city')).text).to.contain('aria-sort="ascending"');
  });
});
