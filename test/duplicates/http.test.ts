import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';
import type { Role } from '../../src/users/roles.domain.js';

const fields = (f: Partial<PersonFields>): PersonFields => ({
  first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
  kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
  do_not_contact: false, last_confirmed_at: null, ...f,
});

describe('duplicates over HTTP', () => {
  let env: TestEnv;
  let jana: number;
  let j: number;
  let hans: number;
  let hansJr: number;
  beforeEach(async () => {
    env = await testEnv();
    jana = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', phone: '+49 171 1234567', city: 'Berlin' }), skills: [], tags: [] });
    j = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'J.', last_name: 'Krueger', email: 'jana.k@gmail.com', phone: '0171 1234567', city: 'Berlin' }), skills: [], tags: [] });
    hans = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Hans', last_name: 'Müller', email: 'hans@web.de', city: 'Leipzig' }), skills: [], tags: [] });
    hansJr = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Hans', last_name: 'Müller', email: 'hans.jr@gmx.de', city: 'Leipzig' }), skills: [], tags: [] });
  });
  afterEach(async () => { await env.close(); });

  const pages = ['/people/duplicates', () => `/people/merge?ids=${jana}&ids=${j}`];
  const access: [Role, number][] = [['admin', 200], ['manager', 200], ['staff', 403], ['viewer', 403]];
  for (const [role, status] of access) {
    it(`${role}: duplicates list and merge form answer ${status}`, async () => {
      const u = await login(env, `${role}@example.org`, role);
      for (const p of pages) {
        const path = typeof p === 'string' ? p : p();
        expect((await u.agent.get(path)).status, path).to.equal(status);
      }
      if (status === 403) {
        expect((await u.post('/people/merge', { ids: [String(jana), String(j)], keep: String(jana) })).status).to.equal(403);
        expect((await u.post('/people/duplicates/dismiss', { a: String(jana), b: String(j) })).status).to.equal(403);
        expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 4 });
      }
    });
  }

  it('lists the likely pair with its reasons, not the father and son', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.agent.get('/people/duplicates');
    expect(res.text).to.contain('same phone (+491711234567)');
    expect(res.text).to.contain('initial matches: Jana Krüger / J. Krueger');
    expect(res.text).to.contain(`/people/merge?ids=${jana}&amp;ids=${j}`);
    expect(res.text).to.not.contain(`/people/${hansJr}"`);
    const de = await m.agent.get('/people/duplicates').set('Accept-Language', 'de');
    expect(de.text).to.contain('gleiche Telefonnummer');
  });

  it('"different people" keeps the pair out of the list for good', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people/duplicates/dismiss', { a: String(j), b: String(jana) });
    expect(res.status).to.equal(302);
    const page = await m.agent.get('/people/duplicates');
    expect(page.text).to.contain('Marked as different people');
    expect(page.text).to.contain('No likely duplicates found.');
    expect(await env.db('duplicate_dismissals').select('person_low', 'person_high')).to.deep.equal([{ person_low: jana, person_high: j }]);
  });

  it('merges through the form with a field choice, then undoes it from the person page', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const form = await m.agent.get(`/people/merge?ids=${jana}&ids=${j}&keep=${jana}`);
    expect(form.text).to.contain(`name="version_${j}"`);
    const version = (id: number) => new RegExp(`name="version_${id}" value="([^"]+)"`).exec(form.text)![1]!;
    const res = await m.post('/people/merge', {
      ids: [String(jana), String(j)], keep: String(jana), choice_email: String(j), choice_first_name: String(jana),
      [`version_${jana}`]: version(jana), [`version_${j}`]: version(j),
    });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/people/${jana}`);
    const kept = await env.db('people').where({ id: jana }).first();
    expect([kept.first_name, kept.email]).to.deep.equal(['Jana', 'jana.k@gmail.com']);
    expect(await env.db('people').where({ id: j }).first()).to.equal(undefined);
    const page = await m.agent.get(`/people/${jana}`);
    // the last name was not chosen: the newest non-empty value (the second record's) won
    expect(page.text).to.contain('2 records were merged into Jana Krueger.');
    expect(page.text).to.contain(`/people/merges/`);
    const mergeId = (await env.db('person_merges').first('id')).id;
    // the search sees the merged person at once
    const search = await m.agent.get('/people?q=krueger');
    expect(search.text).to.contain(`/people/${jana}"`);
    expect(search.text).to.not.contain(`/people/${j}"`);
    const undo = await m.post(`/people/merges/${mergeId}/undo`, {});
    expect(undo.status).to.equal(302);
    expect((await env.db('people').where({ id: j }).first()).email).to.equal('jana.k@gmail.com');
    expect((await env.db('people').where({ id: jana }).first()).email).to.equal('jana@agentur.de');
    expect((await m.agent.get(`/people/${jana}`)).text).to.contain('The merge was undone');
  });

  it('a merge racing an edit is refused with a message and the current values', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const form = await m.agent.get(`/people/merge?ids=${jana}&ids=${j}`);
    const version = (id: number) => new RegExp(`name="version_${id}" value="([^"]+)"`).exec(form.text)![1]!;
    await new Promise((r) => setTimeout(r, 5));
    const edit = await m.post(`/people/${j}`, { first_name: 'J.', last_name: 'Krueger', email: 'jana.k@gmail.com', phone: '0171 1234567', city: 'Hamburg', kind: 'volunteer', availability: 'available' });
    expect(edit.status).to.equal(302);
    const res = await m.post('/people/merge', { ids: [String(jana), String(j)], keep: String(jana), [`version_${jana}`]: version(jana), [`version_${j}`]: version(j) });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('was changed by someone else since you opened this page');
    expect(res.text).to.contain('Hamburg');
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 4 });
  });

  it('an admin sets the region for phone numbers without a country code; managers may not', async () => {
    await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Lukas', last_name: 'Gruber', phone: '0664 1234567' }), skills: [], tags: [] });
    await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Lukas', last_name: 'Gruber', phone: '+43 664 1234567', email: 'lukas@example.at' }), skills: [], tags: [] });
    const m = await login(env, 'm@example.org', 'manager');
    expect((await m.agent.get('/people/duplicates')).text).to.not.contain('same phone (+436641234567)');
    expect((await m.post('/people/duplicates/phone-region', { phone_region: 'AT' })).status).to.equal(403);
    const a = await login(env, 'a@example.org', 'admin');
    const page = await a.agent.get('/people/duplicates');
    expect(page.text).to.contain('<option value="DE" selected>Germany</option>');
    expect((await a.post('/people/duplicates/phone-region', { phone_region: 'AT' })).status).to.equal(302);
    expect((await a.agent.get('/people/duplicates')).text).to.contain('same phone (+436641234567)');
    await a.post('/people/duplicates/phone-region', { phone_region: 'XX' });
    expect((await env.db('settings').where({ key: 'phone_region' }).first()).value).to.equal('AT');
  });

  it('merging an id that is gone explains it instead of failing', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people/merge', { ids: [String(hans), '999'], keep: String(hans) });
    expect(res.status).to.equal(302);
    expect((await m.agent.get('/people/duplicates')).text).to.contain('in the meantime');
  });
});

describe('duplicates at the door: the person form', () => {
  let env: TestEnv;
  let jana: number;
  beforeEach(async () => {
    env = await testEnv();
    jana = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', phone: '+49 171 1234567', city: 'Berlin' }), skills: [], tags: [] });
  });
  afterEach(async () => { await env.close(); });

  const second = { first_name: 'Jana', last_name: 'Krueger', city: 'Berlin', kind: 'volunteer', availability: 'available' };
  const count = async () => Number((await env.db('people').count<{ n: number }>({ n: '*' }).first())!.n);

  it('a second "Jana Krüger, Berlin" is not saved without a warning that links the existing person', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', second);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('This may be someone already in Skillnet');
    expect(res.text).to.contain(`href="/people/${jana}"`);
    expect(res.text).to.contain(`href="/people/${jana}/edit"`);
    expect(res.text).to.contain('names alike: Jana Krueger / Jana Krüger');
    expect(res.text).to.contain('value="Krueger"'); // what was typed is kept
    expect(await count()).to.equal(1);
    // saving again without choosing "different people" warns again
    expect((await m.post('/people', { ...second, distinct_from: String(jana) })).status).to.equal(409);
    expect(await count()).to.equal(1);
  });

  it('"these are different people" saves and remembers the pair as not a duplicate', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', { ...second, distinct_from: String(jana), confirm_distinct: '1' });
    expect(res.status).to.equal(302);
    const id = Number(res.headers.location!.split('/').pop());
    expect(await count()).to.equal(2);
    expect(await env.db('duplicate_dismissals').select('person_low', 'person_high')).to.deep.equal([{ person_low: jana, person_high: id }]);
    expect((await m.agent.get('/people/duplicates')).text).to.contain('No likely duplicates found.');
  });

  it('someone new is saved straight away', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const res = await m.post('/people', { first_name: 'Olaf', last_name: 'Schulz', city: 'Berlin', kind: 'volunteer', availability: 'available' });
    expect(res.status).to.equal(302);
  });

  it('"e-mail already used" links the person it belongs to, also for an address merged away', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const taken = await m.post('/people', { ...second, first_name: 'Olaf', last_name: 'Schulz', email: 'JANA@agentur.de' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Another person already has this e-mail.');
    expect(taken.text).to.contain('This e-mail belongs to Jana Krüger.');
    expect(taken.text).to.contain(`href="/people/${jana}"`);
    await env.db('person_email_aliases').insert({ person_id: jana, email: 'old@example.org', email_norm: 'old@example.org', created_at: '2026-01-01T00:00:00Z' });
    const alias = await m.post('/people', { ...second, first_name: 'Olaf', last_name: 'Schulz', email: 'old@example.org' });
    expect(alias.status).to.equal(422);
    expect(alias.text).to.contain('This e-mail belongs to Jana Krüger.');
  });
});

describe('duplicates at the door: the person edit form', () => {
  let env: TestEnv;
  let jana: number;
  let olaf: number;
  beforeEach(async () => {
    env = await testEnv();
    jana = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana@agentur.de', phone: '+49 171 1234567', city: 'Berlin' }), skills: [], tags: [] });
    olaf = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Olaf', last_name: 'Schulz', city: 'Hamburg' }), skills: [], tags: [] });
  });
  afterEach(async () => { await env.close(); });

  const olafAs = (over: Record<string, string>) => ({ first_name: 'Olaf', last_name: 'Schulz', city: 'Hamburg', kind: 'volunteer', availability: 'available', ...over });
  const versionOf = (html: string) => /name="version" value="([^"]+)"/.exec(html)![1]!;

  it('an edit that makes someone look like another person warns before saving, links them, and keeps what was typed and the version', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const version = versionOf((await m.agent.get(`/people/${olaf}/edit`)).text);
    const res = await m.post(`/people/${olaf}`, olafAs({ first_name: 'Jana', last_name: 'Krueger', city: 'Berlin', version }));
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('This may be someone already in Skillnet');
    expect(res.text).to.contain(`href="/people/${jana}"`).and.to.contain(`href="/people/${jana}/edit"`);
    expect(res.text).to.contain('names alike: Jana Krueger / Jana Krüger').and.to.contain('value="Krueger"');
    expect(versionOf(res.text)).to.equal(version);
    expect(res.text, 'not the person being edited').to.not.contain(`name="distinct_from" value="${olaf}"`);
    expect((await env.db('people').where({ id: olaf }).first()).last_name, 'nothing saved').to.equal('Schulz');
  });

  it('"these are different people" saves the edit and remembers the pair', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const version = versionOf((await m.agent.get(`/people/${olaf}/edit`)).text);
    const renamed = { first_name: 'Jana', last_name: 'Krueger', city: 'Berlin' };
    expect((await m.post(`/people/${olaf}`, olafAs({ ...renamed, version }))).status, 'warned first').to.equal(409);
    const res = await m.post(`/people/${olaf}`, olafAs({ ...renamed, version, distinct_from: String(jana), confirm_distinct: '1' }));
    expect(res.status).to.equal(302);
    expect((await env.db('people').where({ id: olaf }).first()).last_name).to.equal('Krueger');
    expect(await env.db('duplicate_dismissals').select('person_low', 'person_high')).to.deep.equal([{ person_low: jana, person_high: olaf }]);
    // and the next edit of either does not ask again
    const next = versionOf((await m.agent.get(`/people/${olaf}/edit`)).text);
    expect((await m.post(`/people/${olaf}`, olafAs({ ...renamed, job_title: 'Designerin', version: next }))).status).to.equal(302);
  });

  it('an edit that changes nothing about who they resemble saves straight away (no warning about an old likeness on every save)', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const twin = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krueger', city: 'Berlin' }), skills: [], tags: [] });
    const version = versionOf((await m.agent.get(`/people/${twin}/edit`)).text);
    const res = await m.post(`/people/${twin}`, { first_name: 'Jana', last_name: 'Krueger', city: 'Berlin', job_title: 'Designerin', kind: 'volunteer', availability: 'available', version });
    expect(res.status).to.equal(302);
  });
});
