// Small requests must not freeze the server: repeated fields and huge column counts are refused with 422 before
// anything renders them, and /health keeps answering while such requests run.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import request from 'supertest';
import { addUser, csrfFrom, login, PASSWORD, testEnv, type TestEnv } from '../support/app.js';
import { addOrganisation, addSkill } from '../support/network.js';
import { MAX_REPEATED_VALUES } from '../../src/http/forms.js';
import { waitForJob } from '../imports/helpers.js';

const manyColumnsCsv = (n: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `col${i}`).join(',') + '\n' + Array.from({ length: n }, (_, i) => (i === 0 ? 'a@example.org' : 'x')).join(',') + '\n');

/** Logs in with plain fetch (no test-client work while the clock runs); returns the cookie and a CSRF token. */
async function fetchLogin(base: string, email: string): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${base}/login`);
  const anon = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ email, password: PASSWORD, _csrf: csrfFrom(await page.text()) });
  const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: anon, 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(res.status).to.equal(302);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = csrfFrom(await (await fetch(`${base}/people`, { headers: { cookie } })).text());
  return { cookie, token };
}

describe('caps on repeated fields and columns', () => {
  let env: TestEnv;
  let server: Server;
  beforeEach(async () => {
    env = await testEnv();
    server = env.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await env.close();
  });

  it('refuses a form repeating a field more than the cap with a short 422 page; the cap itself is accepted', async () => {
    const org = await addOrganisation(env.db, 'Org');
    const skill = await addSkill(env.db, 'SEO');
    const staff = await login(env, 'staff@example.org', 'staff', org);
    const base = { first_name: 'Max', last_name: 'Many', kind: 'volunteer', availability: 'available' };
    const tooMany = await staff.post('/people', { ...base, skill_id: Array(500).fill(String(skill)) });
    expect(tooMany.status).to.equal(422);
    expect(tooMany.text).to.contain('at most 100 are accepted');
    expect(tooMany.text.length).to.be.lessThan(50_000);
    const farTooMany = await staff.post('/people', { ...base, skill_id: Array(4990).fill(String(skill)) });
    expect(farTooMany.status).to.equal(422);
    expect(farTooMany.text).to.contain('more than 1000 fields');
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    const atCap = await staff.post('/people', { ...base, skill_id: Array(MAX_REPEATED_VALUES).fill(String(skill)), skill_level: Array(MAX_REPEATED_VALUES).fill('2') });
    expect(atCap.status).to.equal(302);
    // also in a query string
    expect((await staff.agent.get('/people').query('skill=' + Array(500).fill('SEO').join('&skill='))).status).to.equal(422);
  });

  it('refuses a CSV with more columns than a person can map, with a clear 422', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const token = csrfFrom((await admin.agent.get('/imports/new')).text);
    const res = await admin.agent.post('/imports/new').field('_csrf', token).attach('file', manyColumnsCsv(100_000), 'wide.csv');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('more than 250 columns');
    expect(res.text).to.contain('at most 250');
    const fits = await admin.agent.post('/imports/new').field('_csrf', token).attach('file', manyColumnsCsv(250), 'fits.csv');
    expect(fits.status).to.equal(303);
  });

  it('the import preview lists at most 100 unknown skills and says that there are more', async function () {
    this.timeout(60000);
    const admin = await login(env, 'admin@example.org', 'admin');
    const rows = Array.from({ length: 300 }, (_, i) => `p${i}@example.org,P${i},Rare skill ${i}; Common skill`);
    const csv = Buffer.from(['email,first name,skills', ...rows].join('\n') + '\n');
    const token = csrfFrom((await admin.agent.get('/imports/new')).text);
    const up = await admin.agent.post('/imports/new').field('_csrf', token).attach('file', csv, 'skills.csv');
    const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
    await admin.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    // done, not merely no longer running: a job still waiting for the import lock is not done either
    await waitForJob(admin, key);
    const preview = await admin.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.status).to.equal(200);
    const selects = [...preview.text.matchAll(/name="skill_key_\d+" value="([^"]+)"/g)].map((m) => m[1]);
    expect(selects).to.have.length(100);
    expect(selects[0], 'the most used first').to.equal('common skill');
    // every unknown skill counted, however many (the count once stopped at 200)
    expect(preview.text).to.contain('The file names 301 unknown skills; here are the 100 used most.');
  });

  it('keeps /health under 500 ms while such requests run', async function () {
    this.timeout(120000);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const org = await addOrganisation(env.db, 'Org');
    const skill = await addSkill(env.db, 'SEO');
    await addUser(env.db, 'staff@example.org', 'staff', org);
    await addUser(env.db, 'admin@example.org', 'admin');
    const staff = await fetchLogin(base, 'staff@example.org');
    const admin = await fetchLogin(base, 'admin@example.org');
    // the request bodies are built before the clock starts: only the server's work is measured
    const form = new URLSearchParams({ first_name: 'Max', last_name: 'Many', kind: 'volunteer', availability: 'available', _csrf: staff.token });
    for (let i = 0; i < 4990; i++) form.append('skill_id', String(skill));
    const formBody = Buffer.from(form.toString());
    const boundary = '----skillnet-test-boundary';
    const upload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${admin.token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="wide.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      manyColumnsCsv(100_000),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await (await fetch(`${base}/health`)).json(); // the first fetch loads the HTTP client: not the server's time

    let running = true;
    const post = (path: string, cookie: string, type: string, body: Buffer) =>
      fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': type }, body: new Uint8Array(body) }).then(async (r) => {
        // before the caps the upload was accepted and its mapping page was the huge one
        if (r.status === 303) return fetch(`${base}${r.headers.get('location')}`, { headers: { cookie } }).then(async (m) => ({ status: m.status, size: (await m.text()).length }));
        return { status: r.status, size: (await r.text()).length };
      });
    const heavy = Promise.all([
      ...Array.from({ length: 4 }, () => post('/people', staff.cookie, 'application/x-www-form-urlencoded', formBody)),
      ...Array.from({ length: 4 }, () => post('/imports/new', admin.cookie, `multipart/form-data; boundary=${boundary}`, upload)),
    ]).finally(() => { running = false; });
    const latencies: number[] = [];
    while (running || latencies.length < 5) {
      const t0 = performance.now();
      const res = await fetch(`${base}/health`);
      expect(res.status).to.equal(200);
      await res.json();
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const results = await heavy;
    expect(results.map((r) => r.status)).to.deep.equal([422, 422, 422, 422, 422, 422, 422, 422]);
    expect(Math.max(...results.map((r) => r.size))).to.be.lessThan(50_000);
    expect(Math.max(...latencies), `health latencies ${latencies.map((l) => Math.round(l)).join(',')}`).to.be.lessThan(500);
  });
});
