// Which column holds what: guessing a field from a header (English, German and the names common exports
// use), and splitting cells that hold several values. Pure logic.
import { foldText, nameKey } from '../shared/normalise.js';
import { AVAILABILITY_WORDS, PERSON_KIND_WORDS, type Availability, type PersonKind } from '../people/people.domain.js';
import { LIMITS } from '../shared/validate.js';
import { parseLevel } from '../skills/levels.domain.js';

/** The longest name of a saved column mapping. */
export const MAPPING_NAME_MAX = LIMITS.name;

export const TARGETS = [
  'first_name', 'last_name', 'full_name', 'email', 'phone', 'city', 'postcode', 'country', 'organisation', 'job_title',
  'notes', 'tags', 'skills', 'languages', 'kind', 'availability', 'portfolio_url', 'labelled', 'ignore',
] as const;
export type Target = (typeof TARGETS)[number];

export function isTarget(x: unknown): x is Target {
  return typeof x === 'string' && (TARGETS as readonly string[]).includes(x);
}

const NAMES: Record<Exclude<Target, 'labelled' | 'ignore'>, string[]> = {
  first_name: ['first name', 'firstname', 'first', 'given name', 'givenname', 'forename', 'vorname', 'vornamen', 'rufname', 'prenom'],
  last_name: ['last name', 'lastname', 'last', 'family name', 'familyname', 'surname', 'nachname', 'familienname', 'zuname'],
  full_name: ['name', 'full name', 'fullname', 'display name', 'contact name', 'contact', 'person', 'vollstandiger name', 'anzeigename', 'kontakt', 'kontaktname', 'vor und nachname'],
  email: ['email', 'e mail', 'mail', 'email address', 'e mail address', 'e mail adresse', 'email adresse', 'emailadresse', 'primary email', 'mail address'],
  phone: ['phone', 'phone number', 'telephone', 'tel', 'telefon', 'telefonnummer', 'mobile', 'mobile phone', 'mobil', 'handy', 'cell', 'cell phone', 'mobilnummer', 'rufnummer'],
  city: ['city', 'town', 'ort', 'stadt', 'wohnort', 'location', 'locality', 'standort', 'gemeinde'],
  postcode: ['postcode', 'post code', 'postal code', 'zip', 'zip code', 'zipcode', 'plz', 'postleitzahl'],
  country: ['country', 'land', 'country region', 'country code', 'cc', 'staat', 'nation', 'lander'],
  organisation: ['organization', 'organisation', 'organization name', 'organisation name', 'company', 'company name', 'firma', 'unternehmen', 'employer', 'arbeitgeber', 'institution', 'verein', 'organization 1 name'],
  job_title: ['job title', 'jobtitle', 'position', 'organization title', 'organisation title', 'job', 'occupation', 'berufsbezeichnung', 'beruf', 'funktion', 'tatigkeit', 'rolle', 'role', 'stellenbezeichnung'],
  notes: ['notes', 'note', 'notizen', 'notiz', 'bemerkung', 'bemerkungen', 'anmerkung', 'anmerkungen', 'kommentar', 'kommentare', 'comment', 'comments', 'remarks', 'description', 'beschreibung'],
  tags: ['tags', 'tag', 'tag s', 'labels', 'label', 'categories', 'category', 'kategorien', 'kategorie', 'group membership', 'groups', 'group', 'gruppen', 'gruppe', 'schlagworte', 'schlagworter', 'stichworte', 'segments', 'segment', 'lists', 'listen'],
  skills: ['skills', 'skill', 'skill s', 'fahigkeiten', 'kompetenzen', 'kenntnisse', 'expertise', 'competencies', 'competences', 'fertigkeiten', 'skill set', 'skillset', 'qualifikationen', 'qualifications'],
  languages: ['languages', 'language', 'sprachen', 'sprache', 'sprachkenntnisse', 'spoken languages'],
  kind: ['kind', 'art', 'typ', 'person type', 'volunteer type', 'helper type', 'engagement type', 'engagementart'],
  availability: ['availability', 'verfugbarkeit', 'available', 'verfugbar'],
  portfolio_url: ['website', 'web site', 'web page', 'webpage', 'homepage', 'url', 'portfolio', 'portfolio url', 'webseite', 'internetseite', 'linkedin', 'linkedin url', 'profile url', 'personal website'],
};

const BY_NAME = new Map<string, Target>();
for (const [target, names] of Object.entries(NAMES)) for (const n of names) BY_NAME.set(n, target as Target);

// Words that say which address or which phone, not what the column holds.
const QUALIFIERS = /^(?:home|business|work|private|privat|primary|main|other|personal|mailing|address|adresse|anschrift|organization|organisation|company|geschaftlich|dienstlich|contact|kontakt)\s+/;

/** A header in its comparable form: folded, punctuation as spaces. "E-mail 1 - Value" → "e mail 1 value". */
export function headerKey(header: string): string {
  return foldText(header).replace(/[^a-z0-9]+/g, ' ').trim();
}

/** How sure a header guess is: 3 the exact name, 2 after dropping numbers and qualifiers ("Home Phone 2"), 1 a word inside it. */
export type Strength = 0 | 1 | 2 | 3;

/** The field a header most likely means and how sure that is ({ 'ignore', 0 } when nothing fits). */
export function guessFieldStrength(header: string): { target: Target; strength: Strength } {
  const k = headerKey(header);
  if (!k) return { target: 'ignore', strength: 0 };
  const exact = BY_NAME.get(k);
  if (exact) return { target: exact, strength: 3 };
  if (/\b(label|type|typ|display name|fax|opt in|optin|opt out|status|format|consent|bounce|verified|count|date|time|do not|dont|nicht|keine?|flag|allowed|erlaubt|sperre|unsubscribed?)\b/.test(k)) return { target: 'ignore', strength: 0 };
  // "Phone 1 - Value", "E-mail 2", "Address 1 - City"
  let k2 = k.replace(/\b\d+\b/g, ' ').replace(/\bvalue\b/g, ' ').replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) {
    const hit = BY_NAME.get(k2);
    if (hit) return { target: hit, strength: 2 };
    const stripped = k2.replace(QUALIFIERS, '');
    if (stripped === k2) break;
    k2 = stripped;
  }
  if (/\b(e mail|email|mail)\b/.test(k)) return { target: 'email', strength: 1 };
  if (/\b(phone|telephone|telefon|mobile|mobil|handy|cell)\b/.test(k)) return { target: 'phone', strength: 1 };
  return { target: 'ignore', strength: 0 };
}

/** The field a header most likely means, or 'ignore'. Labelled values ("Custom Field 1 - Value") are found by guessMapping. */
export function guessField(header: string): Target {
  return guessFieldStrength(header).target;
}

const FLAG_VALUES = new Set(['0', '1', 'yes', 'no', 'y', 'n', 'true', 'false', 'ja', 'nein', 'j', 'x', 'wahr', 'falsch', 'on', 'off', '-']);

/** True when a column's values are flags (0/1, Yes/No, true/false, x): such a column is a switch, not contact data. */
export function isFlagColumn(values: string[]): boolean {
  const filled = values.map((v) => foldText(v.trim())).filter(Boolean);
  return filled.length > 0 && filled.every((v) => FLAG_VALUES.has(v));
}

const EMAIL_IN_CELL = /[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+/;

/** The fields a column of flags can never be (a "Do Not Email" 0/1 column is not the e-mail). */
const NOT_FOR_FLAGS = new Set<Target>(['email', 'phone', 'first_name', 'last_name', 'full_name', 'postcode', 'portfolio_url', 'city', 'organisation']);

/** Why a column's sample values rule out a field (null when they fit). */
function valuesRuleOut(target: Target, values: string[]): 'flags' | 'notEmail' | null {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (!filled.length) return null;
  if (NOT_FOR_FLAGS.has(target) && isFlagColumn(filled)) return 'flags';
  if (target === 'email' && filled.filter((v) => EMAIL_IN_CELL.test(v)).length * 2 < filled.length) return 'notEmail';
  return null;
}

/** Fields that take one value per row (several columns for them are a choice the user should see). */
const SINGLE = new Set<Target>(['first_name', 'last_name', 'full_name', 'email', 'phone', 'city', 'postcode', 'country', 'organisation', 'job_title', 'kind', 'availability', 'portfolio_url']);

/** A field that more than one column could feed equally well: the wizard shows these for the user to settle. */
export interface MappingTie {
  target: Target;
  columns: number[];
}

export interface MappingGuess {
  targets: Target[];
  ties: MappingTie[];
  /** columns a header suggested for a field their values rule out, with why */
  ruledOut: { column: number; target: Target; reason: 'flags' | 'notEmail' }[];
}

/** The label column of a "X - Value" column ("Custom Field 1 - Label"), or -1. */
export function labelColumnOf(headers: string[], index: number): number {
  const m = /^(.*?)\s*-\s*value$/i.exec(headers[index] ?? '');
  if (!m) return -1;
  const want = headerKey(`${m[1]} label`);
  return headers.findIndex((h) => headerKey(h) === want);
}

/**
 * Guesses every column from its header and, when given, the first data rows. Several columns may feed one
 * field: a row takes the one it fills whose header names the field most plainly (columnOrder: "E-mail" before
 * "Secondary Email"), then the first (E-mail 1 before E-mail 2, Outlook's "Location" before "Home City"); list
 * fields take them all. A column whose values rule the field out (flags, no e-mails) never maps to it. A "Name" column next to "Vorname" is the surname; "X - Value" columns with a "X - Label"
 * column take their field from the label in each row.
 */
export function guessMappingDetailed(headers: string[], sample: string[][] = []): MappingGuess {
  const guesses = headers.map((h) => guessFieldStrength(h));
  const ruledOut: MappingGuess['ruledOut'] = [];
  guesses.forEach((g, i) => {
    if (g.target === 'ignore') return;
    const why = valuesRuleOut(g.target, sample.map((r) => r[i] ?? ''));
    if (why) {
      ruledOut.push({ column: i, target: g.target, reason: why });
      guesses[i] = { target: 'ignore', strength: 0 };
    }
  });
  const out = guesses.map((g, i): Target => {
    if (g.target === 'ignore') return labelColumnOf(headers, i) >= 0 ? 'labelled' : 'ignore';
    return g.target;
  });
  if (out.includes('first_name') && !out.includes('last_name')) {
    const full = out.indexOf('full_name');
    if (full >= 0) out[full] = 'last_name';
  }
  const ties: MappingTie[] = [];
  for (const target of SINGLE) {
    const cols = out.map((t, i) => (t === target ? i : -1)).filter((i) => i >= 0);
    if (cols.length < 2) continue;
    const top = Math.max(...cols.map((i) => guesses[i]!.strength));
    const equal = cols.filter((i) => guesses[i]!.strength === top);
    // numbered columns ("E-mail 1", "E-mail 2") are meant as an order, not a tie
    if (equal.length > 1 && !equal.every((i) => /\d/.test(headers[i]!))) ties.push({ target, columns: equal });
  }
  return { targets: out, ties, ruledOut };
}

/**
 * The order a row reads its columns in: a column whose header names its field outright before one that only
 * contains a word of it, otherwise left to right. (Exact header beats substring, whoever mapped the columns.)
 */
export function columnOrder(headers: string[], targets: Target[]): number[] {
  const rank = headers.map((h, i) => {
    const g = guessFieldStrength(h);
    return g.target === targets[i] ? g.strength : 2;
  });
  return headers.map((_, i) => i).sort((a, b) => rank[b]! - rank[a]! || a - b);
}

/** The guessed field of every column (see guessMappingDetailed). */
export function guessMapping(headers: string[], sample: string[][] = []): Target[] {
  return guessMappingDetailed(headers, sample).targets;
}

/** The field a custom-field label names ("Skills", "Sprachen"); only list and text fields qualify. */
export function fieldForLabel(label: string): Target {
  const g = guessField(label);
  return g === 'labelled' ? 'ignore' : g;
}

/**
 * Removes the `'` that spreadsheet exports put before = + - @ tab CR against formula injection. Skillnet's own
 * exports give a value that already starts with `'` and such a character one more `'` (`''=1` for `'=1`), so
 * one `'` before quotes and a formula character is the guard.
 */
export function stripFormulaGuard(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const keyCache = new Map<string, string>();

/**
 * nameKey for the values of list cells (skills, tags): the same few hundred names repeat on every row,
 * and folding is the costliest step of a row, so keys are memoised (bounded, memory stays flat).
 */
export function listKey(s: string): string {
  let k = keyCache.get(s);
  if (k === undefined) {
    if (keyCache.size >= 20_000) keyCache.clear();
    k = nameKey(s);
    keyCache.set(s, k);
  }
  return k;
}

const MAILCHIMP_LIST = /^"(?:[^"]|"")*"(?:\s*,\s*"(?:[^"]|"")*")*$/;

/**
 * Splits a cell holding several values: `a; b`, `a, b`, `a ::: b` (Google), `"a","b"` (Mailchimp), one per
 * line. Google's system groups (`* myContacts`) are dropped; repeats (case- and accent-insensitive) too,
 * unless the caller dedupes itself (`dedupe` false).
 */
export function splitMulti(cell: string, dedupe = true): string[] {
  const c = cell.trim();
  if (!c) return [];
  let parts: string[];
  if (MAILCHIMP_LIST.test(c)) parts = [...c.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
  else if (c.includes(':::')) parts = c.split(':::');
  else if (c.includes(';')) parts = c.split(/[;\n]/);
  else if (c.includes('\n')) parts = c.split('\n');
  else parts = c.split(',');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of parts) {
    const v = p.trim();
    if (!v || /^\*\s/.test(v)) continue;
    if (!dedupe) {
      out.push(v);
      continue;
    }
    const k = listKey(v);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

/**
 * Splits a skill or tag cell: on `;`, line breaks AND `,` (`Grafikdesign, SEO; WordPress` is three), except
 * where a whole cell or a whole `;`-part is a value the network knows (`isKnown`: a skill, alias or tag that
 * holds a comma). A cell holding one value and a trailing `;` (`Design, UX;`, how exports write a single
 * value with a comma) is that one value. Google's `:::` and Mailchimp's quoted lists are split as splitMulti does.
 */
export function splitList(cell: string, isKnown: (value: string) => boolean = () => false): string[] {
  const c = cell.trim();
  if (!c) return [];
  if (c.includes(':::') || MAILCHIMP_LIST.test(c)) return splitMulti(c, false);
  const single = /^([^;\n]+);$/.exec(c);
  if (single) return [single[1]!.trim()];
  if (c.includes(',') && isKnown(c)) return [c];
  const out: string[] = [];
  for (const part of c.split(/[;\r\n]/)) {
    const p = part.trim();
    if (!p) continue;
    if (!p.includes(',') || isKnown(p)) {
      if (!/^\*\s/.test(p)) out.push(p);
      continue;
    }
    // `Design, UX (3), SEO`: the longest run of comma pieces that is a known value stays together
    const pieces = p.split(',').map((x) => x.trim());
    for (let i = 0; i < pieces.length;) {
      let j = pieces.length;
      while (j > i + 1 && !isKnown(pieces.slice(i, j).join(', '))) j--;
      const v = pieces.slice(i, j).join(', ');
      if (v && !/^\*\s/.test(v)) out.push(v);
      i = j;
    }
  }
  return out;
}

export { parseLevel };

/** "SEO (3/4)", "SEO (3)" (a file of the former 1–3 scale), "SEO:3", "SEO: expert" → name and level (levels.domain); anything else is all name. */
export function parseSkill(item: string): { name: string; level: number | null } {
  const m = /^(.*?)\s*(?:\(\s*([^()]+?)\s*\)|[:=]\s*([^:=]+?))\s*$/.exec(item);
  if (m && m[1]) {
    const level = parseLevel(m[2] ?? m[3] ?? '');
    if (level !== null) return { name: m[1].trim(), level };
  }
  return { name: item.trim(), level: null };
}

/** The first e-mail in a cell: `a@x ::: b@y` → a@x, `Ann <a@x>` → a@x, `mailto:a@x` → a@x. */
export function firstEmail(cell: string): string {
  const first = cell.split(/:::|;|,|\s+\/\s+/)[0] ?? '';
  const angle = /<([^<>]+)>/.exec(first);
  return (angle ? angle[1]! : first).trim().replace(/^mailto:/i, '');
}

/** The first phone number in a cell of several (`+1 555 0100 ::: +1 555 0101`). */
export function firstValue(cell: string): string {
  return (cell.includes(':::') ? cell.split(':::')[0]! : cell).trim();
}

const PARTICLES = new Set(['von', 'van', 'de', 'der', 'den', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'zu', 'zum', 'zur', 'vom', 'ten', 'ter', 'dos', 'das']);

/** "Müller, Jürgen" → Jürgen / Müller; "Anna von Berg" → Anna / von Berg; "Zoë Ødegård" → Zoë / Ødegård. */
export function splitFullName(full: string): { first: string; last: string } {
  const s = full.trim().replace(/\s+/g, ' ');
  if (!s) return { first: '', last: '' };
  const comma = s.indexOf(',');
  if (comma > 0) return { first: s.slice(comma + 1).trim(), last: s.slice(0, comma).trim() };
  const words = s.split(' ');
  if (words.length === 1) return { first: s, last: '' };
  let cut = words.length - 1;
  for (let i = 1; i < words.length - 1; i++) {
    if (PARTICLES.has(words[i]!.toLowerCase())) {
      cut = i;
      break;
    }
  }
  return { first: words.slice(0, cut).join(' '), last: words.slice(cut).join(' ') };
}

/** volunteer / freelancer / both from English or German words; null when unknown. */
export function parseKind(cell: string): PersonKind | null {
  return PERSON_KIND_WORDS[foldText(cell).replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim()] ?? null;
}

export function parseAvailability(cell: string): Availability | null {
  return AVAILABILITY_WORDS[foldText(cell).replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim()] ?? null;
}
