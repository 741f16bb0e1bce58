// One e-mail hash (privacy's): what an erasure stores and what an import looks up must agree for every spelling
// of an address, or an erased person comes back with the next spreadsheet.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { emailHash } from '../../src/privacy/privacy.domain.js';
import { isSuppressed } from '../../src/privacy/privacy.queries.js';
import { erasePeople } from '../../src/privacy/retention.queries.js';
import { addPerson } from './fixtures.js';
import { counts, importCsv } from '../imports/helpers.js';

describe('one e-mail hash for erasure and import', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  it('the same hash for any case or surrounding spaces; none for an empty address', () => {
    const h = emailHash('juergen@example.org');
    expect(h).to.match(/^[0-9a-f]{64}$/);
    for (const v of ['Juergen@Example.org', '  JUERGEN@EXAMPLE.ORG ', '\tjuergen@example.org\n']) expect(emailHash(v), v).to.equal(h);
    expect(emailHash('juergen@example.com')).to.not.equal(h);
    expect(emailHash('   ')).to.equal(null);
    expect(emailHash(null)).to.equal(null);
  });

  it('a person erased through privacy is skipped by the import whatever the spelling', async () => {
    const id = await addPerson(db, { email: ' Juergen@Example.ORG' });
    expect(await erasePeople(db, SYSTEM_ACTOR, [id])).to.equal(1);
    const stored = await db('suppressions').select('email_hash');
    expect(stored).to.deep.equal([{ email_hash: emailHash('juergen@example.org') }]);
    const variants = ['juergen@example.org', '"  JUERGEN@example.org  "', 'Juergen@EXAMPLE.org'];
    for (const v of variants) expect(await isSuppressed(db, v.replace(/"/g, '')), v).to.equal(true);
    const s = await importCsv(db, `Email,First Name\n${variants.map((v, i) => `${v},J${i}`).join('\n')}\nother@example.org,Other\n`, { policy: 'update' });
    expect(counts(s)).to.include({ created: 1, skipped: 3 });
    expect(s.suppressed).to.equal(3);
    expect(await db('people').pluck('email')).to.deep.equal(['other@example.org']);
  });
});
