import { expect } from 'chai';
import type { Knex } from 'knex';
import { nameKey } from '../../src/shared/normalise.js';
import { TAXONOMY_CATEGORIES, TAXONOMY_SKILLS, seedTaxonomy, taxonomyClashes } from '../../seeds/taxonomy.js';
import { testDb } from '../support/app.js';

describe('seeds: default skill taxonomy (data)', () => {
  it('has at least 60 skills in about 16 categories, each with an English and a German name', () => {
    expect(TAXONOMY_SKILLS.length).to.be.within(60, 100);
    expect(TAXONOMY_CATEGORIES.length).to.be.within(12, 20);
    const slugs = new Set(TAXONOMY_CATEGORIES.map((c) => c.slug));
    expect(slugs.size).to.equal(TAXONOMY_CATEGORIES.length);
    for (const c of TAXONOMY_CATEGORIES) expect(c.name_en.trim() && c.name_de.trim(), c.slug).to.be.ok;
    for (const s of TAXONOMY_SKILLS) {
      expect(s.name.trim(), s.key).to.not.equal('');
      expect(s.name_de.trim(), s.key).to.not.equal('');
      expect(slugs.has(s.category), `${s.key} → ${s.category}`).to.equal(true);
    }
    for (const c of TAXONOMY_CATEGORIES) {
      expect(TAXONOMY_SKILLS.some((s) => s.category === c.slug), `${c.slug} has skills`).to.equal(true);
    }
  });

  it('keys are unique and no name or alias belongs to two skills', () => {
    expect(new Set(TAXONOMY_SKILLS.map((s) => s.key)).size).to.equal(TAXONOMY_SKILLS.length);
    expect(taxonomyClashes()).to.deep.equal([]);
  });

  it('taxonomyClashes finds an alias that is another skill’s name', () => {
    const clash = taxonomyClashes([
      { key: 'a', category: 'x', name: 'SEO', name_de: 'Suchmaschinenoptimierung', aliases: [] },
      { key: 'b', category: 'x', name: 'Google Ads', name_de: 'Google Ads', aliases: ['seo'] },
    ]);
    expect(clash).to.have.length(1);
  });
});

describe('seeds: seedTaxonomy', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  const counts = async () => ({
    categories: Number((await db('skill_categories').count({ n: '*' }).first())!.n),
    skills: Number((await db('skills').count({ n: '*' }).first())!.n),
    aliases: Number((await db('skill_aliases').count({ n: '*' }).first())!.n),
  });

  it('adds every category and skill, and running it again adds nothing', async () => {
    const first = await seedTaxonomy(db);
    expect(first.categories).to.equal(TAXONOMY_CATEGORIES.length);
    expect(first.skills).to.equal(TAXONOMY_SKILLS.length);
    const after = await counts();
    expect(after).to.deep.equal(first);
    const second = await seedTaxonomy(db);
    expect(second).to.deep.equal({ categories: 0, skills: 0, aliases: 0 });
    expect(await counts()).to.deep.equal(after);
  });

  it('stores names normalised, the German name as a "de" alias, and the other aliases without a language', async () => {
    await seedTaxonomy(db);
    const seo = await db('skills').where({ name_norm: 'seo' }).first();
    expect(seo).to.include({ name: 'SEO', name_de: 'Suchmaschinenoptimierung' });
    const aliases = await db('skill_aliases').where({ skill_id: seo.id }).select('alias', 'alias_norm', 'lang');
    expect(aliases).to.deep.include({ alias: 'Suchmaschinenoptimierung', alias_norm: 'suchmaschinenoptimierung', lang: 'de' });
    expect(aliases).to.deep.include({ alias: 'Search engine optimisation', alias_norm: 'search engine optimisation', lang: null });
    const wp = await db('skill_aliases as a').join('skills as s', 's.id', 'a.skill_id').where('a.alias_norm', nameKey('WP')).first('s.name');
    expect(wp?.name).to.equal('WordPress');
    // a German name equal to the English one is not repeated as an alias
    const wordpress = await db('skills').where({ name_norm: 'wordpress' }).first('id');
    expect(await db('skill_aliases').where({ skill_id: wordpress.id, lang: 'de' })).to.have.length(0);
    const uncategorised = await db('skills').whereNull('category_id').count({ n: '*' }).first();
    expect(Number(uncategorised!.n)).to.equal(0);
  });

  it('leaves existing skills alone and skips names that are already taken', async () => {
    const now = new Date().toISOString();
    await db('skills').insert({ name: 'SEO', name_norm: 'seo', name_de: 'Mein SEO', created_at: now, updated_at: now });
    const [mine] = await db('skills').insert({ name: 'Datenschutz', name_norm: 'datenschutz', created_at: now, updated_at: now }).returning('id');
    const r = await seedTaxonomy(db);
    expect(r.skills).to.equal(TAXONOMY_SKILLS.length - 1);
    expect((await db('skills').where({ name_norm: 'seo' }).first()).name_de).to.equal('Mein SEO');
    const owner = await db('skill_aliases').where({ alias_norm: 'datenschutz' }).first();
    expect(owner).to.equal(undefined);
    expect(await db('skills').where({ name_norm: 'datenschutz' }).first('id')).to.deep.equal({ id: typeof mine === 'object' ? mine.id : mine });
    expect(await db('skills').where({ name_norm: nameKey('Data protection (GDPR)') }).first('id')).to.not.equal(undefined);
  });
});
