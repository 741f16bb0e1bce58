// Issue 11, reliability 7: long maintenance writes (a skill merge, a re-index) commit in short steps, so a
// search during a merge answers long before the merge is done.
import { expect } from 'chai';
import request from 'supertest';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { mergeSkills } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { textMatchIds } from '../../src/search/search.queries.js';
import { importCsv } from '../imports/helpers.js';

describe('reliability: maintenance in short steps', function () {
  this.timeout(120_000);
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a search during a merge of a skill 10,000 people have answers before the merge ends; the merge is complete after', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `P,n${i},n${i}@example.org,Suchmaschinenoptimierung`);
    await importCsv(env.db, `First Name,Last Name,Email,Skills\n${rows.join('\n')}\n`);
    await env.db('skills').insert({ name: 'SEO', name_norm: 'seo', created_at: 'x', updated_at: 'x' });
    const from = (await env.db('skills').where({ name_norm: 'suchmaschinenoptimierung' }).first()).id;
    const into = (await env.db('skills').where({ name_norm: 'seo' }).first()).id;
    const m = await login(env, 'manager@example.org', 'manager');

    let merged = false;
    const merging = mergeSkills(env.db, SYSTEM_ACTOR, from, into).finally(() => { merged = true; });
    const search = await m.agent.get('/people?q=n42');
    expect(search.status).to.equal(200);
    expect(merged, 'the search answered while the merge was still re-indexing').to.equal(false);
    expect((await request(env.app).get('/health')).status).to.equal(200);

    expect(await merging).to.deep.equal({ people: 10_000, projects: 0 });
    expect((await textMatchIds(env.db, 'seo')).length, 'every merged person is found by the new name').to.equal(10_000);
  });
});
