// People: the fields a form or an import may set, their validation, and how a person is named.
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { foldText, normaliseEmail, normaliseName, normalisePhone } from '../shared/normalise.js';
import { fieldConflicts, type ConflictField, type FieldConflict } from '../shared/conflicts.js';
import { readLanguages } from './languages.domain.js';
import { isSkillLevel } from '../skills/levels.domain.js';

export const PERSON_KINDS = ['volunteer', 'freelancer', 'both'] as const;
export type PersonKind = (typeof PERSON_KINDS)[number];
export const AVAILABILITY = ['available', 'limited', 'unavailable'] as const;
export type Availability = (typeof AVAILABILITY)[number];
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

/** Words for each kind (folded), English and German, as spreadsheets write them; each value stands for itself. */
export const PERSON_KIND_WORDS: Readonly<Record<string, PersonKind>> = {
  volunteer: 'volunteer', volunteers: 'volunteer', voluntary: 'volunteer', ehrenamtlich: 'volunteer', ehrenamt: 'volunteer',
  ehrenamtliche: 'volunteer', ehrenamtlicher: 'volunteer', freiwillig: 'volunteer', freiwillige: 'volunteer', unpaid: 'volunteer',
  freelancer: 'freelancer', freelance: 'freelancer', freiberuflich: 'freelancer', freiberufler: 'freelancer', paid: 'freelancer',
  honorarkraft: 'freelancer', selbststandig: 'freelancer', contractor: 'freelancer',
  both: 'both', beides: 'both', beide: 'both', 'volunteer and freelancer': 'both', 'ehrenamtlich und freiberuflich': 'both',
};
/** Words for each availability (folded), English and German. */
export const AVAILABILITY_WORDS: Readonly<Record<string, Availability>> = {
  available: 'available', yes: 'available', ja: 'available', verfugbar: 'available', frei: 'available',
  limited: 'limited', eingeschrankt: 'limited', teilweise: 'limited', partly: 'limited', busy: 'limited',
  unavailable: 'unavailable', 'not available': 'unavailable', no: 'unavailable', nein: 'unavailable', 'nicht verfugbar': 'unavailable',
};

/** A person's own fields that a form or a file can state; null: left empty. */
export type PersonFieldValues = { [K in Exclude<keyof PersonFields, 'do_not_contact' | 'last_confirmed_at'>]: PersonFields[K] | null };

/**
 * The one schema of a person's own fields: the person form (validatePerson), the import (mapRow) and later the
 * API read them through it, so both accept and refuse the same values (limits, e-mail, web address, kind and
 * availability also in German words). Records a message key per wrong field in `v`.
 */
export function readPersonFields(v: Validator): PersonFieldValues {
  const text = (f: keyof typeof PERSON_LIMITS) => v.text(f, { max: PERSON_LIMITS[f] });
  return {
    first_name: text('first_name'), last_name: text('last_name'), email: v.email('email'), phone: text('phone'),
    city: text('city'), postcode: text('postcode'), country: text('country'), languages: readLanguages(v, 'languages', PERSON_LIMITS.languages),
    kind: v.word('kind', PERSON_KIND_WORDS), availability: v.word('availability', AVAILABILITY_WORDS),
    organisation: text('organisation'), job_title: text('job_title'), portfolio_url: v.url('portfolio_url'), notes: text('notes'),
  };
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
  const own = readPersonFields(v);
  if (!own.first_name && !own.last_name) v.fail('last_name', 'people.nameRequired');
  const fields: PersonFields = {
    ...own,
    first_name: own.first_name ?? '',
    last_name: own.last_name ?? '',
    kind: own.kind ?? PERSON_DEFAULTS.kind,
    availability: own.availability ?? PERSON_DEFAULTS.availability,
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
    if (!isSkillLevel(level)) return v.fail('skills', 'people.levelRange');
    skills.set(id, Math.max(level, skills.get(id) ?? 0));
  });
  const tagsRaw = v.text('tags', { max: PERSON_LIMITS.tags });
  const tags = splitList(tagsRaw);
  if (tags.some((t) => t.length > PERSON_LIMITS.tag)) v.fail('tags', 'validation.tooLong');
  return v.result({ fields, skills: [...skills].map(([skillId, level]) => ({ skillId, level })), tags });
}

/** What a view or message may know of a person to name them (a row of any query that selects these columns). */
export interface Nameable {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  id?: number | null;
  person_id?: number | null;
}

/** How a person is named on every page and in every message: "First Last"; without a name their e-mail, else "#id", else "—". */
export function displayName(p: Nameable): string {
  const name = `${p.first_name ?? ''} ${p.last_name ?? ''}`.trim();
  if (name) return name;
  if (p.email) return p.email;
  const id = p.id ?? p.person_id;
  return id === undefined || id === null ? '—' : `#${id}`;
}

/** "Last, First" for lists sorted by last name (the person picker); the display name when a part is missing. */
export function sortName(p: Nameable): string {
  const first = (p.first_name ?? '').trim();
  const last = (p.last_name ?? '').trim();
  return first && last ? `${last}, ${first}` : displayName(p);
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

/** The form's fields with their label keys, in the form's order (for the "saved meanwhile" comparison). */
const CONFLICT_FIELDS: ConflictField[] = [
  ['first_name', 'people.firstName'], ['last_name', 'people.lastName'], ['email', 'people.email'], ['phone', 'people.phone'],
  ['city', 'people.city'], ['postcode', 'people.postcode'], ['country', 'people.country'], ['languages', 'people.languages'],
  ['kind', 'people.kind'], ['availability', 'people.availability'], ['organisation', 'people.organisation'], ['job_title', 'people.jobTitle'],
  ['portfolio_url', 'people.portfolio'], ['skills', 'people.skills'], ['tags', 'people.tags'], ['notes', 'people.notes'],
  ['last_confirmed_at', 'people.lastConfirmed'], ['do_not_contact', 'people.doNotContact'],
];

/** The fields where what is saved now differs from what this form would save: both values, for the user to choose. */
export function personConflicts(saved: Record<string, unknown>, mine: Record<string, unknown>): FieldConflict[] {
  return fieldConflicts(CONFLICT_FIELDS, saved, mine);
}
