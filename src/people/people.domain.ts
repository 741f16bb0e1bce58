// People: the fields a form or an import may set, their validation, and how a person is named.
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { foldText, normaliseEmail, normaliseName, normalisePhone } from '../shared/normalise.js';

export const PERSON_KINDS = ['volunteer', 'freelancer', 'both'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
export const AVAILABILITY = ['available', 'limited', 'unavailable'] as const;
export type Availability = (typeof AVAILABILITY)[number];
export const SKILL_LEVELS = [1, 2, 3] as const;
/** What a new person is when nothing says otherwise (the form's preset, the validation's and the import's default). */
export const PERSON_DEFAULTS = { kind: 'volunteer', availability: 'available' } as const satisfies { kind: PersonKind; availability: Availability };

/** The longest value of each field: the form's maxlength, the validation and the import's check alike. */
export const PERSON_LIMITS = {
  first_name: LIMITS.name, last_name: LIMITS.name, email: LIMITS.email, phone: LIMITS.phone, city: LIMITS.city,
  postcode: LIMITS.postcode, country: LIMITS.city, languages: LIMITS.short, organisation: LIMITS.title,
  job_title: LIMITS.title, portfolio_url: LIMITS.url, notes: LIMITS.text, tags: LIMITS.text, tag: LIMITS.tag,
  skill: LIMITS.name,
} as const;

export interface PersonFields {
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  languages: string | null;
  kind: PersonKind;
  availability: Availability;
  organisation: string | null;
  job_title: string | null;
  portfolio_url: string | null;
  notes: string | null;
  do_not_contact: boolean;
  last_confirmed_at: string | null;
}

export interface SkillChoice {
  skillId: number;
  level: number;
}

export interface PersonInput {
  fields: PersonFields;
  skills: SkillChoice[];
  tags: string[];
}

/** Splits "a, b; c" into trimmed, distinct values (case-insensitive), keeping the first spelling. */
export function splitList(raw: string | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of (raw ?? '').split(/[,;\n]/)) {
    const v = part.trim();
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined || v === null ? [] : [String(v)];
}

/** Validates the person form: `skill_id[]` and `skill_level[]` come as parallel lists. */
export function validatePerson(body: Record<string, unknown>): Result<PersonInput> {
  const v = new Validator(body);
  const first_name = v.text('first_name', { max: PERSON_LIMITS.first_name }) ?? '';
  const last_name = v.text('last_name', { max: PERSON_LIMITS.last_name }) ?? '';
  if (!first_name && !last_name) v.fail('last_name', 'people.nameRequired');
  const fields: PersonFields = {
    first_name,
    last_name,
    email: v.email('email'),
    phone: v.text('phone', { max: PERSON_LIMITS.phone }),
    city: v.text('city', { max: PERSON_LIMITS.city }),
    postcode: v.text('postcode', { max: PERSON_LIMITS.postcode }),
    country: v.text('country', { max: PERSON_LIMITS.country }),
    languages: v.text('languages', { max: PERSON_LIMITS.languages }),
    kind: v.oneOf('kind', PERSON_KINDS, PERSON_DEFAULTS.kind),
    availability: v.oneOf('availability', AVAILABILITY, PERSON_DEFAULTS.availability),
    organisation: v.text('organisation', { max: PERSON_LIMITS.organisation }),
    job_title: v.text('job_title', { max: PERSON_LIMITS.job_title }),
    portfolio_url: v.url('portfolio_url'),
    notes: v.text('notes', { max: PERSON_LIMITS.notes }),
    do_not_contact: v.bool('do_not_contact'),
    last_confirmed_at: v.date('last_confirmed_at'),
  };
  const ids = asList(body.skill_id);
  const levels = asList(body.skill_level);
  const skills = new Map<number, number>();
  ids.forEach((rawId, i) => {
    if (!rawId.trim()) return;
    const id = Number(rawId);
    const level = Number(levels[i] ?? 1);
    if (!Number.isInteger(id) || id < 1) return v.fail('skills', 'validation.choice');
    if (!SKILL_LEVELS.includes(level as 1 | 2 | 3)) return v.fail('skills', 'people.levelRange');
    skills.set(id, Math.max(level, skills.get(id) ?? 0));
  });
  const tagsRaw = v.text('tags', { max: PERSON_LIMITS.tags });
  const tags = splitList(tagsRaw);
  if (tags.some((t) => t.length > PERSON_LIMITS.tag)) v.fail('tags', 'validation.tooLong');
  return v.result({ fields, skills: [...skills].map(([skillId, level]) => ({ skillId, level })), tags });
}

export function displayName(p: { first_name: string; last_name: string }): string {
  return `${p.first_name} ${p.last_name}`.trim() || '—';
}

/** The stored columns for a person's fields, with the normalised columns that matching and search use. */
export function personColumns(f: PersonFields): Record<string, unknown> {
  return {
    ...f,
    do_not_contact: f.do_not_contact ? 1 : 0,
    email: f.email ? f.email.trim() : null,
    email_norm: normaliseEmail(f.email),
    name_norm: normaliseName(f.first_name, f.last_name),
    phone_norm: normalisePhone(f.phone) || null,
    city_norm: f.city ? foldText(f.city) : null,
  };
}
