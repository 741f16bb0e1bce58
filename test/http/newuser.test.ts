// What a new user stumbled over: the organisation on /users, the add-user form's defaults, and the person page's
// two delete buttons (a record vs a data-protection erasure) that ask before removing organisations' history.
import { expect } from 'chai';
import { csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject } from '../support/network.js';

/** The form's fields as a browser would submit them unchanged: inputs' values and each select's chosen option. */
function defaultsOf(html: string, action: string): Record<string, string> {
  const form = html.slice(html.indexOf(`action="${action}"`), html.indexOf('</form>', html.indexOf(`action="${action}"`)));
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    const type = /type="([^"]+)"/.exec(m[0])?.[1] ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !m[0].includes(' checked')) continue;
    out[m[1]!] = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
  }
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option value="([^"]*)"([^>]*)>/g)];
    out[m[1]!] = (options.find((o) => o[2]!.includes('selected')) ?? options[0])?.[1] ?? '';
  }
  return out;
}

describe('what a new user hit', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('/users shows each user\'s organisation', async () => {
    const org = await addOrganisation(env.db, 'Tafel Nord');
    await login(env, 'staff@example.org', 'staff', org);
    const admin = await login(env, 'admin@example.org', 'admin');
    const page = await admin.agent.get('/users');
    const row = page.text.slice(page.text.indexOf('staff@example.org'), page.text.indexOf('</tr>', page.text.indexOf('staff@example.org')));
    expect(row).to.contain('Tafel Nord');
  });

  it('the add-user form submitted unchanged (with an e-mail typed in) creates a user', async () => {
    await addOrganisation(env.db, 'Tafel Nord');
    const admin = await login(env, 'admin@example.org', 'admin');
    const form = defaultsOf((await admin.agent.get('/users/new')).text, '/users');
    expect(form.role).to.equal('viewer');
    const res = await admin.agent.post('/users').type('form').send({ ...form, email: 'new@example.org' });
    expect(res.status).to.equal(200);
    expect((await env.db('users').where({ email: 'new@example.org' }).first()).role).to.equal('viewer');
  });

  it('the person page names delete and erasure apart and says which is for what', async () => {
    const id = await addPerson(env.db, 'Dora', 'Double');
    const admin = await login(env, 'admin@example.org', 'admin');
    const page = (await admin.agent.get(`/people/${id}`)).text;
    expect(page).to.contain('Delete record…');
    expect(page).to.contain('Erase on request (GDPR)…');
    expect(page).to.contain('for an entry made by mistake or a duplicate');
    expect(page).to.contain('when the person asks to be forgotten');
    await admin.post('/language', { locale: 'de' });
    const de = (await admin.agent.get(`/people/${id}`)).text;
    expect(de).to.contain('Datensatz löschen…');
    expect(de).to.contain('Auf Antrag löschen (DSGVO)…');
  });

  it('deleting a person asks before removing their engagements from organisations\' history, saying how many', async () => {
    const a = await addOrganisation(env.db, 'A');
    const b = await addOrganisation(env.db, 'B');
    const id = await addPerson(env.db, 'Hilde', 'Helper');
    await addEngagement(env.db, id, await addProject(env.db, a, 'Website'));
    await addEngagement(env.db, id, await addProject(env.db, a, 'Newsletter'));
    await addEngagement(env.db, id, await addProject(env.db, b, 'Accounts'));
    const admin = await login(env, 'admin@example.org', 'admin');
    const confirm = await admin.agent.get(`/people/${id}/delete`);
    expect(confirm.text).to.contain('Also remove 3 engagements from the history of 2 organisations');
    const token = csrfFrom(confirm.text);
    const unchecked = await admin.agent.post(`/people/${id}/delete`).type('form').send({ _csrf: token });
    expect(unchecked.status).to.equal(422);
    expect(unchecked.text).to.contain('Please confirm that the engagements are removed too');
    expect(await env.db('engagements').where({ person_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 3 });
    const checked = await admin.agent.post(`/people/${id}/delete`).type('form').send({ _csrf: token, confirm_history: '1' });
    expect(checked.status).to.equal(302);
    expect(await env.db('people').where({ id }).first()).to.equal(undefined);
    // a person without engagements is deleted without the extra question
    const lone = await addPerson(env.db, 'Lone', 'Entry');
    expect((await admin.agent.get(`/people/${lone}/delete`)).text).to.not.contain('confirm_history');
    expect((await admin.agent.post(`/people/${lone}/delete`).type('form').send({ _csrf: token })).status).to.equal(302);
  });
});
