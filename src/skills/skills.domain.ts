// Skills: validation of the skill form; aliases are the other names (German, spellings, synonyms) a skill is found by.
import { nameKey } from '../shared/normalise.js';
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { splitList } from '../people/people.domain.js';

/** The longest value of each field (form maxlength and validation); an alias is as long as a name. */
export const SKILL_LIMITS = { name: LIMITS.name, name_de: LIMITS.name, aliases: LIMITS.text, description: LIMITS.text } as const;

export interface SkillInput {
  name: string;
  name_de: string | null;
  category_id: number | null;
  description: string | null;
  aliases: string[];
}

export function validateSkill(body: Record<string, unknown>): Result<SkillInput> {
  const v = new Validator(body);
  const name = v.text('name', { max: SKILL_LIMITS.name, required: true }) ?? '';
  const name_de = v.text('name_de', { max: SKILL_LIMITS.name_de });
  const category_id = v.int('category_id', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const description = v.text('description', { max: SKILL_LIMITS.description });
  const aliases = splitList(v.text('aliases', { max: SKILL_LIMITS.aliases }))
    .filter((a) => nameKey(a) !== nameKey(name));
  if (aliases.some((a) => a.length > SKILL_LIMITS.name)) v.fail('aliases', 'validation.tooLong');
  return v.result({ name, name_de, category_id, description, aliases });
}

/** The names a skill is stored under as aliases: its German name plus the listed ones, without repeats of its name. */
export function aliasesToStore(input: Pick<SkillInput, 'name' | 'name_de' | 'aliases'>): { alias: string; lang: string | null }[] {
  const seen = new Set([nameKey(input.name)]);
  const out: { alias: string; lang: string | null }[] = [];
  const add = (alias: string, lang: string | null) => {
    const k = nameKey(alias);
    if (k && !seen.has(k)) {
      seen.add(k);
      out.push({ alias: alias.trim(), lang });
    }
  };
  if (input.name_de) add(input.name_de, 'de');
  for (const a of input.aliases) add(a, null);
  return out;
}
