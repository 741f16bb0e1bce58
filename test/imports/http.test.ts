import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { EXPORTS, csvFile, jobSettled, waitForJob } from './helpers.js';
import { uploadPath } from '../../src/imports/drafts.service.js';

const GOOGLE = `${EXPORTS}/google-contacts-2023/sample.csv`;

async function upload(u: LoggedIn, file: string, withToken = true) {
  const token = await u.csrf('/imports/new');
  const req = u.agent.post('/imports/new');
  if (withToken) req.field('_csrf', token);
  return req.attach('file', file);
}


const count = async (db: Knex, table: string) => Number((await db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);

describe('import wizard over HTTP', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a manager goes upload → map → options → preview → commit → result, then undoes it', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    expect((await m.agent.get('/imports')).status).to.equal(200);
    const form = await m.agent.get('/imports/new');
    expect(form.text).to.contain('enctype="multipart/form-data"').and.to.contain('<progress').and.to.contain('src="/imports.js"').and.to.contain('href="/imports.css"');

    const up = await upload(m, GOOGLE);
    expect(up.status, up.text).to.equal(303);
    const key = /\/imports\/drafts\/([0-9a-f]{32})\/map$/.exec(up.headers.location)![1]!;

    const map = await m.agent.get(`/imports/drafts/${key}/map`);
    expect(map.status).to.equal(200);
    expect(map.text).to.contain('UTF-8');
    // the guessed mapping is preselected: "E-mail 1 - Value" is column 18
    expect(map.text).to.match(/id="target_18" name="target_18">[\s\S]*?<option value="email" selected>/);

    const mapForm: Record<string, string> = { mapping_name: 'Google 2023' };
    const guessed = [...map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)];
    for (const g of guessed) mapForm[g[1]!] = g[2]!;
    const mapped = await m.post(`/imports/drafts/${key}/map`, mapForm);
    expect(mapped.status).to.equal(303);
    expect(mapped.headers.location).to.equal(`/imports/drafts/${key}/options`);
    expect(await env.db('import_mappings').pluck('name')).to.deep.equal(['Google 2023']);

    expect((await m.agent.get(`/imports/drafts/${key}/options`)).status).to.equal(200);
    const started = await m.post(`/imports/drafts/${key}/preview`, { policy: 'update', new_skills: 'yes' });
    expect(started.status).to.equal(303);
    expect(started.headers.location).to.equal(`/imports/drafts/${key}/progress`);
    expect(await waitForJob(m, key)).to.equal(`/imports/drafts/${key}/preview`);

    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Amara').and.to.contain('first aid');
    expect(await count(env.db, 'people'), 'the preview writes nothing').to.equal(0);

    const commit = await m.post(`/imports/drafts/${key}/commit`, {});
    expect(commit.status).to.equal(303);
    expect(await waitForJob(m, key)).to.equal(`/imports/drafts/${key}/result`);
    const result = await m.agent.get(`/imports/drafts/${key}/result`);
    expect(result.status).to.equal(200);
    expect(await count(env.db, 'people')).to.equal(2);
    const batch = await env.db('import_batches').first();
    expect(batch).to.include({ source: 'web', created: 2, policy: 'update', status: 'committed' });
    expect((await env.db('users').where({ id: batch.user_id }).first()).email).to.equal('manager@example.org');
    expect(result.text).to.contain(`href="/imports/${batch.id}/undo"`).and.to.contain('Undo this import');

    const list = await m.agent.get('/imports');
    expect(list.text).to.contain('sample.csv').and.to.contain(`/imports/${batch.id}/undo`);
    const amaraId = (await env.db('people').where({ email: 'amara@example.org' }).first()).id;
    expect((await m.agent.get(`/people/${amaraId}`)).text).to.contain(`href="/imports/${batch.id}"`);
    const detail = await m.agent.get(`/imports/${batch.id}`);
    expect(detail.status).to.equal(200);
    expect(detail.text).to.contain('Amara Nwosu');

    // a second upload of the same layout is offered the saved mapping
    const again = await upload(m, GOOGLE);
    const key2 = /drafts\/(\w+)\/map/.exec(again.headers.location)![1]!;
    expect((await m.agent.get(`/imports/drafts/${key2}/map`)).text).to.contain('Google 2023');

    expect((await m.agent.get(`/imports/${batch.id}/undo`)).status).to.equal(200);
    const undo = await m.post(`/imports/${batch.id}/undo`, {});
    expect(undo.status).to.equal(303);
    expect(await count(env.db, 'people')).to.equal(0);
    expect((await env.db('import_batches').where({ id: batch.id }).first()).undone_at).to.be.a('string');
  });

  it('the failing rows download as CSV: original columns plus a reason', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const file = csvFile('Name;E-Mail;Ort\nAda Lovelace;ada@example.org;London\nBob;kaputt;Bonn\n');
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, file)).headers.location)![1]!;
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    await waitForJob(m, key);
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.text).to.contain('3').and.to.contain('is not a valid e-mail address');
    const csv = await m.agent.get(`/imports/drafts/${key}/problems.csv`).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => { data += c.toString('utf8'); });
      res.on('end', () => cb(null, data));
    });
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.contain('text/csv');
    expect(csv.body).to.equal('\uFEFFName;E-Mail;Ort;Import problem\r\nBob;kaputt;Bonn;“kaputt” in “E-Mail” is not a valid e-mail address.\r\n');
  });

  it('unknown skills can be left out or counted as an existing skill before committing', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const [seo] = await env.db('skills').insert({ name: 'First Aid', name_norm: 'first aid certified', created_at: 'x', updated_at: 'x' }).returning('id');
    const seoId = typeof seo === 'object' ? seo.id : seo;
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, GOOGLE)).headers.location)![1]!;
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    await waitForJob(m, key);
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    const keys = [...preview.text.matchAll(/name="skill_key_(\d+)" value="([^"]+)"/g)].map((x) => [x[1]!, x[2]!]);
    expect(keys.map((k) => k[1])).to.deep.equal(['first aid', 'spanish', 'event planning']);
    await m.post(`/imports/drafts/${key}/preview`, {
      policy: 'skip', new_skills: 'yes', skill_key_0: 'first aid', skill_0: String(seoId), skill_key_1: 'spanish', skill_1: 'ignore',
      skill_key_2: 'event planning', skill_2: 'new',
    });
    await waitForJob(m, key);
    await m.post(`/imports/drafts/${key}/commit`, {});
    await waitForJob(m, key);
    const amara = await env.db('people').where({ email: 'amara@example.org' }).first();
    const skills = await env.db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').where('ps.person_id', amara.id).orderBy('s.name').pluck('s.name');
    expect(skills).to.deep.equal(['First Aid', 'event planning']);
  });

  it('the unknown-skill step maps a name to an existing skill with the type-ahead; without JavaScript Find comes back with the matches', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const [row] = await env.db('skills').insert({ name: 'First Aid', name_de: 'Erste Hilfe', name_norm: 'first aid certified', created_at: 'x', updated_at: 'x' }).returning('id');
    const aid = typeof row === 'object' ? row.id : row;
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, GOOGLE)).headers.location)![1]!;
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    await waitForJob(m, key);
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.text).to.contain('data-picker="/pickers/skills"').and.contain('id="skill_0_new" name="skill_0" value="new" checked')
      .and.contain('<label for="skill_map_0">Existing skill for “first aid”</label>');
    const base = { policy: 'skip', new_skills: 'yes', skill_key_0: 'first aid', skill_key_1: 'spanish', skill_1: 'ignore', skill_key_2: 'event planning', skill_2: 'new' };
    // Find: the matches for what was typed (any name, either language), the row switched to "existing", nothing run
    const found = await m.post(`/imports/drafts/${key}/preview`, { ...base, skill_0: 'new', skill_map_0_q: 'erste hil', _find: 'skill_map_0' });
    expect(found.status).to.equal(200);
    expect(found.text).to.contain(`<option value="${aid}">First Aid (Erste Hilfe)</option>`).and.contain('value="erste hil"')
      .and.contain('id="skill_0_map" name="skill_0" value="map" checked').and.contain('id="skill_1_ignore" name="skill_1" value="ignore" checked');
    expect((await m.agent.get(`/imports/drafts/${key}/preview`)).status, 'the preview is still there').to.equal(200);
    // "existing" with none chosen says so
    const missing = await m.post(`/imports/drafts/${key}/preview`, { ...base, skill_0: 'map', skill_map_0_q: 'erste hil', skill_map_0: '' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('Find and choose the existing skill');
    // chosen: checked again, then committed
    await m.post(`/imports/drafts/${key}/preview`, { ...base, skill_0: 'map', skill_map_0_q: 'erste hil', skill_map_0: String(aid) });
    await waitForJob(m, key);
    const again = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(again.text).to.contain('id="skill_0_map" name="skill_0" value="map" checked').and.contain(`<option value="${aid}" selected>First Aid</option>`);
    await m.post(`/imports/drafts/${key}/commit`, {});
    await waitForJob(m, key);
    const amara = await env.db('people').where({ email: 'amara@example.org' }).first();
    const skills = await env.db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').where('ps.person_id', amara.id).orderBy('s.name').pluck('s.name');
    expect(skills).to.deep.equal(['First Aid', 'event planning']);
  });

  it('a job that fails shows why on the progress page', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, GOOGLE)).headers.location)![1]!;
    // the file changed under the draft: only its header is left
    writeFileSync(uploadPath(key), 'First Name,Last Name\n');
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    await jobSettled(m, key);
    const page = await m.agent.get(`/imports/drafts/${key}/progress`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('The import stopped').and.to.contain('no rows of data');
  });

  it('undo names people edited since and asks again (409) before overwriting', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, GOOGLE)).headers.location)![1]!;
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    await waitForJob(m, key);
    await m.post(`/imports/drafts/${key}/commit`, {});
    await waitForJob(m, key);
    const batch = await env.db('import_batches').first();
    await env.db('people').where({ email: 'zoe@example.de' }).update({ city: 'Wien', updated_at: '2999-01-01T00:00:00.000Z' });
    const page = await m.agent.get(`/imports/${batch.id}/undo`);
    expect(page.text).to.contain('Müller-Łukasik').and.to.contain('confirm_conflicts');
    const refused = await m.post(`/imports/${batch.id}/undo`, {});
    expect(refused.status).to.equal(409);
    expect(await count(env.db, 'people')).to.equal(2);
    const forced = await m.post(`/imports/${batch.id}/undo`, { confirm_conflicts: '1' });
    expect(forced.status).to.equal(303);
    expect(await count(env.db, 'people')).to.equal(0);
    const again = await m.post(`/imports/${batch.id}/undo`, {});
    expect(again.status).to.equal(303);
  });

  it('refuses a file that cannot be imported with 422 and a clear message', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const res = await upload(m, csvFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The workbook is damaged');
    const empty = await upload(m, csvFile(''));
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('The file is empty.');
  });

  it('refuses a file over the upload limit with 413', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    env.app.locals.config = { ...env.app.locals.config, uploadLimitBytes: 1024 };
    const big = csvFile('Name,Email\n' + 'Ada,ada@example.org\n'.repeat(200));
    const res = await upload(m, big);
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('larger than 1 KB');
  });

  it('checks the CSRF token of the multipart upload', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const res = await upload(m, GOOGLE, false);
    expect(res.status).to.equal(403);
  });

  it('asks for a name or e-mail column (422) when the mapping has none', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const key = /drafts\/(\w+)\/map/.exec((await upload(m, GOOGLE)).headers.location)![1]!;
    const res = await m.post(`/imports/drafts/${key}/map`, { target_0: 'city' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Match at least one column to a name or an e-mail.');
  });

  it("keeps another user's draft out of reach (404)", async () => {
    const a = await login(env, 'a@example.org', 'manager');
    const key = /drafts\/(\w+)\/map/.exec((await upload(a, GOOGLE)).headers.location)![1]!;
    const b = await login(env, 'b@example.org', 'admin');
    expect((await b.agent.get(`/imports/drafts/${key}/map`)).status).to.equal(404);
    expect((await b.agent.get('/imports/drafts/../../etc/map')).status).to.equal(404);
    expect((await b.agent.get('/imports/999')).status).to.equal(404);
  });

  for (const role of ['staff', 'viewer'] as const) {
    it(`${role}: 403 on every import page and POST`, async () => {
      const u = await login(env, `${role}@example.org`, role);
      for (const path of ['/imports', '/imports/new', '/imports/1', '/imports/1/undo']) {
        expect((await u.agent.get(path)).status, path).to.equal(403);
      }
      const token = await u.csrf('/people');
      const up = await u.agent.post('/imports/new').field('_csrf', token).attach('file', GOOGLE);
      expect(up.status).to.equal(403);
      expect((await u.post('/imports/1/undo', {})).status).to.equal(403);
      expect(await count(env.db, 'people')).to.equal(0);
    });
  }
});
