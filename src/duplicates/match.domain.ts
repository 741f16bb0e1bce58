// Normal forms for finding the same person twice: e-mail as the provider delivers it, phone numbers in E.164,
// names folded (diacritics, German transliteration), a German phonetic code, and a string-similarity measure.
import { parsePhoneNumberFromString, getCountries, type CountryCode } from 'libphonenumber-js';
import { foldText } from '../shared/normalise.js';

/** Providers that deliver `a.b+x@…` to `ab@…`: which parts of the local part they ignore; aliases of a domain. */
const PROVIDERS: Record<string, { dots: boolean; plus: boolean; domain?: string }> = {
  'gmail.com': { dots: true, plus: true },
  'googlemail.com': { dots: true, plus: true, domain: 'gmail.com' },
  'outlook.com': { dots: false, plus: true },
  'hotmail.com': { dots: false, plus: true },
  'live.com': { dots: false, plus: true },
  'icloud.com': { dots: false, plus: true },
  'me.com': { dots: false, plus: true, domain: 'icloud.com' },
  'mac.com': { dots: false, plus: true, domain: 'icloud.com' },
  'proton.me': { dots: false, plus: true },
  'protonmail.com': { dots: false, plus: true, domain: 'proton.me' },
  'pm.me': { dots: false, plus: true, domain: 'proton.me' },
  'fastmail.com': { dots: false, plus: true },
  'posteo.de': { dots: false, plus: true },
  'mailbox.org': { dots: false, plus: true },
};

export interface EmailKey {
  /** trimmed, lower case: what the unique column holds */
  exact: string;
  /** the mailbox the provider delivers to (googlemail = gmail, dots and +tags dropped where ignored) */
  mailbox: string;
}

/** The exact and the delivered-to form of an e-mail; null when there is none or it has no @. */
export function emailKey(email: string | null | undefined): EmailKey | null {
  const exact = (email ?? '').trim().toLowerCase();
  const at = exact.lastIndexOf('@');
  if (at < 1 || at === exact.length - 1) return null;
  let local = exact.slice(0, at);
  let domain = exact.slice(at + 1);
  const p = PROVIDERS[domain];
  // most addresses are their own mailbox: one string, not a second copy per person in a scan
  if (!p) return { exact, mailbox: exact };
  if (p.plus) local = local.replace(/\+.*$/, '');
  if (p.dots) local = local.replace(/\./g, '');
  domain = p.domain ?? domain;
  return { exact, mailbox: `${local}@${domain}` };
}

const REGIONS: ReadonlyMap<string, CountryCode> = (() => {
  const map = new Map<string, CountryCode>();
  const en = new Intl.DisplayNames(['en'], { type: 'region' });
  const de = new Intl.DisplayNames(['de'], { type: 'region' });
  for (const code of getCountries()) {
    map.set(code.toLowerCase(), code);
    for (const names of [en, de]) {
      const name = names.of(code);
      if (name) map.set(foldText(name), code);
    }
  }
  for (const [alias, code] of [['deutschland', 'DE'], ['germany', 'DE'], ['brd', 'DE'], ['uk', 'GB'], ['england', 'GB'],
    ['usa', 'US'], ['schweiz', 'CH'], ['osterreich', 'AT'], ['holland', 'NL']] as const) map.set(alias, code);
  return map;
})();

const regionCache = new Map<string, CountryCode | null>();

/** A country as people type it ("Deutschland", "Austria", "ch") as its ISO code, or null. */
export function regionOf(country: string | null | undefined): CountryCode | null {
  if (!country) return null;
  let r = regionCache.get(country);
  if (r === undefined) {
    const k = foldText(country).replace(/[.]/g, '');
    r = k ? (REGIONS.get(k) ?? null) : null;
    if (regionCache.size < 10_000) regionCache.set(country, r);
  }
  return r;
}

/** Every region a phone number can belong to, with its name in the reader's language, sorted by name. */
export function phoneRegions(locale: string): { code: CountryCode; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  return getCountries().map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => a.name.localeCompare(b.name, locale));
}

export function isRegion(code: string): code is CountryCode {
  return REGIONS.get(code.toLowerCase()) === code;
}

/** A phone number in E.164 ("+491711234567"), read in the person's country or else the default region; null when it is no valid number. */
export function phoneE164(phone: string | null | undefined, region: CountryCode | null, fallback: CountryCode = 'DE'): string | null {
  const raw = (phone ?? '').trim().replace(/^'/, '');
  if (!/\d/.test(raw)) return null;
  const parsed = parsePhoneNumberFromString(raw, region ?? fallback);
  return parsed && parsed.isPossible() ? parsed.number : null;
}

/**
 * A cheap key that every spelling of one number shares ("0171 1234567", "+49 171 1234567", "0049-171-1234567"):
 * its last eight digits. For blocking only; whether two numbers are the same is decided by phoneE164.
 */
export function phoneBlockKey(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 8 ? digits.slice(-8) : null;
}

/** A name folded for comparison with the German transliteration: "Krüger" → "krueger", "Strauß" → "strauss". */
export function foldGerman(s: string | null | undefined): string {
  return foldPlain((s ?? '').toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue'));
}

/** A name folded without transliteration ("Krüger" → "kruger"), punctuation as spaces. */
export function foldPlain(s: string | null | undefined): string {
  return foldText(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Kölner Phonetik (Postel 1969): a code for how a German name sounds, so Meier, Mayer and Maier,
 * Schmidt and Schmitt, Krüger and Krueger share one ("Müller" → "657").
 */
export function colognePhonetic(name: string | null | undefined): string {
  const s = foldPlain(name).replace(/[^a-z]/g, '').toUpperCase();
  let digits = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const prev = i > 0 ? s[i - 1]! : '';
    const next = s[i + 1] ?? '';
    let d = '';
    if ('AEIJOUY'.includes(c)) d = '0';
    else if (c === 'H') d = '';
    else if (c === 'B') d = '1';
    else if (c === 'P') d = next === 'H' ? '3' : '1';
    else if (c === 'D' || c === 'T') d = 'CSZ'.includes(next) && next ? '8' : '2';
    else if ('FVW'.includes(c)) d = '3';
    else if ('GKQ'.includes(c)) d = '4';
    else if (c === 'C') {
      if (i === 0) d = 'AHKLOQRUX'.includes(next) && next ? '4' : '8';
      else d = 'SZ'.includes(prev) ? '8' : 'AHKOQUX'.includes(next) && next ? '4' : '8';
    } else if (c === 'X') d = 'CKQ'.includes(prev) && prev ? '8' : '48';
    else if (c === 'L') d = '5';
    else if (c === 'M' || c === 'N') d = '6';
    else if (c === 'R') d = '7';
    else if (c === 'S' || c === 'Z') d = '8';
    digits += d;
  }
  let out = '';
  for (let i = 0; i < digits.length; i++) if (i === 0 || digits[i] !== digits[i - 1]) out += digits[i];
  return out.length ? out[0] + out.slice(1).replace(/0/g, '') : '';
}

let aScratch = new Uint8Array(64);
let bScratch = new Uint8Array(64);

/** Jaro-Winkler similarity in [0, 1] (1 = equal); the prefix bonus suits names, whose first letters are rarely wrong. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (!a.length || !b.length) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  // scratch buffers reused across calls: this runs for millions of pairs in a scan
  if (a.length > aScratch.length || b.length > bScratch.length) {
    aScratch = new Uint8Array(Math.max(a.length, b.length) * 2);
    bScratch = new Uint8Array(aScratch.length);
  }
  const aHit = aScratch;
  const bHit = bScratch;
  aHit.fill(0, 0, a.length);
  bHit.fill(0, 0, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (bHit[j] || a[i] !== b[j]) continue;
      aHit[i] = bHit[j] = 1;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aHit[i]) continue;
    while (!bHit[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
