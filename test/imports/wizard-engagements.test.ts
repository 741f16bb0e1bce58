// The import wizard for a network's history (engagements): the same pages, routes and background jobs as the
// people import, chosen by the upload form's `kind`; plus rows taken without one bad field.
import { expect } from 'chai';
import { createWriteStream } from 'node:fs';
import type { Knex } from 'knex';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { csvFile, importCsv, waitForJob } from './helpers.js';
import { streamXlsx } from '../../src/exports/xlsx.writer.js';
import type { TypedCell } from '../../src/exports/columns.domain.js';

const HISTORY = 'E-Mail;Organisation;Projekt;Rolle;Von;Bis;Stunden\n'
  + 'ada@example.org;Tafel Nord e.V.;Neue Website;Entwicklerin;01.03.2021;2021-06-30;40,5\n'
  + 'bob@example.org;Tafel Nord e.V.;Neue Website;Beratung;2021-03-01;;12\n'
  + 'bob@example.org;Kältehilfe;Newsletter-Tool;;32.13.2022;;8\n';

async function upload(u: LoggedIn, file: string, kind?: string) {
  const token = await u.csrf('/imports/new');
  const req = u.agent.post('/imports/new').field('_csrf', token);
  if (kind) req.field('kind', kind);
  return req.attach('file', file);
}


const count = async (db: Knex, table: string) => Number((await db(table).count<{ n: number }[]>({ n: '*' }))[0]!.n);
const tagsOf = (db: Knex, email: string) => db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').join('people as p', 'p.id', 'pt.person_id')
  .where('p.email', email).pluck('t.name');

/** Upload → map (the guessed mapping as it is preselected) → options → preview; returns the draft key. */
async function toPreview(m: LoggedIn, options: Record<string, string>): Promise<string> {
  const up = await upload(m, csvFile(HISTORY), 'engagements');
  expect(up.status, up.text).to.equal(303);
  const key = /\/imports\/drafts\/([0-9a-f]{32})\/map$/.exec(up.headers.location)![1]!;
  const map = await m.agent.get(`/imports/drafts/${key}/map`);
  const form: Record<string, string> = {};
  for (const g of map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)) form[g[1]!] = g[2]!;
  expect((await m.post(`/imports/drafts/${key}/map`, form)).headers.location).to.equal(`/imports/drafts/${key}/options`);
  const started = await m.post(`/imports/drafts/${key}/preview`, options);
  expect(started.headers.location).to.equal(`/imports/drafts/${key}/progress`);
  expect(await waitForJob(m, key)).to.equal(`/imports/drafts/${key}/preview`);
  return key;
}

describe('import wizard: a network’s history (engagements)', function () {
  this.timeout(60000);
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv();
    await importCsv(env.db, 'Name,Email\nAda Lovelace,ada@example.org\nBob Baker,bob@example.org\n');
  });
  afterEach(async () => { await env.close(); });

  it('upload → map → options → preview → commit → result, then undo: the people wizard’s steps with the history’s columns', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const list = await m.agent.get('/imports');
    expect(list.text).to.contain('href="/imports/new?kind=engagements"');
    const form = await m.agent.get('/imports/new?kind=engagements');
    expect(form.text).to.contain('Import a network’s history: choose a file').and.to.match(/id="kind_engagements" name="kind" value="engagements" checked/);
    expect((await m.agent.get('/imports/new')).text).to.match(/id="kind_people" name="kind" value="people" checked/);

    const up = await upload(m, csvFile(HISTORY), 'engagements');
    expect(up.status, up.text).to.equal(303);
    const key = /\/imports\/drafts\/([0-9a-f]{32})\/map$/.exec(up.headers.location)![1]!;
    const map = await m.agent.get(`/imports/drafts/${key}/map`);
    expect(map.status).to.equal(200);
    expect(map.text).to.contain('Import a network’s history: match the columns');
    // the history's own fields, guessed from the German headers
    expect(map.text).to.match(/id="target_2" name="target_2">[\s\S]*?<option value="project" selected>Project title</);
    expect(map.text).to.match(/id="target_4" name="target_4">[\s\S]*?<option value="start_date" selected>/);
    expect(map.text).not.to.contain('value="skills"');

    // a mapping without a project column is refused with the history's wording
    const bad = await m.post(`/imports/drafts/${key}/map`, { target_0: 'email', target_1: 'organisation' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Match columns to the person’s e-mail, the organisation and the project.');

    const mapForm: Record<string, string> = { mapping_name: 'Verlauf' };
    for (const g of map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)) mapForm[g[1]!] = g[2]!;
    expect(mapForm).to.deep.equal({ mapping_name: 'Verlauf', target_0: 'email', target_1: 'organisation', target_2: 'project', target_3: 'role', target_4: 'start_date', target_5: 'end_date', target_6: 'hours' });
    expect((await m.post(`/imports/drafts/${key}/map`, mapForm)).headers.location).to.equal(`/imports/drafts/${key}/options`);

    // the saved mapping is offered to the next history file of this layout, not to a people import of it
    const again = /drafts\/(\w+)\/map/.exec((await upload(m, csvFile(HISTORY), 'engagements')).headers.location)![1]!;
    expect((await m.agent.get(`/imports/drafts/${again}/map`)).text).to.contain('Verlauf');
    const asPeople = /drafts\/(\w+)\/map/.exec((await upload(m, csvFile(HISTORY))).headers.location)![1]!;
    expect((await m.agent.get(`/imports/drafts/${asPeople}/map`)).text).not.to.contain('Verlauf');

    const options = await m.agent.get(`/imports/drafts/${key}/options`);
    expect(options.text).to.contain('same person, project, start date and role').and.to.contain('name="bad_field"').and.not.to.contain('name="new_skills"').and.not.to.contain('name="lossy"');

    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', bad_field: 'fail' });
    expect(await waitForJob(m, key)).to.equal(`/imports/drafts/${key}/preview`);
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('Import a network’s history: preview').and.to.contain('New engagements')
      .and.to.contain('Tafel Nord e.V.').and.to.contain('Neue Website').and.to.contain('Entwicklerin')
      .and.to.contain('“32.13.2022” in “Von” is not a date');
    expect(await count(env.db, 'engagements'), 'the preview writes nothing').to.equal(0);
    expect(await count(env.db, 'organisations')).to.equal(0);
    const problems = await m.agent.get(`/imports/drafts/${key}/problems.csv`).buffer(true).parse((res, cb) => {
      let data = '';
      res.on('data', (c: Buffer) => { data += c.toString('utf8'); });
      res.on('end', () => cb(null, data));
    });
    expect(problems.status).to.equal(200);
    expect(problems.body).to.contain('bob@example.org;Kältehilfe;Newsletter-Tool;;32.13.2022;;8;');

    expect((await m.post(`/imports/drafts/${key}/commit`, {})).status).to.equal(303);
    expect(await waitForJob(m, key)).to.equal(`/imports/drafts/${key}/result`);
    const result = await m.agent.get(`/imports/drafts/${key}/result`);
    const batch = await env.db('import_batches').where({ entity: 'engagements' }).first();
    expect(batch).to.include({ source: 'web', created: 2, errors: 1, status: 'committed', policy: 'skip' });
    expect(result.text).to.contain('New engagements').and.to.contain(`href="/imports/${batch.id}/undo"`).and.to.contain('Undo this import');
    expect(await count(env.db, 'engagements')).to.equal(2);
    // the commit's job knew its rows from the preview
    const job = await env.db('import_jobs').where({ draft_key: key, kind: 'commit' }).first();
    expect(Number(job.rows_total)).to.equal(3);
    expect(Number(job.rows_done)).to.equal(3);
    expect(job.started_at).to.be.a('string');
    const detail = await m.agent.get(`/imports/${batch.id}`);
    expect(detail.text).to.contain('Von → Start date').and.to.contain('Projekt → Project title').and.not.to.contain('People created or changed');

    expect((await m.post(`/imports/${batch.id}/undo`, {})).status).to.equal(303);
    expect(await count(env.db, 'engagements')).to.equal(0);
    expect(await count(env.db, 'organisations')).to.equal(0);
  });

  it('a history file over the upload limit comes back as the history upload (413), not the people one', async () => {
    const m = await login(env, 'history-413@example.org', 'manager');
    env.app.locals.config = { ...env.app.locals.config, uploadLimitBytes: 1024 };
    const res = await upload(m, csvFile('Email,Organisation,Project\n' + 'ada@example.org,Tafel,Website\n'.repeat(100)), 'engagements');
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('larger than 1 KB').and.to.contain('Import a network’s history: choose a file');
  });

  it('with the option, a row with an unreadable date is taken without it, listed, and its person tagged for review; undo takes the tag back', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const key = await toPreview(m, { policy: 'skip', bad_field: 'drop' });
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.text).to.contain('Imported without this field: “32.13.2022” in “Von” is not a date').and.to.contain('Imported without one field');
    expect(await tagsOf(env.db, 'bob@example.org'), 'the preview tags nobody').to.deep.equal([]);
    await m.post(`/imports/drafts/${key}/commit`, {});
    await waitForJob(m, key);
    const result = await m.agent.get(`/imports/drafts/${key}/result`);
    expect(result.text).to.contain('Imported without this field: “32.13.2022” in “Von” is not a date');
    const batch = await env.db('import_batches').where({ entity: 'engagements' }).first();
    expect(batch).to.include({ created: 3, errors: 0 });
    const taken = await env.db('engagements as e').join('projects as p', 'p.id', 'e.project_id').where('p.title', 'Newsletter-Tool').first('e.start_date', 'e.hours');
    expect(taken).to.deep.equal({ start_date: null, hours: 8 });
    expect(await tagsOf(env.db, 'bob@example.org')).to.deep.equal(['Import: check']);
    expect(await tagsOf(env.db, 'ada@example.org')).to.deep.equal([]);
    // a manager finds them by the tag
    const found = await m.agent.get('/people?tag=' + encodeURIComponent('Import: check'));
    expect(found.text).to.contain('Bob Baker').and.not.to.contain('Ada Lovelace');

    expect((await m.post(`/imports/${batch.id}/undo`, {})).status).to.equal(303);
    expect(await tagsOf(env.db, 'bob@example.org')).to.deep.equal([]);
    expect(await env.db('tags').where({ name: 'Import: check' }).first(), 'the tag the batch created goes too').to.equal(undefined);
    expect(await count(env.db, 'engagements')).to.equal(0);
  });

  it('a workbook of a history goes the same way: typed cells (a date, a number) read as the user sees them', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const file = csvFile('', 'history.xlsx');
    const rows: TypedCell[][] = [['ada@example.org', 'Tafel Nord e.V.', 'Neue Website', new Date(Date.UTC(2021, 2, 1)), 40.5]];
    await streamXlsx(rows, (r) => r, createWriteStream(file), { headers: ['E-Mail', 'Organisation', 'Projekt', 'Von', 'Stunden'], kinds: ['text', 'text', 'text', 'day', 'decimal'], sheetName: 'Verlauf' });
    const up = await upload(m, file, 'engagements');
    const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
    const map = await m.agent.get(`/imports/drafts/${key}/map`);
    expect(map.text).to.contain('Verlauf').and.to.match(/id="target_3" name="target_3">[\s\S]*?<option value="start_date" selected>/);
    const form: Record<string, string> = {};
    for (const g of map.text.matchAll(/name="(target_\d+)">[\s\S]*?<option value="(\w+)" selected>/g)) form[g[1]!] = g[2]!;
    await m.post(`/imports/drafts/${key}/map`, form);
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', bad_field: 'fail' });
    await waitForJob(m, key);
    await m.post(`/imports/drafts/${key}/commit`, {});
    await waitForJob(m, key);
    expect(await env.db('engagements').select('start_date', 'hours')).to.deep.equal([{ start_date: '2021-03-01', hours: 40.5 }]);
  });

  it('the option is off by default: the options page has "fail" checked', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const up = await upload(m, csvFile(HISTORY), 'engagements');
    const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
    const options = await m.agent.get(`/imports/drafts/${key}/options`);
    expect(options.text).to.match(/id="bad_field_fail" name="bad_field" value="fail" checked/);
    expect(options.text).to.contain('the person is tagged “Import: check” for review');
  });

  it('a people draft stays a people import: no kind field means people, an unknown kind too', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    for (const kind of [undefined, 'robots']) {
      const up = await upload(m, csvFile('Name,Email\nCarla Diaz,carla@example.org\n'), kind);
      const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
      const map = await m.agent.get(`/imports/drafts/${key}/map`);
      expect(map.text).to.contain('Import people: match the columns').and.to.contain('value="skills"');
    }
  });

  it('the progress page says rows done of rows in all and the time left, in English and German, without JavaScript', async () => {
    const m = await login(env, 'manager@example.org', 'manager');
    const up = await upload(m, csvFile(HISTORY), 'engagements');
    const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
    const user = await env.db('users').where({ email: 'manager@example.org' }).first('id');
    const now = Date.now();
    // a commit a quarter done after 50 s: about 150 s left, "3 minutes"
    await env.db('import_jobs').insert({
      kind: 'commit', entity: 'engagements', source: 'web', draft_key: key, filename: 'x.csv', user_id: user.id, status: 'running',
      bytes: 1000, total: 4000, rows_done: 1000, rows_total: 4000, owner: 'test', heartbeat_at: new Date(now).toISOString(),
      created_at: new Date(now - 90_000).toISOString(), started_at: new Date(now - 50_000).toISOString(),
    });
    const page = await m.agent.get(`/imports/drafts/${key}/progress`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<meta http-equiv="refresh" content="2">').and.to.contain('1,000 of 4,000 rows done').and.to.contain('About 3 minutes left')
      .and.to.contain('value="250"');
    const de = await m.agent.get(`/imports/drafts/${key}/progress`).set('Accept-Language', 'de');
    expect(de.text).to.contain('1.000 von 4.000 Zeilen erledigt').and.to.contain('Noch etwa 3 Minuten');
    const s = await m.agent.get(`/imports/drafts/${key}/status.json`);
    expect(s.body).to.include({ status: 'running', rows: 1000, rowsTotal: 4000, rowsExact: true });
    expect(s.body.secondsLeft).to.be.within(150, 160);
    expect(s.body.text).to.deep.equal({ rows: '1,000 of 4,000 rows done', timeLeft: 'About 3 minutes left' });

    // a preview does not know its rows: estimated from the share of the file read
    await env.db('import_jobs').where({ draft_key: key }).update({ kind: 'preview', rows_total: null, rows_done: 900, bytes: 1000, total: 4000 });
    const preview = await m.agent.get(`/imports/drafts/${key}/progress`);
    expect(preview.text).to.contain('900 of about 3,600 rows done').and.to.contain('About 3 minutes left');
    // just started: no rate yet
    await env.db('import_jobs').where({ draft_key: key }).update({ started_at: new Date().toISOString(), rows_done: 0, bytes: 0 });
    const early = await m.agent.get(`/imports/drafts/${key}/progress`);
    expect(early.text).to.contain('0 rows done').and.to.contain('Estimating the time left');
  });
});
