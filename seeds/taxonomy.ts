// seedTaxonomy(db): adds the default categories, skills and aliases that are missing; running it again adds nothing.
import type { Knex } from 'knex';
import { nowIso } from '../src/db.js';
import { nameKey } from '../src/shared/normalise.js';
import { aliasesToStore } from '../src/skills/skills.domain.js';
import { TAXONOMY_CATEGORIES, TAXONOMY_SKILLS, type TaxonomySkill } from './taxonomy.data.js';

export { TAXONOMY_CATEGORIES, TAXONOMY_SKILLS } from './taxonomy.data.js';
export type { TaxonomyCategory, TaxonomySkill } from './taxonomy.data.js';

export interface TaxonomyResult {
  categories: number;
  skills: number;
  aliases: number;
}

/** The aliases a taxonomy skill is stored with: exactly what the skill form would store. */
export function taxonomyAliases(s: TaxonomySkill): { alias: string; lang: string | null }[] {
  return aliasesToStore({ name: s.name, name_de: s.name_de, aliases: s.aliases });
}

/** Names (skill names and stored aliases) that occur on more than one skill of the taxonomy; [] when it is clean. */
export function taxonomyClashes(skills: TaxonomySkill[] = TAXONOMY_SKILLS): string[] {
  const owner = new Map<string, string>();
  const clashes: string[] = [];
  for (const s of skills) {
    for (const n of [s.name, ...taxonomyAliases(s).map((a) => a.alias)]) {
      const k = nameKey(n);
      const prev = owner.get(k);
      if (prev !== undefined && prev !== s.key) clashes.push(`${n} (${prev}, ${s.key})`);
      owner.set(k, s.key);
    }
  }
  return clashes;
}

/**
 * Adds the missing categories (by slug) and skills (by normalised name). A skill whose name is already a
 * skill or an alias is left alone; an alias already taken by any skill is skipped. Existing rows are never changed.
 */
export async function seedTaxonomy(db: Knex): Promise<TaxonomyResult> {
  return db.transaction(async (trx) => {
    const result: TaxonomyResult = { categories: 0, skills: 0, aliases: 0 };
    const categoryIds = new Map<string, number>();
    for (const c of await trx('skill_categories').select('id', 'slug')) categoryIds.set(c.slug, c.id);
    for (const c of TAXONOMY_CATEGORIES) {
      if (categoryIds.has(c.slug)) continue;
      const [row] = await trx('skill_categories').insert(c).returning('id');
      categoryIds.set(c.slug, typeof row === 'object' ? row.id : row);
      result.categories++;
    }

    const taken = new Set<string>([
      ...(await trx('skills').pluck('name_norm')),
      ...(await trx('skill_aliases').pluck('alias_norm')),
    ]);
    const now = nowIso();
    for (const s of TAXONOMY_SKILLS) {
      const norm = nameKey(s.name);
      if (taken.has(norm)) continue;
      const [row] = await trx('skills').insert({
        name: s.name, name_de: s.name_de, name_norm: norm, category_id: categoryIds.get(s.category) ?? null,
        description: null, created_at: now, updated_at: now,
      }).returning('id');
      const skillId: number = typeof row === 'object' ? row.id : row;
      taken.add(norm);
      result.skills++;
      const aliases = taxonomyAliases(s)
        .map((a) => ({ skill_id: skillId, alias: a.alias, alias_norm: nameKey(a.alias), lang: a.lang }))
        .filter((a) => !taken.has(a.alias_norm));
      for (const a of aliases) taken.add(a.alias_norm);
      if (aliases.length) await trx('skill_aliases').insert(aliases);
      result.aliases += aliases.length;
    }
    return result;
  });
}
