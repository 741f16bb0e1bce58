// The shared partials as the pages render them: the delete confirmation, the skill picker and the one way a
// person is named (personName), through real HTTP with a login.
import { expect } from 'chai';
import { testEnv, login, type TestEnv, type LoggedIn } from '../support/app.js';
import { addEngagement, addOrganisation, addPerson, addProject, addSkill } from '../support/network.js';
import { displayName, sortName } from '../../src/people/people.domain.js';

describe('shared partials and the person name helper', () => {
  let env: TestEnv;
  let m: LoggedIn;
  before(async () => {
    env = await testEnv();
    m = await login(env, 'admin@example.org', 'admin');
  });
  after(async () => { await env.close(); });

  it('displayName: the name, else the e-mail, else #id, else —; sortName puts the last name first', () => {
    expect(displayName({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org' })).to.equal('Ada Lovelace');
    expect(displayName({ first_name: '', last_name: 'Lovelace' })).to.equal('Lovelace');
    expect(displayName({ first_name: '', last_name: '', email: 'ada@example.org', id: 4 })).to.equal('ada@example.org');
    expect(displayName({ first_name: null, last_name: null, person_id: 4 })).to.equal('#4');
    expect(displayName({})).to.equal('—');
    expect(sortName({ first_name: 'Ada', last_name: 'Lovelace' })).to.equal('Lovelace, Ada');
    expect(sortName({ first_name: 'Ada', last_name: '' })).to.equal('Ada');
  });

  it('every delete page asks in the same card: question, a POST form with a token, and a way back', async () => {
    const org = await addOrganisation(env.db, 'Tafel Süd');
    const project = await addProject(env.db, org, 'Neue Website');
    const ada = await addPerson(env.db, 'Ada', 'Lovelace');
    const eng = await addEngagement(env.db, ada, project, { role: 'Dev' });
    const skill = await addSkill(env.db, 'Brotbacken');
    const user = await env.db('users').first('id');
    const [search] = await env.db('saved_searches').insert({ user_id: user.id, name: 'Bäcker in Köln', query: 'q=b', created_at: 'x' }).returning('id');
    const pages: [string, string, string, string][] = [
      [`/organisations/${org}/delete`, 'Tafel Süd', `/organisations/${org}/delete`, `/organisations/${org}`],
      [`/projects/${project}/delete`, 'Neue Website', `/projects/${project}/delete`, `/projects/${project}`],
      [`/engagements/${eng}/delete`, 'Ada Lovelace', `/engagements/${eng}/delete`, `/projects/${project}`],
      [`/skills/${skill}/delete`, 'Brotbacken', `/skills/${skill}/delete`, '/skills'],
      [`/searches/${search.id ?? search}/delete`, 'Bäcker in Köln', `/searches/${search.id ?? search}/delete`, '/searches'],
    ];
    for (const [url, name, action, cancel] of pages) {
      const res = await m.agent.get(url);
      expect(res.status, url).to.equal(200);
      const card = /<div class="card confirm">([\s\S]*?)<\/form>\s*<\/div>/.exec(res.text)?.[1] ?? '';
      expect(card, url).to.contain(name);
      expect(card, url).to.contain(`<form method="post" action="${action}" class="actions">`);
      expect(card, url).to.match(/name="_csrf" value="[^"]+"/);
      expect(card, url).to.contain(`<a href="${cancel}">`);
      expect(card, url).to.contain('class="danger"');
    }
    // a person with history: the same card, plus a box to tick before their engagements go
    const personPage = (await m.agent.get(`/people/${ada}/delete`)).text;
    const card = /<div class="card confirm">([\s\S]*?)<\/form>\s*<\/div>/.exec(personPage)?.[1] ?? '';
    expect(card).to.contain('Ada Lovelace');
    expect(card).to.contain(`<form method="post" action="/people/${ada}/delete" class="actions">`);
    expect(card).to.match(/<input type="checkbox" id="confirm_history" name="confirm_history" value="1" aria-describedby="confirm_history-hint">/);
    const refused = await m.post(`/people/${ada}/delete`, {});
    expect(refused.status).to.equal(422);
    expect(refused.text).to.match(/id="confirm_history"[^>]*aria-invalid="true"/);
    expect(refused.text).to.contain('id="confirm_history-error"');
    const skillPage = (await m.agent.get(`/skills/${skill}/delete`)).text;
    expect(skillPage).to.contain(`<a href="/skills/${skill}/merge">`);
  });

  it('the skill entry: one add field and a level legend on the person and the project form; levels read "at least" for projects', async () => {
    const g = await addSkill(env.db, 'Gärtnern');
    const person = (await m.agent.get('/people/new')).text;
    const project = (await m.agent.get('/projects/new')).text;
    for (const html of [person, project]) {
      expect(html.match(/<input type="search" id="skill_add" name="skill_add"/g)).to.have.length(1);
      expect(html).to.contain('id="skills-legend"').and.contain('<strong>1 Basic</strong>').and.contain('<strong>3 Advanced</strong>').and.contain('<strong>4 Expert</strong>');
      expect(html).to.not.contain('>Gärtnern</option>'); // no list of every skill
    }
    const edit = await m.post('/projects', { organisation_id: '', title: 'X', skill_id: String(g), min_level: '2', _find: 'skill' });
    expect(edit.text).to.match(/<option value="2" selected>2 · at least Intermediate<\/option>/);
    const personEdit = await m.post('/people', { last_name: 'Y', skill_id: String(g), skill_level: '4', _find: 'skill' });
    expect(personEdit.text).to.match(/<option value="4" selected>4 · Expert<\/option>/);
  });

  it('a person without a name is shown by e-mail in the list', async () => {
    await env.db('people').insert({ first_name: '', last_name: '', email: 'nameless@example.org', email_norm: 'nameless@example.org', name_norm: '', created_at: 'x', updated_at: 'x' });
    const list = (await m.agent.get('/people')).text;
    expect(list).to.match(/<a href="\/people\/\d+">nameless@example.org<\/a>/);
  });
});
