import { expect } from 'chai';
import request from 'supertest';
import { addPerson, addSkill } from '../support/network.js';
import { addUser, csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';
import { createPersonLink, revokePersonLinks } from '../../src/me/me.queries.js';
import { erasePeople } from '../../src/privacy/retention.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { newToken } from '../../src/shared/tokens.js';

describe('a person’s own link /me/TOKEN', function () {
  this.timeout(20000);
  let env: TestEnv;
  let ada: number;
  let bob: number;
  let seo: number;
  let wp: number;
  let token: string;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
    seo = await addSkill(env.db, 'SEO', 'Suchmaschinenoptimierung');
    wp = await addSkill(env.db, 'WordPress');
    ada = await addPerson(env.db, 'Ada', 'Lovelace', { skills: [[seo, 2]] });
    bob = await addPerson(env.db, 'Bob', 'Other', { skills: [[wp, 3]] });
    await env.db('people').where({ id: ada }).update({ email: 'ada@example.org', email_norm: 'ada@example.org', city: 'Berlin' });
    await env.db('people').where({ id: bob }).update({ email: 'bob@example.org', email_norm: 'bob@example.org', phone: '+49 30 1' });
    token = (await createPersonLink(env.db, ada, 30)).token;
  });
  afterEach(() => env.close());

  async function open(t = token) {
    const agent = request.agent(env.app);
    const page = await agent.get(`/me/${t}`);
    return { agent, page, csrf: page.status === 200 ? csrfFrom(page.text) : '' };
  }

  it('shows that person their data, not cached, in their language', async () => {
    const { page } = await open();
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text).to.contain('Ada Lovelace').and.contain('ada@example.org').and.contain('Berlin').and.contain('SEO');
    expect(page.text).to.not.contain('Bob');
    const de = await request(env.app).get(`/me/${token}`).set('Accept-Language', 'de');
    expect(de.text).to.contain('Suchmaschinenoptimierung').and.contain('Ihre Angaben');
  });

  it('a forged, malformed, expired, revoked or erased person’s token gets the same plain page', async () => {
    const answers: string[] = [];
    // the same page apart from the CSRF token and the language switch's way back
    const plain = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '').replace(/name="next" value="[^"]*"/g, '');
    const check = async (t: string) => {
      const r = await request(env.app).get(`/me/${t}`);
      expect(r.status, t).to.equal(404);
      expect(r.text).to.contain('This link does not work').and.not.contain('Ada');
      answers.push(plain(r.text));
      const post = await request(env.app).post(`/me/${t}/confirm`).type('form').send({});
      expect(post.status, `POST ${t}`).to.be.oneOf([403, 404]);
    };
    await check(newToken());
    await check('short');
    await check(`${token}x`);
    const expired = await createPersonLink(env.db, ada, 30);
    await env.db('person_links').where({ id: expired.linkId }).update({ expires_at: new Date(Date.now() - 1000).toISOString() });
    await check(expired.token);
    const revoked = await createPersonLink(env.db, ada, 30);
    expect(await revokePersonLinks(env.db, ada, revoked.linkId)).to.equal(1);
    await check(revoked.token);
    expect((await open()).page.status, 'the other link still works').to.equal(200);
    await erasePeople(env.db, SYSTEM_ACTOR, [ada]);
    await check(token);
    expect(new Set(answers).size).to.equal(1);
    expect(await env.db('person_links').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('the token opens nothing else: no other person, no staff page, no person id from the form', async () => {
    const { agent, csrf } = await open();
    const res = await agent.post(`/me/${token}/details`).type('form')
      .send({ _csrf: csrf, id: String(bob), person_id: String(bob), email: 'ada@example.org', phone: '+49 170 5', city: 'Hamburg', availability: 'available', locale: 'en' });
    expect(res.status).to.equal(302);
    expect((await env.db('people').where({ id: ada }).first()).city).to.equal('Hamburg');
    expect((await env.db('people').where({ id: bob }).first()).phone).to.equal('+49 30 1');
    for (const p of [`/people/${bob}`, `/people/${ada}`, '/people', '/outbox', `/me/${token}/../people/${bob}`, '/me', `/me/${token}/people/${bob}`]) {
      const r = await agent.get(p);
      expect(r.status, p).to.be.oneOf([302, 404]);
      if (r.status === 302) expect(r.headers.location, p).to.match(/^\/login/);
      else expect(r.text, p).to.not.contain('Bob');
    }
  });

  it('forms need the CSRF token', async () => {
    const { agent } = await open();
    const r = await agent.post(`/me/${token}/confirm`).type('form').send({});
    expect(r.status).to.equal(403);
    expect((await env.db('people').where({ id: ada }).first()).last_confirmed_at).to.equal(null);
  });

  it('changes details, availability with until, skills; each change audited as made by the person through the link', async () => {
    const { agent, csrf } = await open();
    await agent.post(`/me/${token}/details`).type('form').send({
      _csrf: csrf, email: 'ada@example.org', phone: '', city: 'Köln', availability: 'unavailable', available_until: '2099-03-01', locale: 'de',
    }).expect(302);
    const p = await env.db('people').where({ id: ada }).first();
    expect(p).to.deep.include({ city: 'Köln', city_norm: 'koln', availability: 'unavailable', available_until: '2099-03-01', locale: 'de' });
    await agent.post(`/me/${token}/skills`).type('form').send({
      _csrf: csrf, skill_id: [String(seo), String(wp)], skill_level: ['2', '3'], skill_remove: [String(seo)],
    }).expect(302);
    expect(await env.db('person_skills').where({ person_id: ada }).select('skill_id', 'level')).to.deep.equal([{ skill_id: wp, level: 3 }]);
    const audit = await env.db('audit_log').where({ entity_type: 'person', entity_id: ada }).orderBy('id').select('actor', 'source', 'changes');
    expect(audit).to.have.length(2);
    for (const a of audit) expect(a).to.deep.include({ actor: 'Ada Lovelace', source: 'self' });
    expect(JSON.parse(audit[1].changes).skills).to.deep.equal({ from: 'SEO (2)', to: 'WordPress (3)' });
    const bad = await agent.post(`/me/${token}/details`).type('form').send({ _csrf: csrf, email: 'bob@example.org', availability: 'available' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('cannot be used here');
    const past = await agent.post(`/me/${token}/details`).type('form').send({ _csrf: csrf, availability: 'limited', available_until: '2001-01-01' });
    expect(past.status).to.equal(422);
  });

  it('the skill entry of the forms: type-ahead for this link only; without JavaScript Add, choose and remove come back unsaved', async () => {
    await addSkill(env.db, 'Web design', 'Webdesign');
    const { agent, page, csrf } = await open();
    expect(page.text).to.contain(`data-skill-source="/me/${token}/skills/find"`).and.contain('id="skills-legend"')
      .and.contain('<strong>4 Expert</strong>').and.match(/<option value="2" selected>2 · Intermediate<\/option>/);
    // the type-ahead answers this link, by any name in either language, and nothing else
    const found = await agent.get(`/me/${token}/skills/find?q=suchmasch`).set('Accept', 'application/json');
    expect(found.status).to.equal(200);
    expect(found.body.options).to.deep.equal([{ id: seo, label: 'SEO', via: 'Suchmaschinenoptimierung' }]);
    expect((await request(env.app).get(`/me/${newToken()}/skills/find?q=seo`)).status).to.equal(404);
    // Add with one match: the row is there, nothing saved, the suggestion typed so far kept
    const added = await agent.post(`/me/${token}/skills`).type('form').send({
      _csrf: csrf, skill_id: [String(seo)], skill_level: ['2'], skill_add: 'wordpress', _find: 'skill', suggest_name: 'Matrix bridges', suggest_level: '3',
    });
    expect(added.status).to.equal(200);
    expect(added.text).to.contain('>WordPress</span>').and.contain('value="Matrix bridges"').and.match(/<option value="3" selected>3 · Advanced<\/option>/);
    expect(await env.db('person_skills').where({ person_id: ada }).pluck('skill_id')).to.deep.equal([seo]);
    // several matches: the choice comes back, keeping what was typed
    const choose = await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['2'], skill_add: 'w', _find: 'skill' });
    expect(choose.status).to.equal(200);
    expect(choose.text).to.contain('Several skills match').and.contain(`name="skill_pick" value="${wp}"`).and.contain('value="w"');
    // a pick adds the row; then Save stores both, at the levels chosen
    const picked = await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['2'], skill_pick: String(wp) });
    expect(picked.status).to.equal(200);
    await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo), String(wp)], skill_level: ['2', '4'] }).expect(302);
    expect(await env.db('person_skills').where({ person_id: ada }).orderBy('skill_id').select('skill_id', 'level'))
      .to.deep.equal([{ skill_id: seo, level: 2 }, { skill_id: wp, level: 4 }]);
    // a name that is no skill says so
    const unknown = await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['2'], skill_add: 'Klingon', _find: 'skill' });
    expect(unknown.text).to.contain('No skill is called “Klingon”');
    const de = await agent.post(`/me/${token}/skills`).set('Accept-Language', 'de').type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['4'], skill_add: 'SEO', _find: 'skill' });
    expect(de.text).to.contain('Ihre Fähigkeiten').and.match(/<option value="4" selected>4 · Expert:in<\/option>/);
  });

  it('a staff member sees the change in the person’s history', async () => {
    const { agent, csrf } = await open();
    await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['3'] }).expect(302);
    const staff = await login(env, 'm@example.org', 'manager');
    const page = await staff.agent.get(`/people/${ada}`);
    expect(page.text).to.contain('through their own link').and.contain('SEO (3)');
  });

  it('one click confirms; consents given and withdrawn; a skill suggestion and an erasure request reach the managers', async () => {
    const { agent, csrf } = await open();
    await agent.post(`/me/${token}/confirm`).type('form').send({ _csrf: csrf }).expect(302);
    expect((await env.db('people').where({ id: ada }).first()).last_confirmed_at).to.match(/^\d{4}-\d{2}-\d{2}/);
    await agent.post(`/me/${token}/consents`).type('form').send({ _csrf: csrf, purpose: 'newsletter', status: 'given' }).expect(302);
    await agent.post(`/me/${token}/consents`).type('form').send({ _csrf: csrf, purpose: 'newsletter', status: 'withdrawn' }).expect(302);
    expect(await env.db('consents').where({ person_id: ada }).orderBy('id').pluck('status')).to.deep.equal(['given', 'withdrawn']);
    await agent.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: [String(seo)], skill_level: ['2'], suggest_name: 'Matrix\r\nbridges', suggest_level: '2' }).expect(302);
    await agent.post(`/me/${token}/erase`).type('form').send({ _csrf: csrf }).expect(302);
    expect(await env.db('person_requests').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    await agent.post(`/me/${token}/erase`).type('form').send({ _csrf: csrf, sure: '1' }).expect(302);
    await agent.post(`/me/${token}/erase`).type('form').send({ _csrf: csrf, sure: '1' }).expect(302);
    const reqs = await env.db('person_requests').orderBy('id').select('kind', 'payload', 'status');
    expect(reqs).to.deep.equal([
      { kind: 'skill', payload: JSON.stringify({ name: 'Matrix bridges', level: 2 }), status: 'open' },
      { kind: 'erasure', payload: null, status: 'open' },
    ]);
    expect((await agent.get(`/me/${token}`)).text).to.contain('it will be carried out soon');
  });

  it('"no more mails" sets do-not-contact', async () => {
    const { agent, csrf } = await open();
    expect((await agent.get(`/me/${token}/stop`)).status).to.equal(200);
    await agent.post(`/me/${token}/stop`).type('form').send({ _csrf: csrf }).expect(302);
    expect((await env.db('people').where({ id: ada }).first()).do_not_contact).to.equal(1);
  });
});

describe('a manager’s page of a person’s own links', function () {
  this.timeout(20000);
  let env: TestEnv;
  afterEach(() => env.close());

  it('sends a link by mail, shows a new one once, revokes all; staff may not', async () => {
    env = await testEnv();
    const ada = await addPerson(env.db, 'Ada', 'Lovelace');
    await env.db('people').where({ id: ada }).update({ email: 'ada@example.org', email_norm: 'ada@example.org', locale: 'de' });
    const manager = await login(env, 'm@example.org', 'manager');
    expect((await manager.agent.get(`/people/${ada}`)).text).to.contain(`/people/${ada}/links`);
    await manager.post(`/people/${ada}/links`, { send: '1' }).then((r) => expect(r.status).to.equal(302));
    const mail = await env.db('mail_outbox').first();
    expect(mail).to.deep.include({ kind: 'link', to_address: 'ada@example.org', locale: 'de', subject: 'Ihr Link zu Ihren Angaben in Skillnet' });
    const mailed = /http:\/\/skillnet\.test(\/me\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
    const shown = await manager.post(`/people/${ada}/links`, {});
    const shownLink = /value="http:\/\/skillnet\.test(\/me\/[A-Za-z0-9_-]{43})"/.exec(shown.text)![1]!;
    expect((await request(env.app).get(shownLink)).status).to.equal(200);
    expect((await request(env.app).get(mailed)).status).to.equal(200);
    const revoked = await manager.post(`/people/${ada}/links/revoke`, {});
    expect(revoked.status).to.equal(302);
    expect((await request(env.app).get(shownLink)).status).to.equal(404);
    expect((await request(env.app).get(mailed)).status).to.equal(404);
    expect((await manager.agent.get(`/people/${ada}/links`)).text).to.contain('Revoked');
    const staff = await login(env, 's@example.org', 'staff');
    expect((await staff.agent.get(`/people/${ada}/links`)).status).to.equal(403);
  });
});
