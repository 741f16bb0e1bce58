// The pages without a login (named in src/app.ts) are exactly /me/TOKEN… and /join…: everything next to them
// still asks for a login.
import { expect } from 'chai';
import request from 'supertest';
import { addPerson, addSkill } from '../support/network.js';
import { addUser, csrfFrom, login, testEnv, type TestEnv } from '../support/app.js';
import { createPersonLink } from '../../src/me/me.queries.js';

describe('login exemptions for /me and /join are narrow', function () {
  this.timeout(20000);
  let env: TestEnv;
  let token: string;
  let ada: number;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
    ada = await addPerson(env.db, 'Ada', 'Lovelace');
    token = (await createPersonLink(env.db, ada, 30)).token;
  });
  afterEach(() => env.close());

  it('serves /me/TOKEN, /join and /join/confirm/… without a login', async () => {
    expect((await request(env.app).get(`/me/${token}`)).status).to.equal(200);
    expect((await request(env.app).get('/join')).status).to.equal(200);
    expect((await request(env.app).get(`/join/confirm/${token}`)).status, 'unknown token: plain 404, no login page').to.equal(404);
  });

  it('asks for a login everywhere next to them', async () => {
    const paths = ['/me', '/me/', `/me/${token}/people`, `/me/${token}/details`, `/me/${token}/x/y`, '/join/applications', '/join/confirm',
      '/join/queue', '/requests', '/campaigns', '/campaigns/new', '/outbox', `/people/${ada}`, '/joinx', '/mex'];
    for (const p of paths) {
      const r = await request(env.app).get(p);
      expect(r.status, p).to.equal(302);
      expect(r.headers.location, p).to.match(/^\/login/);
    }
  });

  it('posts to manager actions need a login even with a valid CSRF token from a public page', async () => {
    const agent = request.agent(env.app);
    const csrf = csrfFrom((await agent.get(`/me/${token}`)).text);
    for (const p of ['/join/applications/1/accept', '/requests/1/approve', '/settings/join', '/campaigns', `/people/${ada}/erase`]) {
      const r = await agent.post(p).type('form').send({ _csrf: csrf });
      expect(r.status, p).to.equal(302);
      expect(r.headers.location, p).to.match(/^\/login/);
    }
  });
});

describe('the managers’ queue of requests from own links', function () {
  this.timeout(20000);
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv();
    await addUser(env.db, 'admin@example.org', 'admin');
  });
  afterEach(() => env.close());

  it('approving a suggested skill creates it and gives it to the person; an erasure request leads to the erase page', async () => {
    const seo = await addSkill(env.db, 'SEO');
    const ada = await addPerson(env.db, 'Ada', 'Lovelace', { skills: [[seo, 2]] });
    const { token } = await createPersonLink(env.db, ada, 30);
    const visitor = request.agent(env.app);
    const csrf = csrfFrom((await visitor.get(`/me/${token}`)).text);
    await visitor.post(`/me/${token}/skills`).type('form').send({ _csrf: csrf, skill_id: String(seo), skill_level: '2', suggest_name: 'Matrix bridges', suggest_level: '4' }).expect(302);
    await visitor.post(`/me/${token}/erase`).type('form').send({ _csrf: csrf, sure: '1' }).expect(302);
    const manager = await login(env, 'm@example.org', 'manager');
    const queue = await manager.agent.get('/requests');
    expect(queue.text).to.contain('New skill “Matrix bridges” (Expert)').and.contain('Asks to have their details deleted');
    const [skillReq, eraseReq] = await env.db('person_requests').orderBy('id').select('id');
    await manager.post(`/requests/${skillReq.id}/approve`, {}).then((r) => expect(r.status).to.equal(302));
    const skill = await env.db('skills').where({ name: 'Matrix bridges' }).first();
    expect(await env.db('person_skills').where({ person_id: ada }).orderBy('skill_id').select('skill_id', 'level'))
      .to.deep.equal([{ skill_id: seo, level: 2 }, { skill_id: skill.id, level: 4 }]);
    const erase = await manager.post(`/requests/${eraseReq.id}/approve`, {});
    expect(erase.headers.location).to.equal(`/people/${ada}/erase`);
    await manager.post(`/people/${ada}/erase`, {});
    expect(await env.db('people').where({ id: ada }).first()).to.equal(undefined);
    expect(await env.db('person_requests').count({ n: '*' }).first(), 'the requests went with the person').to.deep.equal({ n: 0 });
    const viewer = await login(env, 'v@example.org', 'viewer');
    expect((await viewer.agent.get('/requests')).status).to.equal(403);
  });
});
