// Pure pieces of people search: the document indexed for a person, and a user's words turned into a
// safe FTS5 query (every word a quoted prefix term, so no input is ever query syntax).
import { foldText } from '../shared/normalise.js';

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

export function buildPersonDoc(p: PersonDocParts): string {
  const emailWords = p.email ? [p.email, p.email.replace(/[@._+-]/g, ' ')] : [];
  return [p.first_name, p.last_name, ...emailWords, p.city, p.organisation, p.job_title, p.notes, ...p.tags, ...p.skillNames]
    .filter((x): x is string => Boolean(x && x.trim()))
    .join(' \n ');
}

export const MAX_QUERY_WORDS = 12;

/** The words of a search box, folded; punctuation and FTS operators are just separators. */
export function searchWords(q: string): string[] {
  const words = foldText(q.slice(0, 500))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_QUERY_WORDS);
}

/** `schm mul` → `"schm"* AND "mul"*`; null when there is nothing to search for. */
export function ftsQuery(q: string): string | null {
  const words = searchWords(q);
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}

export const SORTS = ['relevance', 'name', 'recent_engagement', 'recently_added'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 50;

export interface PeopleFilters {
  q: string;
  /** skill names, aliases or ids as typed */
  skills: string[];
  match: 'all' | 'any';
  minLevel: number;
  city: string;
  kind: '' | 'volunteer' | 'freelancer';
  language: string;
  availability: string;
  tag: string;
  org: number | null;
  projectKind: string;
  activeYears: number | null;
  includeDnc: boolean;
  page: number;
  sort: Sort;
}

type QueryInput = Record<string, unknown>;

function one(q: QueryInput, name: string): string {
  const v = q[name];
  return (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();
}

function many(q: QueryInput, name: string): string[] {
  const v = q[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))].slice(0, 10);
}

function intIn(raw: string, min: number, max: number): number | null {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** Reads the /people search parameters; anything malformed falls back to its default, never an error. */
export function parsePeopleFilters(q: QueryInput): PeopleFilters {
  const sortRaw = one(q, 'sort');
  const kind = one(q, 'kind');
  const match = one(q, 'match');
  return {
    q: one(q, 'q').slice(0, 500),
    skills: many(q, 'skill'),
    match: match === 'any' ? 'any' : 'all',
    minLevel: intIn(one(q, 'level'), 1, 3) ?? 1,
    city: one(q, 'city').slice(0, 120),
    kind: kind === 'volunteer' || kind === 'freelancer' ? kind : '',
    language: one(q, 'language').slice(0, 60),
    availability: ['available', 'limited', 'unavailable'].includes(one(q, 'availability')) ? one(q, 'availability') : '',
    tag: one(q, 'tag').slice(0, 80),
    org: intIn(one(q, 'org'), 1, Number.MAX_SAFE_INTEGER),
    projectKind: ['consulting', 'implementation', 'mixed'].includes(one(q, 'project_kind')) ? one(q, 'project_kind') : '',
    activeYears: intIn(one(q, 'active'), 1, 50),
    includeDnc: one(q, 'dnc') === '1',
    page: intIn(one(q, 'page'), 1, 1_000_000) ?? 1,
    sort: (SORTS as readonly string[]).includes(sortRaw) ? (sortRaw as Sort) : 'relevance',
  };
}

/** The filters back as URL parameters (for links: pagination, facets, CSV), leaving defaults out. */
export function filtersToParams(f: PeopleFilters, overrides: Partial<Record<string, string | string[] | null>> = {}): string {
  const p = new URLSearchParams();
  const set: Record<string, string | string[] | null> = {
    q: f.q, skill: f.skills, match: f.skills.length > 1 && f.match === 'any' ? 'any' : '',
    level: f.minLevel > 1 ? String(f.minLevel) : '', city: f.city, kind: f.kind, language: f.language,
    availability: f.availability, tag: f.tag, org: f.org ? String(f.org) : '', project_kind: f.projectKind,
    active: f.activeYears ? String(f.activeYears) : '', dnc: f.includeDnc ? '1' : '',
    sort: f.sort === 'relevance' ? '' : f.sort, page: f.page > 1 ? String(f.page) : '',
    ...overrides,
  };
  for (const [k, v] of Object.entries(set)) {
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else if (v) p.append(k, v);
  }
  return p.toString();
}
