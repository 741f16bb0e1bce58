// Languages a person speaks, as ISO 639-1 codes (the one list of codes with their English and German names is
// language-names.domain.ts): reading what people type (a name in either language, any letter case, a code such
// as EN or en-GB, with or without a level such as "fluent" or "(Muttersprache)"), and showing codes in the
// interface language. Stored in people.languages as "de, en" (codes in the order given). Forms, imports, the
// own-link page, the search box and the migration of free text (20261205500002) all read languages through
// this module.
import { foldText } from '../shared/normalise.js';
import { LANGUAGE_NAMES } from './language-names.domain.js';
import type { Validator } from '../shared/validate.js';

export type LanguageCode = keyof typeof LANGUAGE_NAMES;
/** Every ISO 639-1 code (183), in the order of language-names.domain.ts (alphabetical). */
export const LANGUAGE_CODES = Object.keys(LANGUAGE_NAMES) as LanguageCode[];

/**
 * Other names people write, folded (the English and German names of every code are found without this list):
 * older or everyday names, three-letter codes seen in spreadsheets, and the language names of Germany's
 * largest communities as they are often spelt. (Sign languages have no ISO 639-1 code: such text is listed for a manager.)
 */
const LANGUAGE_ALIASES: Readonly<Record<string, LanguageCode>> = {
  farsi: 'fa', persian: 'fa', dari: 'fa', mandarin: 'zh', kantonesisch: 'zh', cantonese: 'zh', hochdeutsch: 'de', plattdeutsch: 'de',
  schwyzerdutsch: 'de', schweizerdeutsch: 'de', 'swiss german': 'de', amerikanisch: 'en', 'american english': 'en', 'british english': 'en',
  kurmanci: 'ku', kurmandschi: 'ku', sorani: 'ku', 'serbokroatisch': 'sr', 'serbo-croatian': 'sr', flamisch: 'nl', flemish: 'nl',
  moldauisch: 'ro', moldovan: 'ro', tagalog: 'tl', filipino: 'tl', bokmal: 'nb', nynorsk: 'nn', castilian: 'es', kastilisch: 'es',
  ger: 'de', deu: 'de', eng: 'en', fra: 'fr', fre: 'fr', spa: 'es', ita: 'it', tur: 'tr', pol: 'pl', rus: 'ru', ara: 'ar', ukr: 'uk',
  por: 'pt', nld: 'nl', dut: 'nl', per: 'fa', fas: 'fa', chi: 'zh', zho: 'zh', gre: 'el', ell: 'el',
};

/** Words that say how well, not which language; dropped when reading ("English (fluent)", "Deutsch: Muttersprache"). */
const LEVEL_WORDS = new Set([
  'native', 'fluent', 'basic', 'basics', 'good', 'very', 'excellent', 'business', 'conversational', 'mother', 'tongue', 'first', 'language',
  'some', 'beginner', 'intermediate', 'advanced', 'level', 'spoken', 'written', 'only', 'a1', 'a2', 'b1', 'b2', 'c1', 'c2',
  'muttersprache', 'muttersprachlich', 'fliessend', 'verhandlungssicher', 'grundkenntnisse', 'gut', 'gute', 'sehr', 'kenntnisse',
  'erstsprache', 'anfanger', 'fortgeschritten', 'mittel', 'etwas', 'wenig', 'schriftlich', 'mundlich', 'sprache',
]);

/** Between items of a list: comma, semicolon, slash, bar, plus, ampersand, "and", "und", a line break. */
export const LANGUAGE_LIST_SEPARATORS = /\s*(?:[,;/|+&\n]|\bund\b|\band\b)\s*/i;

const CODE_SET: ReadonlySet<string> = new Set(LANGUAGE_CODES);

/** Folded name → code: both languages' names, the codes themselves, then the aliases (made on first use). */
let byName: ReadonlyMap<string, LanguageCode> | null = null;
function namesToCodes(): ReadonlyMap<string, LanguageCode> {
  if (byName) return byName;
  const m = new Map<string, LanguageCode>();
  for (const c of LANGUAGE_CODES) {
    for (const name of LANGUAGE_NAMES[c]) {
      const folded = foldText(name);
      if (folded && folded !== c && !m.has(folded)) m.set(folded, c);
    }
  }
  for (const [k, c] of Object.entries(LANGUAGE_ALIASES)) if (!m.has(k)) m.set(k, c);
  return (byName = m);
}

export function isLanguageCode(x: unknown): x is LanguageCode {
  return typeof x === 'string' && CODE_SET.has(x);
}

/** A code's name in the interface language ("de" → "Deutsch" / "German"); an unknown value as it is. */
export function languageName(code: string, locale: string): string {
  return isLanguageCode(code) ? LANGUAGE_NAMES[code][locale === 'de' ? 1 : 0] : code;
}

const collators = new Map<string, Intl.Collator>();
function collator(locale: string): Intl.Collator {
  let c = collators.get(locale);
  if (!c) collators.set(locale, (c = new Intl.Collator(locale === 'de' ? 'de' : 'en')));
  return c;
}

/** Every language as {code, name} in the interface language, sorted by name (for a list to pick from). */
export function languageChoices(locale: string): { code: LanguageCode; name: string }[] {
  return LANGUAGE_CODES.map((code) => ({ code, name: languageName(code, locale) })).sort((a, b) => collator(locale).compare(a.name, b.name));
}

/**
 * One typed language: a name in English or German (any case, accents optional), a code ("EN", "en-GB", "deu"),
 * optionally with a level ("English (fluent)", "Deutsch – Muttersprache"). Null when it names no language.
 */
export function parseLanguage(raw: string | null | undefined): LanguageCode | null {
  const whole = foldText(raw);
  if (!whole) return null;
  const direct = lookup(whole);
  if (direct) return direct;
  // drop a level in brackets or after a colon or dash, then level words around the name
  const stripped = whole.replace(/\(.*?\)|\[.*?\]/g, ' ').split(/\s*(?::|\s-\s|\s–\s)\s*/)[0]!.trim();
  const region = /^([a-z]{2})[-_][a-z0-9]{2,4}$/.exec(stripped);
  if (region && isLanguageCode(region[1])) return region[1];
  const direct2 = lookup(stripped);
  if (direct2) return direct2;
  const words = stripped.split(/[\s.]+/).filter((w) => w && !LEVEL_WORDS.has(w));
  return words.length ? lookup(words.join(' ')) : null;
}

function lookup(folded: string): LanguageCode | null {
  if (isLanguageCode(folded)) return folded;
  return namesToCodes().get(folded) ?? null;
}

/** A typed list ("German, Englisch / TR") as codes in the order given, without repeats, and what named no language. */
export function parseLanguages(raw: string | null | undefined): { codes: LanguageCode[]; unknown: string[] } {
  const codes: LanguageCode[] = [];
  const unknown: string[] = [];
  // brackets may hold commas ("Englisch (gut, schriftlich)"): split outside them only
  for (const item of splitOutsideBrackets(raw ?? '')) {
    const text = item.trim();
    if (!text) continue;
    const code = parseLanguage(text);
    if (code) {
      if (!codes.includes(code)) codes.push(code);
    } else if (!LEVEL_ONLY.test(foldText(text))) {
      unknown.push(text);
    }
  }
  return { codes, unknown };
}

/** An item that is only a level ("fluent") belongs to the language before it: not an unknown language. */
const LEVEL_ONLY = /^(?:\(.*\)|[a-c][12]|native|fluent|basic|gut|sehr gut|fliessend|muttersprache|grundkenntnisse)$/;

function splitOutsideBrackets(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const part of raw.split(/([()[\]])/)) {
    if (part === '(' || part === '[') depth++;
    if (part === ')' || part === ']') depth = Math.max(0, depth - 1);
    if (depth > 0 || /^[()[\]]$/.test(part)) {
      current += part;
      continue;
    }
    const pieces = part.split(LANGUAGE_LIST_SEPARATORS);
    current += pieces[0];
    for (const p of pieces.slice(1)) {
      out.push(current);
      current = p;
    }
  }
  out.push(current);
  return out;
}

/** The stored form of a list of codes ("de, en"); null for none. */
export function storeLanguages(codes: readonly string[]): string | null {
  return codes.length ? codes.join(', ') : null;
}

/** The codes of a stored value. */
export function languageCodesOf(stored: string | null | undefined): LanguageCode[] {
  return (stored ?? '').split(',').map((s) => s.trim()).filter(isLanguageCode);
}

/** A stored value for people to read, in the interface language: "de, en" → "Deutsch, Englisch". */
export function formatLanguages(stored: string | null | undefined, locale: string): string {
  return languageCodesOf(stored).map((c) => languageName(c, locale)).join(', ');
}

/**
 * Reads the languages field of a form or an import row through the validator: the stored codes, or a
 * field error naming what is not a language (nothing is silently dropped).
 */
export function readLanguages(v: Validator, field: string, max: number): string | null {
  const raw = v.raw(field).trim();
  if (!raw) return null;
  if (raw.length > max) {
    v.fail(field, 'validation.tooLong');
    return null;
  }
  const { codes, unknown } = parseLanguages(raw);
  if (unknown.length) {
    v.fail(field, 'people.languageUnknown');
    return null;
  }
  return storeLanguages(codes);
}
