// Pure pieces of people search: the document indexed for a person, a user's words turned into a safe FTS5
// query (every word a quoted term, so no input is ever query syntax), and the /people URL parameters.
import { foldText } from '../shared/normalise.js';
import { LIMITS } from '../shared/validate.js';
import { AVAILABILITY, PERSON_KINDS, type PersonKind } from '../people/people.domain.js';
import { HIGHEST_LEVEL, LOWEST_LEVEL, SKILL_LEVELS } from '../skills/levels.domain.js';
import { PROJECT_KINDS } from '../projects/projects.domain.js';

export { PROJECT_KINDS };

export interface PersonDocParts {
  first_name: string;
  last_name: string;
  email: string | null;
  city: string | null;
  organisation?: string | null;
  job_title?: string | null;
  notes: string | null;
  tags: string[];
  /** skill names with all their aliases, English and German */
  skillNames: string[];
}

const GERMAN_SPELLING: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'ae', Ö: 'oe', Ü: 'ue' };

/**
 * Other spellings of the words in a text that the FTS tokenizer would not produce itself: "Müller" is also
 * "mueller", "Straße" also "strasse" (the tokenizer folds ü to u but keeps ß), "Søren" also "soren".
 */
export function spellingVariants(text: string): string[] {
  if (!/[^\u0000-\u007f]/.test(text)) return [];
  const out = new Set<string>();
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!/[^\u0000-\u007f]/.test(word)) continue;
    for (const v of variantsOfWord(word)) out.add(v);
  }
  return [...out];
}

/** The variants of one word (not plain ASCII), kept for the words many people share (Müller, Köln): a re-index of 50,000 folds each once. */
const wordVariants = new Map<string, string[]>();
function variantsOfWord(word: string): string[] {
  let v = wordVariants.get(word);
  if (!v) {
    if (wordVariants.size >= 20_000) wordVariants.clear();
    const folded = foldText(word);
    const german = foldText(word.replace(/[äöüßÄÖÜ]/g, (c) => GERMAN_SPELLING[c]!));
    v = [folded, german].filter((x) => x && x !== word.toLowerCase());
    wordVariants.set(word, v);
  }
  return v;
}

/** Spelling variants of the names many people share (skills, tags), kept once: a re-index of many builds them once. */
const sharedVariants = new Map<string, string[]>();
function variantsOfShared(name: string): string[] {
  let v = sharedVariants.get(name);
  if (!v) {
    if (sharedVariants.size >= 5000) sharedVariants.clear();
    sharedVariants.set(name, (v = spellingVariants(name)));
  }
  return v;
}

const blank = (x: string | null | undefined): boolean => !x || !x.trim();

export function buildPersonDoc(p: PersonDocParts): string {
  // own fields, then the names shared with others (tags, skills), then the spelling variants of all (one pass, few
  // allocations: a re-index of 50,000 people builds 50,000 of these)
  const parts: string[] = [];
  for (const x of [p.first_name, p.last_name, p.email, p.email ? p.email.replace(/[@._+-]/g, ' ') : null, p.city, p.organisation, p.job_title, p.notes]) {
    if (!blank(x)) parts.push(x!);
  }
  // the variants of the whole text, in order of appearance: words never span two parts, so per part is the same
  const variants = new Set(spellingVariants(parts.join(' ')));
  for (const list of [p.tags, p.skillNames]) {
    for (const x of list) {
      if (blank(x)) continue;
      parts.push(x);
      for (const v of variantsOfShared(x)) variants.add(v);
    }
  }
  if (variants.size) parts.push([...variants].join(' '));
  return parts.join(' \n ');
}

const MAX_QUERY_WORDS = 12;
const MAX_QUERY_LENGTH = 500;
/** The longest value of each search box (the form's maxlength; longer input is cut). */
export const SEARCH_LIMITS = { q: MAX_QUERY_LENGTH, skill: LIMITS.name, city: LIMITS.city, language: LIMITS.language, tag: LIMITS.tag } as const;

/** The words of a search box, folded; punctuation, quotes and FTS operators are just separators. */
export function searchWords(q: string): string[] {
  const words = foldText(q.slice(0, MAX_QUERY_LENGTH))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/**
 * `schm mul` → `"schm"* AND "mul"*`; null when there is nothing to search for. A one-letter word is matched
 * as a whole word only (as a prefix it would match most of the index and gain nothing).
 */
export function ftsQuery(q: string): string | null {
  const words = searchWords(q);
  if (!words.length) return null;
  return words.map((w) => (w.length > 1 ? `"${w}"*` : `"${w}"`)).join(' AND ');
}

export const SORTS = ['relevance', 'name', 'city', 'availability', 'recent_engagement', 'recently_added'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 50;
/** The kinds one can filter by: 'both' is found by either filter, so it is not a choice of its own. */
export const FILTER_KINDS = PERSON_KINDS.filter((k): k is Exclude<PersonKind, 'both'> => k !== 'both');
export const FILTER_AVAILABILITY = AVAILABILITY;
/** "at least level N": level 1 is no filter at all */
export const FILTER_LEVELS = SKILL_LEVELS.filter((l) => l > LOWEST_LEVEL);
export const ACTIVE_YEARS = [1, 2, 5] as const;
const MAX_SKILLS = 10;

export interface PeopleFilters {
  q: string;
  /** skill names, aliases or ids as typed */
  skills: string[];
  match: 'all' | 'any';
  minLevel: number;
  city: string;
  kind: '' | (typeof FILTER_KINDS)[number];
  language: string;
  availability: '' | (typeof FILTER_AVAILABILITY)[number];
  tag: string;
  org: number | null;
  projectKind: '' | (typeof PROJECT_KINDS)[number];
  activeYears: number | null;
  includeDnc: boolean;
  /** only these people (a selection from a result page: export it, mail them); empty for everyone */
  ids: number[];
  page: number;
  sort: Sort;
}

type QueryInput = Record<string, unknown>;

/** Strips what cannot be stored or shown: lone surrogates and control characters. */
function clean(s: string): string {
  return s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function one(q: QueryInput, name: string): string {
  const v = q[name];
  const s = Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '';
  return clean(s).trim();
}

function many(q: QueryInput, name: string): string[] {
  const v = q[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [...new Set(list.filter((x) => typeof x === 'string').map((x) => clean(x).trim().slice(0, SEARCH_LIMITS.skill)).filter(Boolean))].slice(0, MAX_SKILLS);
}

function intIn(raw: string, min: number, max: number): number | null {
  const n = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

function oneOf<T extends string>(raw: string, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : '';
}

/** The most people a selection names in the URL (a few result pages). */
export const MAX_SELECTED = 500;

function idList(q: QueryInput, name: string): number[] {
  const v = q[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const ids = list.filter((x): x is string => typeof x === 'string' && /^[1-9]\d{0,9}$/.test(x)).map(Number).filter((n) => n <= 2147483647);
  return [...new Set(ids)].slice(0, MAX_SELECTED);
}

/** Reads the /people search parameters; anything malformed falls back to its default, never an error. */
export function parsePeopleFilters(q: QueryInput): PeopleFilters {
  const sortRaw = one(q, 'sort');
  return {
    q: one(q, 'q').slice(0, SEARCH_LIMITS.q),
    skills: many(q, 'skill'),
    match: one(q, 'match') === 'any' ? 'any' : 'all',
    minLevel: intIn(one(q, 'level'), LOWEST_LEVEL, HIGHEST_LEVEL) ?? LOWEST_LEVEL,
    city: one(q, 'city').slice(0, SEARCH_LIMITS.city),
    kind: oneOf(one(q, 'kind'), FILTER_KINDS),
    language: one(q, 'language').slice(0, SEARCH_LIMITS.language),
    availability: oneOf(one(q, 'availability'), FILTER_AVAILABILITY),
    tag: one(q, 'tag').slice(0, SEARCH_LIMITS.tag),
    org: intIn(one(q, 'org'), 1, Number.MAX_SAFE_INTEGER),
    projectKind: oneOf(one(q, 'project_kind'), PROJECT_KINDS),
    activeYears: intIn(one(q, 'active'), 1, 50),
    includeDnc: one(q, 'dnc') === '1',
    ids: idList(q, 'id'),
    page: intIn(one(q, 'page'), 1, 1_000_000) ?? 1,
    sort: (SORTS as readonly string[]).includes(sortRaw) ? (sortRaw as Sort) : 'relevance',
  };
}

export type ParamOverrides = Partial<Record<string, string | string[] | null>>;

/** The filters back as URL parameters (for links: pagination, facets, CSV), leaving defaults out. */
export function filtersToParams(f: PeopleFilters, overrides: ParamOverrides = {}): string {
  const p = new URLSearchParams();
  const set: Record<string, string | string[] | null | undefined> = {
    q: f.q, skill: f.skills, match: f.skills.length > 1 && f.match === 'any' ? 'any' : '',
    level: f.minLevel > 1 ? String(f.minLevel) : '', city: f.city, kind: f.kind, language: f.language,
    availability: f.availability, tag: f.tag, org: f.org ? String(f.org) : '', project_kind: f.projectKind,
    active: f.activeYears ? String(f.activeYears) : '', dnc: f.includeDnc ? '1' : '', id: f.ids.map(String),
    sort: f.sort === 'relevance' ? '' : f.sort, page: f.page > 1 ? String(f.page) : '',
    ...overrides,
  };
  for (const [k, v] of Object.entries(set)) {
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else if (v) p.append(k, v);
  }
  return p.toString();
}

/** True when the search narrows anything (used to tell "nobody matches" from "nobody yet"). */
export function hasFilters(f: PeopleFilters): boolean {
  return Boolean(f.q || f.skills.length || f.city || f.kind || f.language || f.availability || f.tag || f.org
    || f.projectKind || f.activeYears || f.minLevel > 1 || f.ids.length);
}

/** 'YYYY-MM-DD' as a number (20261127) for fast comparison; 0 when missing or malformed. */
export function dateNumber(d: string | null | undefined): number {
  if (!d || !/^\d{4}-\d{2}-\d{2}/.test(d)) return 0;
  return Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
}

/** The date N years before `today`, as a dateNumber. */
export function yearsAgo(years: number, today: Date = new Date()): number {
  return (today.getUTCFullYear() - years) * 10000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
}

const LANGUAGE_SEPARATORS = /\s*(?:[,;/|+&]|\bund\b|\band\b)\s*/i;

/** Splits a free-text language list ("German, English / Türkisch") into items: folded key and as typed. */
export function languageItems(raw: string | null | undefined): { norm: string; label: string }[] {
  const seen = new Set<string>();
  const out: { norm: string; label: string }[] = [];
  for (const part of (raw ?? '').split(LANGUAGE_SEPARATORS)) {
    const label = part.trim();
    const norm = foldText(label);
    if (norm && !seen.has(norm)) {
      seen.add(norm);
      out.push({ norm, label });
    }
  }
  return out;
}
