import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { listTables, referencedTables } from '../support/schema.js';
import { addEngagement, addOrganisation, addProject, addSkill } from '../support/network.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson, deletePerson, updatePerson } from '../../src/people/people.queries.js';
import { isSuppressed, personDataExport, recordConsent } from '../../src/privacy/privacy.queries.js';
import { erasePeople } from '../../src/privacy/retention.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';
import { MERGE_HANDLES, mergePeople, MergeRefused, undoMerge, undoProblem } from '../../src/duplicates/merge.queries.js';
import { findDuplicatesFor, personWithEmail, scanNetwork } from '../../src/duplicates/duplicates.queries.js';
import { defaultChoices, mergedFields, type MergeRecord } from '../../src/duplicates/merge.domain.js';

const fields = (f: Partial<PersonFields>): PersonFields => ({
  first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
  kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
  do_not_contact: false, last_confirmed_at: null, ...f,
});

/** Everything about these people, to compare before a merge and after its undo. */
async function state(db: Knex, ids: number[]) {
  return {
    people: await db('people').whereIn('id', ids).orderBy('id').select(),
    skills: await db('person_skills').whereIn('person_id', ids).orderBy(['person_id', 'skill_id']).select(),
    tags: await db('person_tags').whereIn('person_id', ids).orderBy(['person_id', 'tag_id']).select(),
    engagements: await db('engagements').whereIn('person_id', ids).orderBy('id').select('id', 'person_id'),
    consents: await db('consents').whereIn('person_id', ids).orderBy('id').select('id', 'person_id'),
    audit: await db('audit_log').where('entity_type', 'person').whereIn('entity_id', ids).whereNotIn('action', ['merge', 'unmerge']).orderBy('id').select('id', 'entity_id', 'action'),
    fts: await db('people_fts').whereIn('rowid', ids).orderBy('rowid').select('rowid'),
    links: await db('person_links').whereIn('person_id', ids).orderBy('id').select('id', 'person_id'),
    requests: await db('person_requests').whereIn('person_id', ids).orderBy('id').select('id', 'person_id'),
  };
}

const count = async (db: Knex, table: string, where: Record<string, unknown> = {}) =>
  Number((await db(table).where(where).count<{ n: number }>({ n: '*' }).first())!.n);

describe('merging people', () => {
  let db: Knex;
  let seo: number;
  let wp: number;
  let project: number;
  let a: number;
  let b: number;
  let c: number;
  beforeEach(async () => {
    db = await testDb();
    seo = await addSkill(db, 'SEO');
    wp = await addSkill(db, 'WordPress');
    project = await addProject(db, await addOrganisation(db, 'Tafel Berlin'), 'Website');
    a = await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', phone: '+49 171 1234567', city: 'Berlin', languages: 'German', notes: 'Met at the Tafel.' }), skills: [{ skillId: seo, level: 2 }], tags: ['web'] });
    b = await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'J.', last_name: 'Krueger', email: 'jana.k@gmail.com', phone: '0171 1234567', languages: 'English, German', notes: 'Prefers e-mail.' }), skills: [{ skillId: seo, level: 3 }, { skillId: wp, level: 1 }], tags: ['design'] });
    c = await createPerson(db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krueger', organisation: 'Agentur K', city: 'Berlin', do_not_contact: true }), skills: [], tags: ['web'] });
    await db('person_skills').where({ person_id: a, skill_id: seo }).update({ last_used_at: '2025-03-01' });
    await db('person_skills').where({ person_id: b, skill_id: seo }).update({ last_used_at: '2024-01-01' });
    await addEngagement(db, a, project, { role: 'SEO' });
    await addEngagement(db, b, project, { role: 'Design' });
    await addEngagement(db, c, project, { role: 'Text' });
    await recordConsent(db, SYSTEM_ACTOR, b, { purpose: 'newsletter', status: 'given', method: 'email', noticeText: null });
    await recordConsent(db, SYSTEM_ACTOR, c, { purpose: 'contact_projects', status: 'given', method: 'paper', noticeText: null });
  });
  afterEach(async () => { await db.destroy(); });

  it('the scan finds all three as one group', async () => {
    const r = await scanNetwork(db);
    expect(r.groups).to.deep.equal([[a, b, c]]);
  });

  it('merges three records at once: every engagement, consent and audit entry moves, skills and tags combine', async () => {
    const before = { engagements: await count(db, 'engagements'), consents: await count(db, 'consents'), audit: await count(db, 'audit_log', { entity_type: 'person' }) };
    const mergeId = await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b, c] });
    expect(await db('people').whereIn('id', [b, c]).select('id')).to.deep.equal([]);
    expect(await count(db, 'engagements')).to.equal(before.engagements);
    expect(await count(db, 'engagements', { person_id: a })).to.equal(3);
    expect(await count(db, 'consents', { person_id: a })).to.equal(before.consents);
    // every earlier audit entry now belongs to the kept person, plus the merge entry itself
    expect(await count(db, 'audit_log', { entity_type: 'person', entity_id: a })).to.equal(before.audit + 1);
    const skills = await db('person_skills').where({ person_id: a }).orderBy('skill_id').select('skill_id', 'level', 'last_used_at');
    expect(skills).to.deep.equal([{ skill_id: seo, level: 3, last_used_at: '2025-03-01' }, { skill_id: wp, level: 1, last_used_at: null }]);
    const tags = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', a).orderBy('t.name').pluck('t.name');
    expect(tags).to.deep.equal(['design', 'web']);
    const kept = await db('people').where({ id: a }).first();
    expect(kept.notes).to.equal('Met at the Tafel.\n\nPrefers e-mail.');
    expect(kept.languages).to.equal('German, English');
    expect(kept.do_not_contact).to.equal(1);
    expect(kept.organisation).to.equal('Agentur K'); // the only non-empty value wins
    // b's address is the newest non-empty one, so it wins; a's own becomes an alias that still finds her
    expect(kept.email).to.equal('jana.k@gmail.com');
    const aliases = await db('person_email_aliases').where({ person_id: a }).pluck('email_norm');
    expect(aliases).to.deep.equal(['jana@agentur.de']);
    expect((await personWithEmail(db, ' JANA@agentur.de'))?.id).to.equal(a);
    const audit = await db('audit_log').where({ action: 'merge', entity_id: a }).first();
    expect(JSON.parse(audit.changes)).to.include({ merge_id: mergeId, engagements: 2, consents: 2 });
    // the search index has the kept person only
    expect(await db('people_fts').whereIn('rowid', [a, b, c]).pluck('rowid')).to.deep.equal([a]);
    expect((await scanNetwork(db)).pairs).to.deep.equal([]);
  });

  it('the manager chooses field by field; the default is the newest non-empty value', async () => {
    const records = (await db('people').whereIn('id', [a, b]).select()) as MergeRecord[];
    records.find((r) => r.id === b)!.updated_at = '2099-01-01T00:00:00.000Z';
    const d = defaultChoices(records, a);
    expect(d.email).to.equal(b);
    expect(d.city).to.equal(a); // b has no city
    expect(mergedFields(records, a, { email: a }).email).to.equal('jana@agentur.de');
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b], choices: { first_name: a, last_name: b, email: b } });
    const kept = await db('people').where({ id: a }).first();
    expect([kept.first_name, kept.last_name, kept.email]).to.deep.equal(['Jana', 'Krueger', 'jana.k@gmail.com']);
    // the kept person's own earlier address became the alias
    expect(await db('person_email_aliases').where({ person_id: a }).pluck('email')).to.deep.equal(['jana@agentur.de']);
  });

  it('undo restores all three people exactly', async () => {
    const ids = [a, b, c];
    await db('person_links').insert({ person_id: b, token_hash: 'h'.repeat(64), created_at: '2026-01-01', expires_at: '2027-01-01' });
    await db('person_requests').insert({ person_id: c, kind: 'erase', created_at: '2026-01-01' });
    const before = await state(db, ids);
    const mergeId = await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b, c] });
    // a person's own link and their requests follow them to the kept record
    expect(await db('person_links').pluck('person_id')).to.deep.equal([a]);
    expect(await db('person_requests').pluck('person_id')).to.deep.equal([a]);
    expect(await undoProblem(db, mergeId)).to.equal(null);
    await undoMerge(db, SYSTEM_ACTOR, mergeId);
    const after = await state(db, ids);
    expect(after).to.deep.equal(before);
    expect(await count(db, 'person_email_aliases')).to.equal(0);
    expect(await undoProblem(db, mergeId)).to.equal('undone');
    expect((await scanNetwork(db)).groups).to.deep.equal([[a, b, c]]);
  });

  it('undo is refused once the kept person changed since', async () => {
    const mergeId = await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b] });
    await updatePerson(db, SYSTEM_ACTOR, a, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', city: 'Potsdam' }), skills: [], tags: [] });
    expect(await undoProblem(db, mergeId)).to.equal('changedSince');
    let refused: unknown;
    await undoMerge(db, SYSTEM_ACTOR, mergeId).catch((e) => { refused = e; });
    expect(refused).to.be.instanceOf(MergeRefused);
    expect(await db('people').where({ id: b }).first()).to.equal(undefined);
  });

  it('a merge racing an edit is refused and nothing is lost', async () => {
    const seen = await db('people').whereIn('id', [a, b]).select('id', 'updated_at');
    const versions = Object.fromEntries(seen.map((r) => [r.id, r.updated_at]));
    await new Promise((r) => setTimeout(r, 5));
    await updatePerson(db, SYSTEM_ACTOR, b, { fields: fields({ first_name: 'J.', last_name: 'Krueger', email: 'jana.k@gmail.com', city: 'Hamburg' }), skills: [], tags: [] });
    const before = await state(db, [a, b]);
    let refused: MergeRefused | undefined;
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b], versions }).catch((e) => { refused = e; });
    expect(refused?.problem).to.equal('changed');
    expect(refused?.vars.id).to.equal(b);
    expect(await state(db, [a, b])).to.deep.equal(before);
  });

  it('the door check finds the kept person by a merged-away e-mail, and by name and phone', async () => {
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b], choices: { email: a } });
    const byAlias = await findDuplicatesFor(db, { first_name: 'Jana', last_name: 'Krüger', email: 'JANA.K@gmail.com', phone: null, city: null, postcode: null, country: null, organisation: null });
    expect(byAlias.map((p) => p.b)).to.include(a);
    const byPhone = await findDuplicatesFor(db, { first_name: 'J', last_name: 'Krüger', email: null, phone: '0171/1234567', city: 'Berlin', postcode: null, country: null, organisation: null });
    expect(byPhone[0]?.b).to.equal(a);
    expect(byPhone[0]?.reasons.map((r) => r.key)).to.include('samePhone');
    const nobody = await findDuplicatesFor(db, { first_name: 'Olaf', last_name: 'Schulz', email: 'olaf@example.org', phone: null, city: 'Berlin', postcode: null, country: null, organisation: null });
    expect(nobody).to.deep.equal([]);
  });

  it('erasing a merged person suppresses the merged-away e-mails too and drops the undo copies', async () => {
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b], choices: { email: a } });
    // an access request lists the addresses that still find her
    expect((await personDataExport(db, a))!.email_aliases).to.deep.equal(['jana.k@gmail.com']);
    expect(await isSuppressed(db, 'jana.k@gmail.com')).to.equal(false);
    await erasePeople(db, SYSTEM_ACTOR, [a]);
    expect(await isSuppressed(db, 'jana@agentur.de')).to.equal(true);
    expect(await isSuppressed(db, 'Jana.K@gmail.com')).to.equal(true);
    expect(await count(db, 'person_email_aliases')).to.equal(0);
    expect(await count(db, 'person_merges')).to.equal(0);
  });

  it('deleting the kept person deletes the undo copies of the records merged into them', async () => {
    await mergePeople(db, SYSTEM_ACTOR, { keepId: a, ids: [b, c] });
    await deletePerson(db, SYSTEM_ACTOR, a);
    expect(await count(db, 'person_merges')).to.equal(0);
    expect(await count(db, 'person_email_aliases')).to.equal(0);
  });

  it('knows every table that refers to people: a new one must say what a merge does with its rows', async () => {
    const referring: string[] = [];
    for (const t of await listTables(db)) if ((await referencedTables(db, t)).includes('people')) referring.push(t);
    expect(referring.length).to.be.at.least(8);
    expect(referring.filter((t) => !MERGE_HANDLES[t])).to.deep.equal([]);
  });
});
