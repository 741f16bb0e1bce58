import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork, type Network } from './network.js';
import { findAllPeopleIds, findPeople } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { looserSearches } from '../../src/search/looser.service.js';
import { skillNorms } from '../../src/search/vocabulary.queries.js';
import { createSkill } from '../../src/skills/skills.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { makeTranslator } from '../../src/i18n/i18n.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js';

const t = makeTranslator(catalog, 'en');

describe('the search box read as filters, on a database', () => {
  let db: Knex;
  let net: Network;
  before(async () => {
    db = await testDb();
    net = await buildNetwork(db);
  });
  after(async () => { await db.destroy(); });

  const search = (params: Record<string, unknown>) => findPeople(db, parsePeopleFilters(params), { pageSize: 100 });
  const ids = async (params: Record<string, unknown>) => (await search(params)).rows.map((r) => r.id).sort();

  it('typing skills and a city finds what the same filters find', async () => {
    const typed = await search({ q: 'WordPress SEO Berlin' });
    expect(typed.rows.map((r) => r.id)).to.deep.equal([net.people.jurgen]);
    expect(await ids({ skill: ['WordPress', 'SEO'], city: 'Berlin' })).to.deep.equal([net.people.jurgen]);
    expect(typed.interpretation!.items.map((i) => [i.kind, i.label])).to.deep.equal([['skill', 'WordPress'], ['skill', 'SEO'], ['city', 'Berlin']]);
    expect(typed.interpretation!.text).to.equal('');
  });

  it('German names and aliases, any case; the rest stays text', async () => {
    expect(await ids({ q: 'suchmaschinenoptimierung berlin' })).to.deep.equal([net.people.jurgen]);
    expect(await ids({ q: 'wp schmidt' })).to.deep.equal([net.people.anna]);
    expect(await ids({ q: 'German Mentor' })).to.deep.equal([net.people.anna, net.people.clara].sort((a, b) => a - b));
    // languages are ISO codes: their English and German names both name the filter
    expect(await ids({ q: 'deutsch mentor' })).to.deep.equal([net.people.anna, net.people.clara].sort((a, b) => a - b));
  });

  it('a language in either language is the same ISO code filter (the languages module reads it)', async () => {
    const english = await search({ q: 'German Mentor' });
    const german = await search({ q: 'deutsch mentor' });
    expect(english.interpretation!.items.map((i) => [i.kind, i.value])).to.deep.equal([['language', 'de'], ['tag', 'Mentor']]);
    expect(german.interpretation!.items.map((i) => [i.kind, i.value])).to.deep.equal([['language', 'de'], ['tag', 'Mentor']]);
    expect(german.rows.map((r) => r.id)).to.deep.equal(english.rows.map((r) => r.id));
    expect((await search({ q: 'de en' })).interpretation!.items, 'bare codes are words, not languages').to.deep.equal([]);
  });

  it('a quoted word is searched as text', async () => {
    const r = await search({ q: '"Berlin" WordPress' });
    expect(r.interpretation!.items.map((i) => i.kind)).to.deep.equal(['skill']);
    // "Berlin" as text: in the documents of the people living there (and the organisation name "Tafel Berlin" is not in any)
    expect(r.rows.map((x) => x.id).sort()).to.deep.equal([net.people.anna, net.people.jurgen].sort((a, b) => a - b));
  });

  it('exports and campaigns read the box the same way', async () => {
    expect(await findAllPeopleIds(db, parsePeopleFilters({ q: 'WordPress SEO Berlin' }))).to.deep.equal([net.people.jurgen]);
  });

  it('a new skill, alias and city are understood at the next search (the change feed)', async () => {
    expect((await search({ q: 'Fundraising' })).interpretation!.items).to.have.length(0);
    const skill = await createSkill(db, SYSTEM_ACTOR, { name: 'Fundraising', name_de: 'Spendenwerbung', category_id: null, description: null, aliases: ['Mittelakquise'] });
    const v = validatePerson({ first_name: 'Hanna', last_name: 'Lenz', city: 'Frankfurt am Main', kind: 'volunteer', availability: 'available', skill_id: [String(skill)], skill_level: ['2'] });
    if (!v.ok) throw new Error('invalid');
    const hanna = await createPerson(db, SYSTEM_ACTOR, v.value);
    const r = await search({ q: 'mittelakquise frankfurt am main' });
    expect(r.interpretation!.items.map((i) => i.kind)).to.deep.equal(['skill', 'city']);
    expect(r.rows.map((x) => x.id)).to.deep.equal([hanna]);
  });

  it('the skill names relevance reads follow a new skill and alias (the same lookup tables, refreshed by the feed)', async () => {
    const before = await skillNorms(db);
    expect(before.some(([, n]) => n === 'datenschutzberatung')).to.equal(false);
    const skill = await createSkill(db, SYSTEM_ACTOR, { name: 'Data protection advice', name_de: null, category_id: null, description: null, aliases: ['Datenschutzberatung'] });
    const after = await skillNorms(db);
    expect(after).to.deep.include([skill, 'datenschutzberatung']);
    expect(after).to.deep.include([skill, 'data protection advice']);
  });

  it('nothing found: the nearest looser searches with their counts', async () => {
    const f = parsePeopleFilters({ q: 'WordPress Photography Berlin' });
    const r = await findPeople(db, f);
    expect(r.total).to.equal(0);
    const looser = await looserSearches(db, f, r, t, 'en', async (g) => (await findPeople(db, g, { pageSize: 1 })).total);
    const byLabel = Object.fromEntries(looser.map((l) => [l.label, l.count]));
    expect(byLabel['any of the skills instead of all']).to.equal(2); // Berlin: Jürgen and Anna (WordPress); Emil is do-not-contact
    expect(byLabel).to.not.have.property('without Berlin'); // nobody has both skills anywhere: not offered
    expect(byLabel['without Photography']).to.equal(2);
    const any = looser.find((l) => l.label.startsWith('any'))!;
    expect(any.href).to.contain('match=any');
  });

  it('nothing found: a similar skill name for an unknown one', async () => {
    const f = parsePeopleFilters({ skill: 'Newsleter' });
    const r = await findPeople(db, f);
    const looser = await looserSearches(db, f, r, t, 'en', async (g) => (await findPeople(db, g, { pageSize: 1 })).total);
    expect(looser.map((l) => [l.label, l.count])).to.deep.include(['Newsletter instead of “Newsleter”', 2]);
  });
});
