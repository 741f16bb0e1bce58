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

    // The merge re-indexes in short transactions: count its commits, and send a search once the second one is
    // through, i.e. while the merge is still writing (it takes about 0.2 s for 10,000 people, so a search sent at
    // its start could not be told apart from one sent after it).
    let merged = false;
    let commits = 0;
    let searchSentMidMerge = false;
    let search: Promise<{ status: number }> | null = null;
    const onQuery = (q: { sql: string }) => {
      if (!/^COMMIT/i.test(q.sql)) return;
      commits++;
      if (commits === 2) {
        searchSentMidMerge = !merged;
        search = m.agent.get('/people?q=n42').then((r) => r);
      }
    };
    env.db.on('query', onQuery);
    const merging = mergeSkills(env.db, SYSTEM_ACTOR, from, into).finally(() => { merged = true; });
    await merging.catch(() => undefined);
    env.db.off('query', onQuery);
    expect(commits, 'the merge commits in several short steps').to.be.greaterThan(2);
    expect(searchSentMidMerge, 'a search was sent while the merge was still writing').to.equal(true);
    expect((await search!).status).to.equal(200);
    expect((await request(env.app).get('/health')).status).to.equal(200);

    expect(await merging).to.deep.equal({ people: 10_000, projects: 0 });
    expect((await textMatchIds(env.db, 'seo')).length, 'every merged person is found by the new name').to.equal(10_000);
  });
});
