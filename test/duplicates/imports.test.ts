import { expect } from 'chai';
import type { Knex } from 'knex';
import { login, testDb, testEnv, type TestEnv } from '../support/app.js';
import { counts, csvFile, importCsv, jobSettled } from '../imports/helpers.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';
import { mergePeople } from '../../src/duplicates/merge.queries.js';

const fields = (f: Partial<PersonFields>): PersonFields => ({
  first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
  kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
  do_not_contact: false, last_confirmed_at: null, ...f,
});

describe('imports match the e-mail of a person merged away', () => {
  let db: Knex;
  afterEach(async () => { await db.destroy(); });

  it('a row with the old address updates the kept person instead of bringing the record back', async () => {
    db = await testDb();
    const a = await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de' }), skills: [], tags: [] });
    const b = await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'J.', last_name: 'Krueger', email: 'jana.k@gmail.com' }), skills: [], tags: [] });
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b], choices: { email: a } });
    const csv = 'First name,Last name,Email,City\nJana,Krueger,Jana.K@gmail.com,Berlin\n';
    expect(counts(await importCsv(db, csv))).to.deep.include({ rows: 1, created: 0, skipped: 1 });
    expect(counts(await importCsv(db, csv, { policy: 'fill' }))).to.deep.include({ created: 0, updated: 1 });
    expect(await db('people').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    expect((await db('people').where({ id: a }).first()).city).to.equal('Berlin');
  });
});

describe('the import preview flags likely duplicates', function () {
  this.timeout(30000);
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('a new row that is probably someone already here is marked, with the person linked and the reasons', async () => {
    const jana = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', phone: '+49 171 1234567', city: 'Berlin' }), skills: [], tags: [] });
    const m = await login(env, 'manager@example.org', 'manager');
    const file = csvFile('Vorname;Nachname;E-Mail;Telefon;Ort\nJ.;Krueger;jk@posteo.de;0171 1234567;Berlin\nOlaf;Schulz;olaf@example.org;;Kiel\n');
    const token = await m.csrf('/imports/new');
    const up = await m.agent.post('/imports/new').field('_csrf', token).attach('file', file);
    const key = /drafts\/(\w+)\/map/.exec(up.headers.location)![1]!;
    await m.post(`/imports/drafts/${key}/preview`, { policy: 'skip', new_skills: 'yes' });
    // until the preview job is done (it may wait for the import lock first, then run)
    expect((await jobSettled(m, key)).status).to.equal('done');
    const preview = await m.agent.get(`/imports/drafts/${key}/preview`);
    expect(preview.status).to.equal(200);
    expect(preview.text).to.contain('1 row looks like a person already in Skillnet');
    expect(preview.text).to.match(/looks like Jana Krüger \(score \d+\)/);
    expect(preview.text).to.contain(`href="/people/${jana}"`);
    expect(preview.text).to.contain('same phone (+491711234567)');
    expect((preview.text.match(/looks like /g) ?? []).length).to.equal(2); // the summary line and Jana's row, not Olaf's
  });
});
