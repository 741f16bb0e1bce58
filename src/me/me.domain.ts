// What a person may change through their own link, and its validation (pure).
import { Validator, type Result } from '../shared/validate.js';
import { AVAILABILITY, PERSON_DEFAULTS, PERSON_LIMITS, type PersonFields, type SkillChoice } from '../people/people.domain.js';
import { LOWEST_LEVEL, isSkillLevel } from '../skills/levels.domain.js';
import { foldText, normaliseEmail, normalisePhone } from '../shared/normalise.js';
import { LOCALES, type Locale } from '../i18n/i18n.js';
import { readLanguages } from '../people/languages.domain.js';

/** The part of a person's record they may change themselves (their fields as the person form defines them). */
export type OwnDetails = Pick<PersonFields, 'email' | 'phone' | 'city' | 'postcode' | 'country' | 'languages' | 'availability'> & {
  available_until: string | null;
  locale: Locale;
};

/** Validates the details form of /me; "until" only counts for limited or not-now availability. */
export function validateOwnDetails(body: Record<string, unknown>, today: string): Result<OwnDetails> {
  const v = new Validator(body);
  const availability = v.oneOf('availability', AVAILABILITY, PERSON_DEFAULTS.availability);
  let until = v.date('available_until');
  if (until && until < today) v.fail('available_until', 'me.untilPast');
  if (availability === 'available') until = null;
  return v.result({
    email: v.email('email'),
    phone: v.text('phone', { max: PERSON_LIMITS.phone }),
    city: v.text('city', { max: PERSON_LIMITS.city }),
    postcode: v.text('postcode', { max: PERSON_LIMITS.postcode }),
    country: v.text('country', { max: PERSON_LIMITS.country }),
    languages: readLanguages(v, 'languages', PERSON_LIMITS.languages),
    availability,
    available_until: until,
    locale: v.oneOf('locale', LOCALES, 'en'),
  });
}

/** The stored columns for own details, with the normalised ones matching and search use. */
export function ownDetailColumns(d: OwnDetails): Record<string, unknown> {
  return {
    ...d,
    email: d.email ? d.email.trim() : null,
    email_norm: normaliseEmail(d.email),
    phone_norm: normalisePhone(d.phone) || null,
    city_norm: d.city ? foldText(d.city) : null,
  };
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined || v === null ? [] : [String(v)];
}

export interface OwnSkills {
  skills: SkillChoice[];
  /** a skill the taxonomy lacks, for a manager to approve */
  suggestion: { name: string; level: number } | null;
}

/**
 * The skills form (the skill entry of views/partials/skill-picker.ejs, read by skill-entry.service first):
 * `skill_id[]`/`skill_level[]` for the skills kept, and `suggest_name` with `suggest_level` to propose a new one.
 */
export function validateOwnSkills(body: Record<string, unknown>, knownSkillIds: Set<number>): Result<OwnSkills> {
  const v = new Validator(body);
  const ids = list(body.skill_id);
  const levels = list(body.skill_level);
  const chosen = new Map<number, number>();
  ids.forEach((raw, i) => {
    const id = Number(raw);
    const level = Number(levels[i] ?? LOWEST_LEVEL);
    if (!Number.isInteger(id) || !knownSkillIds.has(id)) return v.fail('skills', 'validation.choice');
    if (!isSkillLevel(level)) return v.fail('skills', 'people.levelRange');
    chosen.set(id, level);
  });
  const name = v.text('suggest_name', { max: PERSON_LIMITS.skill });
  let suggestion: OwnSkills['suggestion'] = null;
  if (name) {
    const level = Number(v.raw('suggest_level') || 1);
    if (!isSkillLevel(level)) v.fail('suggest_name', 'people.levelRange');
    suggestion = { name: name.replace(/\s+/g, ' '), level };
  }
  return v.result({ skills: [...chosen].map(([skillId, level]) => ({ skillId, level })), suggestion });
}
