// The search box that understands: words naming a skill (or alias, either language), a city in the network, a
// tag, a language or a kind become those filters; the rest stays full text. One rule for /people, /people.csv,
// the CLI export, campaigns and saved searches (the query string keeps what was typed; this runs at search
// time). A phrase in double quotes is never interpreted: that is how a chip turns back into plain text.
import { foldText } from '../shared/normalise.js';
import type { PeopleFilters } from './search.domain.js';

export const INTERPRETED_KINDS = ['skill', 'city', 'tag', 'language', 'kind'] as const;
export type InterpretedKind = (typeof INTERPRETED_KINDS)[number];

/** What a phrase can mean: the filter kind, the value the filter takes and the label a chip shows. */
export interface VocabularyEntry {
  kind: InterpretedKind;
  value: string;
  label: string;
  /** the German label, where it differs (skills) */
  labelDe?: string;
}

/** Looks a phrase key up (folded words joined by one space); entries in the order they are preferred. */
export interface Vocabulary {
  lookup(key: string): VocabularyEntry[];
  /** the most words a name has (longer phrases are not tried) */
  maxWords: number;
}

export interface QueryToken {
  /** as typed (without the quotes of a quoted phrase) */
  text: string;
  quoted: boolean;
  /** folded words joined by one space; '' for punctuation alone */
  key: string;
}

export interface InterpretedItem extends VocabularyEntry {
  /** the words as typed */
  phrase: string;
  /** token range [start, end) */
  start: number;
  end: number;
}

export interface Interpretation {
  tokens: QueryToken[];
  items: InterpretedItem[];
  /** what stays full text (quoted phrases re-quoted) */
  text: string;
}

const MAX_TOKENS = 24;
/** Small words left over between interpreted ones ("WordPress in Berlin") that would otherwise narrow the text. */
const FILLER_WORDS = new Set(['in', 'and', 'und', 'or', 'oder', 'with', 'mit', 'from', 'aus', 'near', 'bei', 'the', 'der', 'die', 'das', 'a', 'an', 'for', 'fur']);

/** The key of a name or phrase: folded (case, accents, ß) words, punctuation as separators. */
export function phraseKey(s: string): string {
  return foldText(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

/** Splits a search box into tokens: bare words (at spaces, commas, semicolons) and "quoted phrases". */
export function tokenizeQuery(q: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  const re = /"([^"]*)"?|[^\s,;"]+/g;
  for (const m of q.matchAll(re)) {
    const quoted = m[1] !== undefined;
    const text = (quoted ? m[1]! : m[0]).trim();
    if (!text) continue;
    tokens.push({ text, quoted, key: phraseKey(text) });
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/** Which filters are already set by the form: those kinds are not taken from the words (skills add up). */
export type TakenFilters = Partial<Record<Exclude<InterpretedKind, 'skill'>, boolean>>;

export function takenFilters(f: Pick<PeopleFilters, 'city' | 'tag' | 'language' | 'kind'>): TakenFilters {
  return { city: Boolean(f.city), tag: Boolean(f.tag), language: Boolean(f.language), kind: Boolean(f.kind) };
}

/**
 * Reads the search box: from left to right, the longest run of bare words naming something becomes that
 * filter (a skill before a city, a tag, a language or a kind when a phrase names several); one city, tag,
 * language and kind at most (a second one stays text), any number of skills.
 */
export function interpretQuery(vocab: Vocabulary, q: string, taken: TakenFilters = {}): Interpretation {
  const tokens = tokenizeQuery(q);
  const items: InterpretedItem[] = [];
  const used = new Set<string>(Object.entries(taken).filter(([, v]) => v).map(([k]) => k));
  const skills = new Set<string>();
  const text: QueryToken[] = [];
  for (let i = 0; i < tokens.length;) {
    let hit: InterpretedItem | null = null;
    if (!tokens[i]!.quoted && tokens[i]!.key) {
      let run = 0;
      while (run < vocab.maxWords && i + run < tokens.length && !tokens[i + run]!.quoted && tokens[i + run]!.key) run++;
      for (let n = run; n >= 1 && !hit; n--) {
        const key = tokens.slice(i, i + n).map((t) => t.key).join(' ');
        const entry = vocab.lookup(key).find((e) => (e.kind === 'skill' ? !skills.has(e.value) : !used.has(e.kind)));
        if (entry) hit = { ...entry, phrase: tokens.slice(i, i + n).map((t) => t.text).join(' '), start: i, end: i + n };
      }
    }
    if (hit) {
      items.push(hit);
      if (hit.kind === 'skill') skills.add(hit.value);
      else used.add(hit.kind);
      i = hit.end;
    } else {
      text.push(tokens[i]!);
      i++;
    }
  }
  const kept = items.length ? text.filter((t) => t.quoted || !FILLER_WORDS.has(t.key)) : text;
  return { tokens, items, text: joinTokens(kept) };
}

function joinTokens(tokens: QueryToken[]): string {
  return tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
}

/** The search box without one interpreted phrase (the chip's ×). */
export function queryWithout(i: Interpretation, item: InterpretedItem): string {
  return joinTokens(i.tokens.filter((_, k) => k < item.start || k >= item.end));
}

/** The search box with one interpreted phrase quoted, so it is searched as plain text. */
export function queryAsText(i: Interpretation, item: InterpretedItem): string {
  const before = i.tokens.slice(0, item.start);
  const after = i.tokens.slice(item.end);
  return joinTokens([...before, { text: item.phrase, quoted: true, key: phraseKey(item.phrase) }, ...after]);
}

/** The filters a search runs with: the form's, plus what the words named; q keeps only the plain text. */
export function applyInterpretation(f: PeopleFilters, i: Interpretation): PeopleFilters {
  if (!i.items.length) return f;
  const out: PeopleFilters = { ...f, q: i.text, skills: [...f.skills] };
  for (const item of i.items) {
    if (item.kind === 'skill') {
      if (!out.skills.includes(item.value)) out.skills.push(item.value);
    } else if (item.kind === 'kind') out.kind = item.value as PeopleFilters['kind'];
    else out[item.kind] = item.value;
  }
  return out;
}

/** Where names of one kind are looked up: a map of phrase keys, or a function (for names a module reads itself). */
export type NameSource = Map<string, VocabularyEntry> | ((key: string) => VocabularyEntry | undefined);

/** A vocabulary from sources of phrase keys (each one kind, in order of preference). */
export function vocabularyOf(sources: NameSource[], maxWords: number): Vocabulary {
  return {
    maxWords,
    lookup: (key) => {
      const out: VocabularyEntry[] = [];
      for (const m of sources) {
        const e = typeof m === 'function' ? m(key) : m.get(key);
        if (e) out.push(e);
      }
      return out;
    },
  };
}

/** Adds names of one kind to a map by phrase key (the first name for a key wins); returns the most words seen. */
export function addNames(map: Map<string, VocabularyEntry>, kind: InterpretedKind, names: { name: string; value: string; label: string; labelDe?: string }[]): number {
  let most = 0;
  for (const n of names) {
    const key = phraseKey(n.name);
    if (!key) continue;
    most = Math.max(most, key.split(' ').length);
    if (!map.has(key)) map.set(key, { kind, value: n.value, label: n.label, ...(n.labelDe ? { labelDe: n.labelDe } : {}) });
  }
  return most;
}

/** Levenshtein distance, capped: stops early beyond `max` (for "a similar skill name"). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
