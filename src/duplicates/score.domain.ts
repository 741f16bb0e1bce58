// How alike two people are: a score from 0 to 100 with the reasons a person can check, and the blocking keys
// that bring candidates together (only people sharing a key are ever compared, never all pairs).
import type { CountryCode } from 'libphonenumber-js';
import { colognePhonetic, emailKey, foldGerman, foldPlain, phoneBlockKey, phoneE164, regionOf } from './match.domain.js';
import { compareNames } from './names.domain.js';

/** What the matcher reads of a person (the stored columns). */
export interface MatchInput {
  id: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  organisation: string | null;
  /** e-mails of people merged into this one: they match like the person's own */
  aliases?: string[];
}

/** A person prepared for comparison: every normal form computed once. */
export interface Features {
  id: number;
  first: string;
  last: string;
  /** folded with transliteration (ü = ue) and without (ü = u) */
  firstG: string;
  lastG: string;
  firstP: string;
  lastP: string;
  /** Kölner Phonetik of the folded first and last name */
  firstCode: string;
  lastCode: string;
  emails: string[];
  mailboxes: string[];
  /** the phone as typed, its region, its blocking key; its E.164 form is computed when first compared */
  phoneRaw: string | null;
  region: CountryCode;
  phoneKey: string | null;
  e164?: string | null;
  city: string;
  postcode: string;
  organisation: string;
  /** how many records (this one included) have this folded first and last name in this city; 1 until counted */
  namesakes: number;
}

interface NameForms { trimmed: string; g: string; p: string; code: string }

/**
 * Names, cities and organisations repeat across a network (thousands of Thomas, hundreds of Berlin): their folded
 * forms are computed once and shared, which saves most of a scan's folding time and memory. Bounded: emptied when full.
 */
const nameCache = new Map<string, NameForms>();
const placeCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;
const NO_STRINGS: string[] = [];

function nameForms(s: string | null): NameForms {
  const raw = s ?? '';
  let f = nameCache.get(raw);
  if (!f) {
    const g = foldGerman(raw);
    f = { trimmed: raw.trim(), g, p: foldPlain(raw), code: colognePhonetic(g) };
    if (nameCache.size >= CACHE_LIMIT) nameCache.clear();
    nameCache.set(raw, f);
  }
  return f;
}

function placeForm(s: string | null): string {
  if (!s) return '';
  let f = placeCache.get(s);
  if (f === undefined) {
    f = foldPlain(s);
    if (placeCache.size >= CACHE_LIMIT) placeCache.clear();
    placeCache.set(s, f);
  }
  return f;
}

export function features(p: MatchInput, defaultRegion: CountryCode = 'DE'): Features {
  const keys = p.aliases?.length ? [p.email, ...p.aliases].map(emailKey).filter((k) => k !== null) : p.email ? [emailKey(p.email)].filter((k) => k !== null) : [];
  const first = nameForms(p.first_name);
  const last = nameForms(p.last_name);
  const emails = keys.length ? keys.map((k) => k.exact) : NO_STRINGS;
  // one array for both when every address is its own mailbox (most are): less memory per person in a scan
  const mailboxes = keys.every((k) => k.mailbox === k.exact) ? emails : keys.map((k) => k.mailbox);
  return {
    id: p.id,
    first: first.trimmed,
    last: last.trimmed,
    firstG: first.g,
    lastG: last.g,
    firstP: first.p,
    lastP: last.p,
    firstCode: first.code,
    lastCode: last.code,
    emails,
    mailboxes,
    phoneRaw: p.phone,
    region: regionOf(p.country) ?? defaultRegion,
    phoneKey: phoneBlockKey(p.phone),
    e164: undefined, // set when first compared; declared here so it does not grow the object later
    city: placeForm(p.city),
    postcode: p.postcode ? p.postcode.replace(/\s+/g, '').toLowerCase() : '',
    organisation: placeForm(p.organisation),
    namesakes: 1,
  };
}

/**
 * From this many records with one name in one city (Thomas Müller, Berlin, three times), the name and the city
 * no longer tell which of them two records are: such a pair needs one more thing in common to be listed.
 */
export const COMMON_NAME = 3;

/** The folded first and last name with the city, as namesakes are counted; null without a full name or a city. */
export function namesakeKey(f: Features): string | null {
  return f.firstG && f.lastG && f.city ? `${f.firstG}|${f.lastG}|${f.city}` : null;
}

export type ReasonKey =
  | 'sameEmail' | 'emailAlike' | 'samePhone' | 'sameName' | 'namesAlike' | 'namesSimilar' | 'namesSwapped' | 'initial'
  | 'sameLastName' | 'sameCity' | 'samePostcode' | 'sameOrganisation' | 'commonName' | 'differentEmails'
  | 'differentPhones' | 'differentNames';

export interface Reason {
  key: ReasonKey;
  vars: Record<string, string>;
  /** what it adds to the score (negative: evidence against) */
  weight: number;
}

export interface Match {
  score: number;
  reasons: Reason[];
}

/** At or above: listed as a likely duplicate, and the person form warns. */
export const LIKELY = 50;

export const WEIGHTS: Record<ReasonKey, number> = {
  sameEmail: 70, emailAlike: 65, samePhone: 50,
  sameName: 40, namesAlike: 38, namesSimilar: 30, namesSwapped: 35, initial: 28, sameLastName: 8,
  sameCity: 15, samePostcode: 5, sameOrganisation: 10,
  commonName: -6, differentEmails: -15, differentPhones: -20, differentNames: -25,
};

function full(f: string, l: string): string {
  return `${f} ${l}`.trim();
}

/** The phone in E.164 (libphonenumber-js), computed once per person and only for people who get compared. */
export function phoneOf(f: Features): string | null {
  if (f.e164 === undefined) f.e164 = f.phoneKey ? phoneE164(f.phoneRaw, f.region) : null;
  return f.e164;
}

const STRONG_EMAIL = 0;

/** Both have the same (folded) name in the same city, and so do others: COMMON_NAME or more records in all. */
function sharedCommonName(a: Features, b: Features): boolean {
  return Math.max(a.namesakes, b.namesakes) >= COMMON_NAME && a.firstG !== '' && a.firstG === b.firstG && a.lastG === b.lastG;
}

/** What two records agree or disagree on, as reason keys (no values): the scan's inner loop, kept allocation-light. */
export function evidence(a: Features, b: Features): ReasonKey[] {
  const out: ReasonKey[] = [];
  if (a.emails.length && b.emails.length) {
    let kind = -1;
    for (const e of a.emails) if (b.emails.includes(e)) kind = STRONG_EMAIL;
    if (kind < 0) for (const m of a.mailboxes) if (b.mailboxes.includes(m)) kind = 1;
    out.push(kind === STRONG_EMAIL ? 'sameEmail' : kind === 1 ? 'emailAlike' : 'differentEmails');
  }
  if (a.phoneKey && b.phoneKey) {
    const pa = phoneOf(a);
    const pb = phoneOf(b);
    if (pa && pb) out.push(pa === pb ? 'samePhone' : 'differentPhones');
  }
  const name = compareNames(a, b);
  if (name) out.push(name);
  if (a.city && a.city === b.city) {
    out.push('sameCity');
    if (sharedCommonName(a, b)) out.push('commonName');
  }
  if (a.postcode && a.postcode === b.postcode) out.push('samePostcode');
  if (a.organisation && a.organisation === b.organisation) out.push('sameOrganisation');
  return out;
}

/**
 * The highest score two records could reach, from what is cheap to check (e-mail, phone, city, postcode,
 * organisation) and the best a name can add: a pair below the threshold by this bound needs no name comparison.
 */
export function scoreBound(a: Features, b: Features): number {
  let s = WEIGHTS.sameName;
  if (a.city && a.city === b.city) s += WEIGHTS.sameCity;
  if (a.postcode && a.postcode === b.postcode) s += WEIGHTS.samePostcode;
  if (a.organisation && a.organisation === b.organisation) s += WEIGHTS.sameOrganisation;
  if (a.mailboxes.length && b.mailboxes.length) {
    for (const m of a.mailboxes) {
      if (b.mailboxes.includes(m)) {
        s += WEIGHTS.sameEmail;
        break;
      }
    }
  }
  if (a.phoneKey && b.phoneKey) {
    const pa = phoneOf(a);
    if (pa && pa === phoneOf(b)) s += WEIGHTS.samePhone;
  }
  return s;
}

/** The score of some evidence, 0–100. */
export function scoreOf(keys: ReasonKey[]): number {
  let s = 0;
  for (const k of keys) s += WEIGHTS[k];
  return Math.max(0, Math.min(100, s));
}

/** The values a reason names, for a person to check. */
function reasonVars(key: ReasonKey, a: Features, b: Features): Record<string, string> {
  switch (key) {
    case 'sameEmail': return { email: a.emails.find((e) => b.emails.includes(e))! };
    case 'emailAlike': {
      const i = a.mailboxes.findIndex((m) => b.mailboxes.includes(m));
      return { a: a.emails[i]!, b: b.emails[b.mailboxes.indexOf(a.mailboxes[i]!)]! };
    }
    case 'differentEmails': return { a: a.emails[0]!, b: b.emails[0]! };
    case 'samePhone': case 'differentPhones': return { phone: phoneOf(a)! };
    case 'sameCity': return { city: a.city };
    case 'samePostcode': return { postcode: a.postcode };
    case 'sameOrganisation': return { organisation: a.organisation };
    case 'commonName': return { name: full(a.first, a.last), city: a.city, count: String(Math.max(a.namesakes, b.namesakes)) };
    default: return { a: full(a.first, a.last), b: full(b.first, b.last) };
  }
}

/** The score (0–100) and the reasons for it, strongest first; higher is more likely the same person. */
export function compare(a: Features, b: Features): Match {
  const keys = evidence(a, b);
  const reasons = keys.map((key) => ({ key, vars: reasonVars(key, a, b), weight: WEIGHTS[key] }));
  return { score: scoreOf(keys), reasons: reasons.sort((x, y) => y.weight - x.weight) };
}

/**
 * The keys a person is found under: each e-mail mailbox, the phone, and the sound of the last name with the
 * first initial (also the other way round, for swapped names), alone and within the city.
 */
export function blockingKeys(f: Features): string[] {
  const keys = new Set<string>();
  for (const m of f.mailboxes) keys.add(`e:${m}`);
  if (f.phoneKey) keys.add(`p:${f.phoneKey}`);
  const name = (code: string, first: string) => {
    if (!code) return;
    const k = `n:${code}|${first.slice(0, 1)}`;
    keys.add(k);
    if (f.city) keys.add(`${k}|${f.city}`);
  };
  name(f.lastCode, f.firstG);
  if (f.firstG && f.lastG) name(f.firstCode, f.lastG);
  return [...keys];
}
