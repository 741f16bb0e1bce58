// Issue 11, operations: on SIGTERM the server stops accepting, rolls back the import that is running, closes
// the database and exits 0; the import's job says it was interrupted.
import { expect } from 'chai';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { csrfFrom } from '../support/app.js';
import { peopleCsv, skillnet, startServer, tempDir, until } from './helpers.js';

describe('reliability: shutdown', function () {
  this.timeout(240_000);

  it('SIGTERM during a web import: stops accepting, rolls the batch back, exits 0; the job shows as interrupted', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'net.sqlite');
    const env = { DATABASE_URL: file, SESSION_SECRET: 'a-session-secret-for-the-test' };
    expect((await skillnet(['migrate'], env).exited).code).to.equal(0);
    const add = skillnet(['user', 'add', 'manager@example.org', '--role', 'manager'], { ...env, SKILLNET_PASSWORD: 'a long and unusual passphrase 42' });
    expect((await add.exited).code, add.err()).to.equal(0);
    const server = await startServer(env);
    const db = new Database(file, { readonly: true });
    const people = () => Number((db.prepare('select count(*) as n from people').get() as { n: number }).n);
    try {
      const agent = request.agent(server.url);
      const page = await agent.get('/login');
      await agent.post('/login').type('form').send({ email: 'manager@example.org', password: 'a long and unusual passphrase 42', _csrf: csrfFrom(page.text) });
      const token = async (p: string) => csrfFrom((await agent.get(p)).text);
      const up = await agent.post('/imports/new').field('_csrf', await token('/imports/new')).attach('file', peopleCsv(dir, 30_000));
      expect(up.status, up.text.slice(0, 200)).to.equal(303);
      const key = /drafts\/([0-9a-f]{32})\/map/.exec(up.headers.location)![1]!;
      const map = await agent.get(`/imports/drafts/${key}/map`);
      const form: Record<string, string> = { _csrf: csrfFrom(map.text) };
      for (const g of map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)) form[g[1]!] = g[2]!;
      expect((await agent.post(`/imports/drafts/${key}/map`).type('form').send(form)).status).to.equal(303);
      await agent.post(`/imports/drafts/${key}/preview`).type('form').send({ _csrf: await token(`/imports/drafts/${key}/options`), policy: 'skip', new_skills: 'yes' });
      await until(async () => (await agent.get(`/imports/drafts/${key}/status.json`)).body.status === 'done', 120_000, 'the preview');
      const commit = await agent.post(`/imports/drafts/${key}/commit`).type('form').send({ _csrf: await token(`/imports/drafts/${key}/preview`) });
      expect(commit.status).to.equal(303);
      await until(() => people() > 1000, 120_000, 'the commit to write people');

      server.proc.kill('SIGTERM');
      const r = await server.exited;
      expect(r.code, server.err()).to.equal(0);
      const refused = await fetch(`${server.url}/health`).then(() => false, (err: Error & { cause?: { code?: string; errors?: { code?: string }[] } }) =>
        [err.cause?.code, ...(err.cause?.errors ?? []).map((e) => e.code)].includes('ECONNREFUSED'));
      expect(refused, 'the server no longer accepts connections').to.equal(true);
      expect(people(), 'the interrupted batch was rolled back').to.equal(0);
      expect(db.prepare('select count(*) as n from import_batches').get()).to.deep.equal({ n: 0 });
      expect(db.prepare("select status from import_jobs where kind = 'commit'").all()).to.deep.equal([{ status: 'interrupted' }]);
    } finally {
      db.close();
      if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    }
  });
});
