import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { buildNetwork, type Network } from './network.js';
import { findAllPeopleIds, findPeople, forgetSnapshot, resolveSkills } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { facetGroups } from '../../src/search/view.domain.js';
import { mergeSkills } from '../../src/skills/skills.queries.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { makeTranslator } from '../../src/i18n/i18n.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages

const t = makeTranslator(catalog, 'en');

describe('people search on a known network', () => {
  let db: Knex;
  let net: Network;
  before(async () => {
    db = await testDb();
    net = await buildNetwork(db);
  });
  after(async () => { await db.destroy(); });

  const search = (params: Record<string, unknown>) => findPeople(db, parsePeopleFilters(params), { pageSize: 100 });
  const names = async (params: Record<string, unknown>) =>
    (await search(params)).rows.map((r) => `${r.first_name} ${r.last_name}`).sort();

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['diacritics: muller finds Müller', { q: 'muller' }, ['Jürgen Müller']],
    ['German spelling: mueller finds Müller', { q: 'Mueller' }, ['Jürgen Müller']],
    ['diacritics: schafer finds Schäfer', { q: 'schafer' }, ['Clara Schäfer']],
    ['ß: strasser finds Straßer', { q: 'strasser' }, ['Greta Straßer']],
    ['ß typed: straß finds Straßer', { q: 'straß' }, ['Greta Straßer']],
    ['prefix: schm finds Schmidt and Schmitz', { q: 'schm' }, ['Anna Schmidt', 'Ben Schmitz']],
    ['words narrow', { q: 'schm berlin' }, ['Anna Schmidt']],
    ['German alias in text', { q: 'suchmaschinen' }, ['Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['English alias in text', { q: 'search engine' }, ['Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['e-mail', { q: 'fatma@example.org' }, ['Fatma Yılmaz']],
    ['notes, diacritics-insensitive', { q: 'forderantrage' }, ['Fatma Yılmaz']],
    ['tag words', { q: 'mentor' }, ['Anna Schmidt', 'Clara Schäfer']],
    ['city words', { q: 'munchen' }, ['Clara Schäfer']],
    ['skill by name, any case', { skill: 'seo' }, ['Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['skill by German name', { skill: 'SUCHMASCHINENOPTIMIERUNG' }, ['Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['skill by alias', { skill: 'wp' }, ['Anna Schmidt', 'Jürgen Müller']],
    ['two skills AND', { skill: ['WordPress', 'SEO'] }, ['Jürgen Müller']],
    ['two skills AND, do-not-contact asked for', { skill: ['WordPress', 'SEO'], dnc: '1' }, ['Emil Weber', 'Jürgen Müller']],
    ['two skills OR', { skill: ['WordPress', 'SEO'], match: 'any' }, ['Anna Schmidt', 'Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['minimum level', { skill: 'SEO', level: '3' }, ['Ben Schmitz', 'Fatma Yılmaz']],
    ['minimum level with OR', { skill: ['WordPress', 'Photography'], match: 'any', level: '3' }, ['Clara Schäfer', 'Jürgen Müller']],
    ['city, any case and accent', { city: 'MÜNCHEN' }, ['Clara Schäfer']],
    ['city leaves out do-not-contact', { city: 'Berlin' }, ['Anna Schmidt', 'Jürgen Müller']],
    ['kind: both counts as freelancer', { kind: 'freelancer' }, ['Ben Schmitz', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['availability', { availability: 'limited' }, ['Anna Schmidt']],
    ['language', { language: 'german' }, ['Anna Schmidt', 'Clara Schäfer', 'Fatma Yılmaz', 'Jürgen Müller']],
    ['tag', { tag: 'MENTOR' }, ['Anna Schmidt', 'Clara Schäfer']],
    ['project kind worked on', { project_kind: 'consulting' }, ['Anna Schmidt']],
    ['active within 2 years', { active: '2' }, ['Jürgen Müller']],
    ['active within 5 years', { active: '5' }, ['Ben Schmitz', 'Jürgen Müller']],
    ['facets combined: word + skill + city + kind', { q: 'schm', skill: 'WordPress', city: 'berlin', kind: 'volunteer' }, ['Anna Schmidt']],
    ['facets combined: skill OR + language + availability', { skill: ['SEO', 'Newsletter'], match: 'any', language: 'German', availability: 'available' }, ['Fatma Yılmaz', 'Jürgen Müller']],
    ['no match', { q: 'nobody' }, []],
    ['unknown city', { city: 'Atlantis' }, []],
    ['unknown tag', { tag: 'nope' }, []],
  ];
  for (const [label, params, expected] of cases) {
    it(label, async () => expect(await names(params)).to.deep.equal(expected));
  }

  it('skill by id; org by id', async () => {
    expect(await names({ skill: String(net.skills.photo) })).to.deep.equal(['Ben Schmitz', 'Clara Schäfer']);
    expect(await names({ org: String(net.orgs.tafel) })).to.deep.equal(['Ben Schmitz', 'Jürgen Müller']);
  });

  it('typed skills resolve by id, name or alias in one go: each skill once, in the order typed, the rest unknown', async () => {
    const r = await resolveSkills(db, [String(net.skills.photo), 'WORDPRESS', 'wp', 'Klingonisch', 'Fotografie', '99999']);
    expect(r.skills.map((s) => s.id)).to.deep.equal([net.skills.photo, net.skills.wp]);
    expect(r.unknown).to.deep.equal(['Klingonisch', '99999']);
    expect(await resolveSkills(db, [])).to.deep.equal({ skills: [], unknown: [] });
  });

  it('everyone but do-not-contact without filters, and says how many were left out', async () => {
    const r = await search({});
    expect(r.total).to.equal(6);
    expect(r.facets.dncHidden).to.equal(1);
    expect((await search({ dnc: '1' })).total).to.equal(7);
  });

  it('an unknown skill gives an empty result with the unknown name, not an error', async () => {
    const r = await search({ skill: ['WordPress', 'Klingonisch'] });
    expect(r.total).to.equal(0);
    expect(r.unknownSkills).to.deep.equal(['Klingonisch']);
    const any = await search({ skill: ['WordPress', 'Klingonisch'], match: 'any' });
    expect(any.total).to.equal(2);
    expect(any.unknownSkills).to.deep.equal(['Klingonisch']);
  });

  it('a page past the end gives the last page', async () => {
    const r = await findPeople(db, parsePeopleFilters({ page: '99', sort: 'name' }), { pageSize: 4 });
    expect(r.pages).to.equal(2);
    expect(r.page).to.equal(2);
    expect(r.rows.map((x) => x.last_name)).to.deep.equal(['Straßer', 'Yılmaz']);
  });

  it('sorts by name (folded), recently added and last engagement', async () => {
    const order = async (sort: string) => (await search({ sort })).rows.map((r) => r.first_name);
    expect(await order('name')).to.deep.equal(['Jürgen', 'Clara', 'Anna', 'Ben', 'Greta', 'Fatma']);
    expect(await order('recently_added')).to.deep.equal(['Greta', 'Fatma', 'Clara', 'Ben', 'Anna', 'Jürgen']);
    expect((await order('recent_engagement')).slice(0, 3)).to.deep.equal(['Jürgen', 'Ben', 'Anna']);
  });

  it('relevance puts name matches first, then higher levels of the skills asked for', async () => {
    const bySkill = (await search({ skill: 'SEO' })).rows.map((r) => r.first_name);
    expect(bySkill).to.deep.equal(['Ben', 'Fatma', 'Jürgen']); // levels 3, 3, 2; ties by name
    const byWord = (await search({ q: 'seo' })).rows.map((r) => r.first_name);
    expect(byWord).to.deep.equal(['Ben', 'Fatma', 'Jürgen']);
  });

  it('relevance: a word in the name beats the same word in the notes', async () => {
    const now = new Date().toISOString();
    const [row] = await db('people').insert({ first_name: 'Aaron', last_name: 'Abel', notes: 'Knows Ben Schmitz well', created_at: now, updated_at: now }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    const { reindexPeople } = await import('../../src/search/index.queries.js');
    await reindexPeople(db, [id]);
    try {
      expect((await search({ q: 'schmitz' })).rows.map((r) => r.first_name)).to.deep.equal(['Ben', 'Aaron']);
      expect((await search({ q: 'schmitz', sort: 'name' })).rows.map((r) => r.first_name)).to.deep.equal(['Aaron', 'Ben']);
      expect((await search({ q: 'sch' })).rows.map((r) => r.first_name).slice(0, 3)).to.deep.equal(['Clara', 'Anna', 'Ben']);
    } finally {
      await db('people').where({ id }).del();
    }
  });

  it('the rows carry skills (chosen first) and the last engagement', async () => {
    const r = await search({ skill: 'SEO', q: 'muller' });
    expect(r.rows).to.have.length(1);
    expect(r.rows[0]!.skills.map((s) => s.name)).to.deep.equal(['SEO', 'WordPress']);
    expect(r.rows[0]!.last_engaged_on).to.match(/^\d{4}-\d{2}-\d{2}$/);
  });

  describe('facet counts equal the result sizes they promise', () => {
    const searches: Record<string, unknown>[] = [
      {}, { q: 'schm' }, { skill: 'SEO' }, { skill: ['SEO', 'WordPress'], match: 'any' }, { city: 'Berlin' },
      { skill: 'WordPress', dnc: '1' }, { q: 'berlin' }, { skill: 'SEO', level: '2' },
    ];
    for (const params of searches) {
      it(`every option of ${JSON.stringify(params)}`, async () => {
        const f = parsePeopleFilters(params);
        const r = await findPeople(db, f, { pageSize: 100 });
        const groups = facetGroups(f, r.facets, t);
        expect(groups.length).to.be.greaterThan(0);
        for (const g of groups) {
          for (const o of g.options) {
            const params = new URLSearchParams(o.href.split('?')[1]);
            const clicked = { ...Object.fromEntries(params), skill: params.getAll('skill') };
            const after = await findPeople(db, parsePeopleFilters(clicked), { pageSize: 100 });
            expect(after.total, `${g.param}=${o.label}`).to.equal(o.count);
            expect(o.count).to.be.at.most(r.total);
          }
        }
        if (!f.includeDnc && r.facets.dncHidden) {
          expect((await findPeople(db, { ...f, includeDnc: true })).total).to.equal(r.total + r.facets.dncHidden);
        }
      });
    }
  });

  it('the export ids are the whole result in the same order', async () => {
    const f = parsePeopleFilters({ sort: 'name' });
    const ids = await findAllPeopleIds(db, f);
    expect(ids).to.have.length(6);
    expect(ids).to.deep.equal((await search({ sort: 'name' })).rows.map((r) => r.id));
  });

  it('sees writes at once (the snapshot follows search_changes)', async () => {
    expect(await names({ q: 'zoe' })).to.deep.equal([]);
    const now = new Date().toISOString();
    const [row] = await db('people').insert({ first_name: 'Zoë', last_name: 'Zimmer', city: 'Berlin', city_norm: 'berlin', created_at: now, updated_at: now }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    await db('person_skills').insert({ person_id: id, skill_id: net.skills.seo, level: 3 });
    const { reindexPeople } = await import('../../src/search/index.queries.js');
    await reindexPeople(db, [id]);
    expect(await names({ q: 'zoe' })).to.deep.equal(['Zoë Zimmer']);
    expect(await names({ skill: 'SEO', city: 'Berlin' })).to.deep.equal(['Jürgen Müller', 'Zoë Zimmer']);
    await db('people').where({ id }).update({ do_not_contact: 1 });
    expect(await names({ skill: 'SEO', city: 'Berlin' })).to.deep.equal(['Jürgen Müller']);
    await db('people').where({ id }).del();
    expect(await names({ q: 'zoe', dnc: '1' })).to.deep.equal([]);
  });

  it('a skill at a level off the scale (0, written straight to the database) does not count: patched, and loaded afresh', async () => {
    const now = new Date().toISOString();
    const [row] = await db('people').insert({ first_name: 'Ulla', last_name: 'Unger', created_at: now, updated_at: now }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    await db('person_skills').insert([{ person_id: id, skill_id: net.skills.newsletter, level: 0 }, { person_id: id, skill_id: net.skills.photo, level: 2 }]);
    try {
      for (const load of ['patched', 'fresh']) {
        if (load === 'fresh') forgetSnapshot(db);
        expect(await names({ skill: 'Newsletter' }), load).to.not.include('Ulla Unger');
        expect(await names({ skill: ['Newsletter', 'Photography'] }), load).to.not.include('Ulla Unger');
        expect(await names({ skill: ['Newsletter', 'Photography'], match: 'any' }), load).to.include('Ulla Unger');
        expect(await names({ skill: 'Photography' }), load).to.include('Ulla Unger');
      }
    } finally {
      await db('person_skills').where({ person_id: id }).del();
      await db('people').where({ id }).del();
    }
  });

  it('merged skills: both names find everyone who had either (runs last: it changes the network)', async () => {
    await mergeSkills(db, SYSTEM_ACTOR, net.skills.wpSite, net.skills.wp);
    expect(await names({ skill: 'Word-Press site building' })).to.deep.equal(['Anna Schmidt', 'Greta Straßer', 'Jürgen Müller']);
    expect(await names({ skill: 'WordPress' })).to.deep.equal(['Anna Schmidt', 'Greta Straßer', 'Jürgen Müller']);
    expect(await names({ q: 'site building' })).to.deep.equal(['Anna Schmidt', 'Greta Straßer', 'Jürgen Müller']);
  });
});
