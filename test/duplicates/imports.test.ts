import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { counts, importCsv } from '../imports/helpers.js';
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
