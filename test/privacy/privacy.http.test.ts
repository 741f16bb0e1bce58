import { expect } from 'chai';
import type request from 'supertest';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { addPerson, richPerson } from './fixtures.js';

/** supertest keeps binary/unknown bodies as Buffers; read a download as text. */
function bufferParser(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('privacy screens over HTTP', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  describe('consents', () => {
    it('the panel shows the current state per purpose and the history; recording and one-click withdrawal append rows', async () => {
      const { id } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      let page = await m.agent.get(`/people/${id}/privacy`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Newsletter');
      expect(page.text).to.contain('We send a newsletter monthly.');
      expect(page.text).to.contain(`action="/people/${id}/consents/withdraw"`);
      expect(page.text).to.contain(`href="/people/${id}/data-export?format=json"`);
      expect(page.text).to.contain(`href="/people/${id}/data-export?format=csv"`);
      expect(page.text).to.contain(`href="/people/${id}/erase"`);

      const rec = await m.post(`/people/${id}/consents`, { purpose: 'other', purpose_other: 'Photos on the website', status: 'given', method: 'paper', notice_text: 'We may publish photos.', return: 'privacy' });
      expect(rec.status).to.equal(302);
      expect(rec.headers.location).to.equal(`/people/${id}/privacy`);
      const w = await m.post(`/people/${id}/consents/withdraw`, { purpose: 'newsletter' });
      expect(w.status).to.equal(302);
      expect(w.headers.location).to.equal(`/people/${id}`);
      const rows = await env.db('consents').where({ person_id: id }).orderBy('id').select('purpose', 'status', 'method', 'recorded_by_user_id');
      expect(rows.map((r) => `${r.purpose}:${r.status}`)).to.deep.equal(['newsletter:given', 'Photos on the website:given', 'newsletter:withdrawn']);
      expect(rows[1].recorded_by_user_id).to.be.a('number');

      page = await m.agent.get(`/people/${id}/privacy`);
      const current = page.text.slice(page.text.indexOf('consents-current'), page.text.indexOf('consent-history'));
      expect(current).to.contain('Withdrawn');
      expect(current).to.contain('Photos on the website');
      // only the still-given purpose has a withdraw button
      expect(current.match(/consents\/withdraw/g)).to.have.length(1);
      expect(page.text).to.contain('m@example.org'); // recorded by
      expect(page.text).to.contain('Consent withdrawn: Newsletter.');
    });

    it('withdrawing a consent that is not given appends nothing and says so', async () => {
      const id = await addPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.post(`/people/${id}/consents/withdraw`, { purpose: 'newsletter' });
      expect(res.status).to.equal(302);
      expect(await env.db('consents').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect((await m.agent.get(`/people/${id}/privacy`)).text).to.contain('no given consent');
    });

    it('an invalid consent re-renders with 422, the typed values and the message at the field', async () => {
      const id = await addPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.post(`/people/${id}/consents`, { purpose: 'other', purpose_other: '', notice_text: 'Typed notice' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="purpose_other-error"');
      expect(res.text).to.contain('Typed notice');
      expect(res.text).to.match(/<option value="other" selected/);
      expect(await env.db('consents').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    });

    it('German labels', async () => {
      const { id } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const page = await m.agent.get(`/people/${id}/privacy`).set('Accept-Language', 'de');
      expect(page.text).to.contain('Einwilligungen');
      expect(page.text).to.contain('Erteilt');
      expect(page.text).to.contain('Daten herunterladen (JSON)');
    });

    it('staff may record consents and confirm details, but not download, erase or review', async () => {
      const { id } = await richPerson(env.db);
      const org = (await env.db('organisations').first('id')).id;
      const s = await login(env, 's@example.org', 'staff', org);
      expect((await s.post(`/people/${id}/consents`, { purpose: 'directory' })).status).to.equal(302);
      expect((await s.post(`/people/${id}/consents/withdraw`, { purpose: 'directory' })).status).to.equal(302);
      expect((await s.post(`/people/${id}/confirm`, {})).status).to.equal(302);
      const page = await s.agent.get(`/people/${id}/privacy`);
      expect(page.text).to.contain('Record consent');
      expect(page.text).to.not.contain('data-export');
      expect(page.text).to.not.contain(`/people/${id}/erase`);
    });

    it('a viewer sees the panel read-only and gets 403 on every consent POST', async () => {
      const { id } = await richPerson(env.db);
      const v = await login(env, 'v@example.org', 'viewer');
      const page = await v.agent.get(`/people/${id}/privacy`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Newsletter');
      expect(page.text).to.not.contain('consents/withdraw');
      expect(page.text).to.not.contain('Record consent');
      expect((await v.agent.get(`/people/${id}/consents/new`)).status).to.equal(403);
      expect((await v.post(`/people/${id}/consents`, { purpose: 'directory' })).status).to.equal(403);
      expect((await v.post(`/people/${id}/consents/withdraw`, { purpose: 'newsletter' })).status).to.equal(403);
      expect((await v.post(`/people/${id}/confirm`, {})).status).to.equal(403);
      expect(await env.db('consents').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    });

    it('404 for an unknown person', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      expect((await m.agent.get('/people/999/privacy')).status).to.equal(404);
      expect((await m.post('/people/999/consents', { purpose: 'newsletter' })).status).to.equal(404);
      expect((await m.agent.get('/people/999/data-export')).status).to.equal(404);
      expect((await m.agent.get('/people/999/erase')).status).to.equal(404);
      expect((await m.post('/people/999/erase', {})).status).to.equal(404);
    });
  });

  describe('data export', () => {
    it('JSON download with everything, audited with format and row count', async () => {
      const { id } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.agent.get(`/people/${id}/data-export?format=json`);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/application\/json/);
      expect(res.headers['content-disposition']).to.contain(`person-${id}-data.json`);
      expect(res.headers['cache-control']).to.equal('no-store');
      const data = JSON.parse(res.text);
      expect(data.person.email).to.equal('Juergen@Example.org');
      expect(data.skills[0]).to.include({ skill: 'SEO', level: 3 });
      expect(data.engagements[0]).to.include({ project: 'New website', organisation: 'Tafel Nord' });
      expect(data.consents).to.have.length(1);
      const audit = await env.db('audit_log').where({ action: 'export', entity_type: 'person', entity_id: id }).first();
      expect(audit.actor).to.equal('m@example.org');
      const changes = JSON.parse(audit.changes);
      expect(changes).to.include({ format: 'json', kind: 'data-export' });
      // profile + 1 skill + 2 tags + 1 engagement + 1 consent + 1 import + 2 audit entries
      expect(changes.rows).to.equal(9);
    });

    it('CSV download opens: BOM, section;field;value rows, CRLF, audited', async () => {
      const { id } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.agent.get(`/people/${id}/data-export?format=csv`).buffer(true).parse(bufferParser);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).to.contain(`person-${id}-data.csv`);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      const lines = text.split('\r\n');
      expect(lines[0]).to.equal('section;field;value');
      expect(lines).to.include('person;last_name;Schäfer');
      expect(lines).to.include("person;phone;'+49 30 1234567");
      expect(lines).to.include('skills;1.skill;SEO');
      expect(lines).to.include('engagements;1.organisation;Tafel Nord');
      expect(lines).to.include('consents;1.purpose;newsletter');
      expect(JSON.parse((await env.db('audit_log').where({ action: 'export', entity_id: id }).first()).changes).format).to.equal('csv');
    });

    it('Excel download: the same rows as typed text in a workbook, audited', async () => {
      const ExcelJS = (await import('exceljs')).default;
      const { id } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.agent.get(`/people/${id}/data-export?format=xlsx`).buffer(true).parse(bufferParser);
      expect(res.status).to.equal(200);
      expect(res.headers['content-disposition']).to.contain(`person-${id}-data.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const rows = wb.worksheets[0]!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
      expect(rows[0]).to.deep.equal(['section', 'field', 'value']);
      expect(rows).to.deep.include(['person', 'phone', '+49 30 1234567']);
      expect(rows).to.deep.include(['person', 'last_name', 'Schäfer']);
      expect(wb.worksheets[0]!.getRow(1).font?.bold).to.equal(true);
      const audit = await env.db('audit_log').where({ action: 'export', entity_id: id }).orderBy('id', 'desc').first();
      expect(JSON.parse(audit.changes).format).to.equal('xlsx');
    });

    it('an unknown format is a 400', async () => {
      const id = await addPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      expect((await m.agent.get(`/people/${id}/data-export?format=xml`)).status).to.equal(400);
    });
  });

  describe('erasure', () => {
    it('asks first, listing what goes; then erases, pseudonymises and suppresses', async () => {
      const { id, other } = await richPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      const confirm = await m.agent.get(`/people/${id}/erase`);
      expect(confirm.status).to.equal(200);
      expect(confirm.text).to.contain('1 engagement');
      expect(confirm.text).to.contain('1 consent record');
      expect(confirm.text).to.contain('1 skill and 2 tags');
      expect(confirm.text).to.contain('one-way hash');
      expect(await env.db('people').where({ id }).first()).to.not.equal(undefined);
      const res = await m.post(`/people/${id}/erase`, {});
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/people');
      expect(await env.db('people').where({ id }).first()).to.equal(undefined);
      expect(await env.db('people_fts').where({ rowid: id }).first()).to.equal(undefined);
      expect(await env.db('suppressions').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
      const erase = await env.db('audit_log').where({ action: 'erase', entity_id: id }).first();
      expect(erase.actor).to.equal('m@example.org');
      expect((await m.agent.get('/people')).text).to.contain(`Person #${id} was erased.`);
      expect(await env.db('people').where({ id: other }).first()).to.not.equal(undefined);
    });
  });

  describe('stale-record review', () => {
    let staleIds: number[];
    let fresh: number;
    beforeEach(async () => {
      staleIds = [];
      for (const name of ['Alt', 'Berg', 'Cole']) {
        const id = await addPerson(env.db, { last_name: name, email: `${name.toLowerCase()}@example.org` });
        await env.db('people').where({ id }).update({ created_at: '2019-05-01T00:00:00.000Z' });
        staleIds.push(id);
      }
      fresh = await addPerson(env.db, { last_name: 'Fresh', email: 'fresh@example.org' });
    });

    it('lists only stale records, with checkboxes', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const page = await m.agent.get('/privacy/review');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Records to review: 3');
      for (const id of staleIds) expect(page.text).to.contain(`name="ids" value="${id}"`);
      expect(page.text).to.not.contain(`value="${fresh}"`);
      expect(page.text).to.contain('24 months');
    });

    it('bulk re-confirm sets today and audits', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.post('/privacy/review', { action: 'confirm', ids: [String(staleIds[0]), String(staleIds[1])] });
      expect(res.status).to.equal(302);
      const today = new Date().toISOString().slice(0, 10);
      expect((await env.db('people').where({ id: staleIds[0] }).first()).last_confirmed_at).to.equal(today);
      expect((await env.db('people').where({ id: staleIds[2] }).first()).last_confirmed_at).to.equal(null);
      expect(await env.db('audit_log').where({ action: 'confirm' }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
      const page = await m.agent.get('/privacy/review');
      expect(page.text).to.contain('2 people re-confirmed.');
      expect(page.text).to.contain('Records to review: 1');
    });

    it('bulk erase shows a confirmation with the count first, then erases', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const ids = staleIds.slice(0, 2).map(String);
      const ask = await m.post('/privacy/review', { action: 'erase', ids });
      expect(ask.status).to.equal(200);
      expect(ask.text).to.contain('Erase 2 people?');
      expect(ask.text).to.contain('name="confirmed" value="1"');
      expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 4 });
      const done = await m.post('/privacy/review', { action: 'erase', ids, confirmed: '1' });
      expect(done.status).to.equal(302);
      expect(await env.db('people').whereIn('id', staleIds.slice(0, 2)).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await env.db('suppressions').count({ n: '*' }).first()).to.deep.equal({ n: 2 });
      expect(await env.db('audit_log').where({ action: 'erase' }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    });

    it('bulk anonymise asks, then anonymises and takes them off the list', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const ids = [String(staleIds[2])];
      const ask = await m.post('/privacy/review', { action: 'anonymise', ids });
      expect(ask.status).to.equal(200);
      expect(ask.text).to.contain('Anonymise 1 person?');
      expect((await m.post('/privacy/review', { action: 'anonymise', ids, confirmed: '1' })).status).to.equal(302);
      const p = await env.db('people').where({ id: staleIds[2] }).first();
      expect(p.last_name).to.equal(`#${staleIds[2]}`);
      expect(p.email).to.equal(null);
      const page = await m.agent.get('/privacy/review');
      expect(page.text).to.contain('Records to review: 2');
      expect(page.text).to.contain('1 person anonymised.');
    });

    it('nothing ticked or no action: 422 with a message, nothing changes', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const none = await m.post('/privacy/review', { action: 'erase' });
      expect(none.status).to.equal(422);
      expect(none.text).to.contain('tick at least one person');
      const bad = await m.post('/privacy/review', { action: 'delete-all', ids: [String(staleIds[0])] });
      expect(bad.status).to.equal(422);
      expect(bad.text).to.contain('choose an action');
      expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 4 });
    });

    it('a single person: confirm details button', async () => {
      const m = await login(env, 'm@example.org', 'manager');
      const res = await m.post(`/people/${staleIds[0]}/confirm`, {});
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/people/${staleIds[0]}`);
      expect((await env.db('people').where({ id: staleIds[0] }).first()).last_confirmed_at).to.equal(new Date().toISOString().slice(0, 10));
    });
  });

  describe('roles', () => {
    for (const role of ['viewer', 'staff'] as const) {
      it(`${role} gets 403 on downloads, erasure and the review, GET and POST`, async () => {
        const { id } = await richPerson(env.db);
        const org = (await env.db('organisations').first('id')).id;
        const u: LoggedIn = await login(env, `${role}@example.org`, role, role === 'staff' ? org : null);
        expect((await u.agent.get(`/people/${id}/data-export?format=json`)).status).to.equal(403);
        expect((await u.agent.get(`/people/${id}/data-export?format=csv`)).status).to.equal(403);
        expect((await u.agent.get(`/people/${id}/erase`)).status).to.equal(403);
        expect((await u.post(`/people/${id}/erase`, {})).status).to.equal(403);
        expect((await u.agent.get('/privacy/review')).status).to.equal(403);
        expect((await u.post('/privacy/review', { action: 'erase', ids: [String(id)], confirmed: '1' })).status).to.equal(403);
        expect((await u.post('/privacy/review', { action: 'confirm', ids: [String(id)] })).status).to.equal(403);
        expect(await env.db('people').where({ id }).first()).to.not.equal(undefined);
        expect(await env.db('audit_log').where({ action: 'export' }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      });
    }

    it('an admin may do everything a manager may', async () => {
      const id = await addPerson(env.db);
      const a = await login(env, 'a@example.org', 'admin');
      expect((await a.agent.get(`/people/${id}/erase`)).status).to.equal(200);
      expect((await a.agent.get('/privacy/review')).status).to.equal(200);
      expect((await a.agent.get(`/people/${id}/data-export`)).status).to.equal(200);
    });

    it('POSTs without a CSRF token are refused', async () => {
      const id = await addPerson(env.db);
      const m = await login(env, 'm@example.org', 'manager');
      expect((await m.agent.post(`/people/${id}/erase`).type('form').send({})).status).to.equal(403);
      expect((await m.agent.post(`/people/${id}/consents/withdraw`).type('form').send({ purpose: 'x' })).status).to.equal(403);
      expect(await env.db('people').where({ id }).first()).to.not.equal(undefined);
    });
  });
});
