// How alike two people are: a score from 0 to 100 with the reasons a person can check, and the blocking keys
// that bring candidates together (only people sharing a key are ever compared, never all pairs).
import type { CountryCode } from 'libphonenumber-js';
import { colognePhonetic, emailKey, foldGerman, foldPlain, jaroWinkler, phoneE164, regionOf } from './match.domain.js';

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
  emails: string[];
  mailboxes: string[];
  phone: string | null;
  city: string;
  postcode: string;
  organisation: string;
}

export function features(p: MatchInput, defaultRegion: CountryCode = 'DE'): Features {
  const keys = [p.email, ...(p.aliases ?? [])].map(emailKey).filter((k) => k !== null);
  return {
    id: p.id,
    first: (p.first_name ?? '').trim(),
    last: (p.last_name ?? '').trim(),
    firstG: foldGerman(p.first_name),
    lastG: foldGerman(p.last_name),
    firstP: foldPlain(p.first_name),
    lastP: foldPlain(p.last_name),
    emails: keys.map((k) => k.exact),
    mailboxes: keys.map((k) => k.mailbox),
    phone: phoneE164(p.phone, regionOf(p.country), defaultRegion),
    city: foldPlain(p.city),
    postcode: (p.postcode ?? '').replace(/\s+/g, '').toLowerCase(),
    organisation: foldPlain(p.organisation),
  };
}

export type ReasonKey =
  | 'sameEmail' | 'emailAlike' | 'samePhone' | 'sameName' | 'namesAlike' | 'namesSwapped' | 'initial' | 'sameLastName'
  | 'sameCity' | 'samePostcode' | 'sameOrganisation' | 'differentEmails' | 'differentPhones' | 'differentNames';

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
  sameName: 40, namesAlike: 38, namesSwapped: 35, initial: 28, sameLastName: 8,
  sameCity: 15, samePostcode: 5, sameOrganisation: 10,
  differentEmails: -15, differentPhones: -20, differentNames: -25,
};

const full = (f: string, l: string) => `${f} ${l}`.trim();
const isInitial = (s: string) => s.length === 1;

/** The strongest way two names agree, or null. */
function compareNames(a: Features, b: Features): Reason | null {
  const pair = { a: full(a.first, a.last), b: full(b.first, b.last) };
  const r = (key: ReasonKey): Reason => ({ key, vars: pair, weight: WEIGHTS[key] });
  if (!pair.a || !pair.b) return null;
  const eq = (x: [string, string], y: [string, string]) => x[0] === y[0] && x[1] === y[1];
  if (eq([a.firstP, a.lastP], [b.firstP, b.lastP]) && pair.a.toLowerCase() === pair.b.toLowerCase()) return r('sameName');
  if (eq([a.firstG, a.lastG], [b.firstG, b.lastG]) || eq([a.firstP, a.lastP], [b.firstP, b.lastP])) return r('namesAlike');
  const lastSame = (a.lastG && a.lastG === b.lastG) || (a.lastP && a.lastP === b.lastP);
  if (a.firstG && a.lastG && ((a.firstG === b.lastG && a.lastG === b.firstG) || (a.firstP === b.lastP && a.lastP === b.firstP))) {
    return r('namesSwapped');
  }
  if (lastSame && a.firstG && b.firstG) {
    const [fa, fb] = [a.firstG.split(' '), b.firstG.split(' ')];
    if ((isInitial(fa[0]!) || isInitial(fb[0]!)) && fa[0]![0] === fb[0]![0]) return r('initial');
    if (fa[0] === fb[0]) return r('namesAlike'); // "Jana Maria" and "Jana"
  }
  const similarity = jaroWinkler(full(a.firstG, a.lastG), full(b.firstG, b.lastG));
  if (similarity >= 0.93 && a.firstG[0] === b.firstG[0]) return r('namesAlike');
  if (lastSame) return r('sameLastName');
  if (similarity < 0.75) return r('differentNames');
  return null;
}

/** The score (0–100) and the reasons for it; higher is more likely the same person. */
export function compare(a: Features, b: Features): Match {
  const reasons: Reason[] = [];
  const add = (key: ReasonKey, vars: Record<string, string> = {}) => reasons.push({ key, vars, weight: WEIGHTS[key] });
  const sharedExact = a.emails.find((e) => b.emails.includes(e));
  const sharedMailbox = a.mailboxes.findIndex((m) => b.mailboxes.includes(m));
  if (sharedExact) add('sameEmail', { email: sharedExact });
  else if (sharedMailbox >= 0) {
    const other = b.emails[b.mailboxes.indexOf(a.mailboxes[sharedMailbox]!)]!;
    add('emailAlike', { a: a.emails[sharedMailbox]!, b: other });
  } else if (a.emails.length && b.emails.length) add('differentEmails', { a: a.emails[0]!, b: b.emails[0]! });
  if (a.phone && b.phone) add(a.phone === b.phone ? 'samePhone' : 'differentPhones', { phone: a.phone });
  const name = compareNames(a, b);
  if (name) reasons.push(name);
  if (a.city && a.city === b.city) add('sameCity', { city: a.city });
  if (a.postcode && a.postcode === b.postcode) add('samePostcode', { postcode: a.postcode });
  if (a.organisation && a.organisation === b.organisation) add('sameOrganisation', { organisation: a.organisation });
  const score = Math.max(0, Math.min(100, reasons.reduce((s, r) => s + r.weight, 0)));
  return { score, reasons: reasons.sort((x, y) => y.weight - x.weight) };
}

/**
 * The keys a person is found under: each e-mail mailbox, the phone, and the sound of the last name with the
 * first initial (also the other way round, for swapped names), alone and within the city.
 */
export function blockingKeys(f: Features): string[] {
  const keys = new Set<string>();
  for (const m of f.mailboxes) keys.add(`e:${m}`);
  if (f.phone) keys.add(`p:${f.phone}`);
  const name = (last: string, first: string) => {
    const code = colognePhonetic(last);
    if (!code) return;
    const k = `n:${code}|${first.slice(0, 1)}`;
    keys.add(k);
    if (f.city) keys.add(`${k}|${f.city}`);
  };
  name(f.lastG, f.firstG);
  if (f.firstG && f.lastG) name(f.firstG, f.lastG);
  return [...keys];
}
