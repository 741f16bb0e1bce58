// The lookup tables the search box is read with (interpret.domain.ts): skill names and aliases (English and
// German) and tags from the database, kept in memory and refreshed through the search change feed (a change
// to skills, aliases or tags logs person 0: migration 20261205400001); cities come from the search snapshot,
// which already follows every change to people; languages from the languages module (ISO 639-1 codes).
import type { Knex } from 'knex';
import { addNames, applyInterpretation, interpretQuery, phraseKey, takenFilters, vocabularyOf, type Interpretation, type VocabularyEntry } from './interpret.domain.js';
import type { PeopleFilters } from './search.domain.js';
import type { Snapshot } from './snapshot.domain.js';
import { KIND_WORDS } from './interpret.words.domain.js';
import { languageName, parseLanguage } from '../people/languages.domain.js';

interface StaticTables {
  version: number;
  skills: Map<string, VocabularyEntry>;
  tags: Map<string, VocabularyEntry>;
  kinds: Map<string, VocabularyEntry>;
  maxWords: number;
  /** (skill id, folded name) of every skill name and alias: what relevance matches the query words against */
  norms: [number, string][];
}

const tables = new WeakMap<Knex, StaticTables>();

async function feedVersion(db: Knex): Promise<number> {
  const row = await db('search_changes').max({ v: 'seq' }).first();
  return Number(row?.v ?? 0);
}

/** Has anything but people changed since `version` (or is the log pruned past it)? */
async function vocabularyChangedSince(db: Knex, version: number): Promise<boolean> {
  const oldest = await db('search_changes').min({ v: 'seq' }).first();
  if (oldest?.v != null && Number(oldest.v) > version + 1) return true;
  return Boolean(await db('search_changes').where('seq', '>', version).andWhere('person_id', 0).first('seq'));
}

async function loadTables(db: Knex, version: number): Promise<StaticTables> {
  const [skills, aliases, tagRows] = await Promise.all([
    db('skills').select('id', 'name', 'name_de', 'name_norm') as Promise<{ id: number; name: string; name_de: string | null; name_norm: string }[]>,
    db('skill_aliases').select('skill_id', 'alias', 'alias_norm') as Promise<{ skill_id: number; alias: string; alias_norm: string }[]>,
    db('tags').select('name') as Promise<{ name: string }[]>,
  ]);
  const byId = new Map(skills.map((s) => [s.id, s]));
  const skillMap = new Map<string, VocabularyEntry>();
  const entry = (s: { id: number; name: string; name_de: string | null }, name: string) =>
    ({ name, value: String(s.id), label: s.name, labelDe: s.name_de ?? s.name });
  let most = addNames(skillMap, 'skill', skills.map((s) => entry(s, s.name)));
  most = Math.max(most, addNames(skillMap, 'skill', skills.filter((s) => s.name_de).map((s) => entry(s, s.name_de!))));
  most = Math.max(most, addNames(skillMap, 'skill', aliases.filter((a) => byId.has(a.skill_id)).map((a) => entry(byId.get(a.skill_id)!, a.alias))));
  const tagMap = new Map<string, VocabularyEntry>();
  most = Math.max(most, addNames(tagMap, 'tag', tagRows.map((t) => ({ name: t.name, value: t.name, label: `#${t.name}` }))));
  const kindMap = new Map<string, VocabularyEntry>();
  for (const [kind, words] of Object.entries(KIND_WORDS)) addNames(kindMap, 'kind', words.map((w) => ({ name: w, value: kind, label: kind })));
  const norms: [number, string][] = [...skills.map((s): [number, string] => [s.id, s.name_norm]), ...aliases.map((a): [number, string] => [a.skill_id, a.alias_norm])];
  return { version, skills: skillMap, tags: tagMap, kinds: kindMap, maxWords: Math.max(most, 1), norms };
}

/**
 * The static lookup tables, reloaded when the change feed shows a change to skills, aliases or tags. `known` is
 * a feed version just read (the snapshot's): when the tables are at it, no query is needed.
 */
async function staticTables(db: Knex, known?: number): Promise<StaticTables> {
  const cached = tables.get(db);
  if (cached && known !== undefined && cached.version === known) return cached;
  const latest = known ?? (await feedVersion(db));
  if (cached && cached.version === latest) return cached;
  if (cached && !(await vocabularyChangedSince(db, cached.version))) {
    cached.version = latest;
    return cached;
  }
  const fresh = await loadTables(db, latest);
  tables.set(db, fresh);
  return fresh;
}

interface SnapshotNames {
  cities: number;
  cityMap: Map<string, VocabularyEntry>;
  maxWords: number;
}
const snapshotNames = new WeakMap<Snapshot, SnapshotNames>();

/** Cities of the network by phrase key (rebuilt when the snapshot learnt a new one: the list only grows). */
function namesOfSnapshot(s: Snapshot): SnapshotNames {
  const cached = snapshotNames.get(s);
  if (cached && cached.cities === s.cities.length) return cached;
  const cityMap = new Map<string, VocabularyEntry>();
  const most = addNames(cityMap, 'city', [...s.cityByNorm].map(([norm, i]) => ({ name: s.cities[i]!, value: norm, label: s.cities[i]! })));
  const out = { cities: s.cities.length, cityMap, maxWords: most };
  snapshotNames.set(s, out);
  return out;
}

/**
 * A language named in the box, in English or German (the languages module reads it: "German", "Deutsch",
 * "Swiss German"); bare codes and other words shorter than four letters are not taken ("de", "en" are words).
 */
function languageNamed(key: string): VocabularyEntry | undefined {
  if (key.length < 4) return undefined;
  const code = parseLanguage(key);
  return code ? { kind: 'language', value: code, label: languageName(code, 'en'), labelDe: languageName(code, 'de') } : undefined;
}

export interface InterpretedFilters {
  /** the filters the search runs with */
  filters: PeopleFilters;
  /** how the search box was read; null when it was empty */
  interpretation: Interpretation | null;
}

/** Reads the search box of these filters (the one rule every search path uses). */
export async function interpretFilters(db: Knex, f: PeopleFilters, snapshot: () => Promise<Snapshot>): Promise<InterpretedFilters> {
  if (!phraseKey(f.q)) return { filters: f, interpretation: null };
  const s = await snapshot();
  // the snapshot was just brought up to the feed's version: the tables need a query only when it moved
  const t = await staticTables(db, s.trusted ? s.version : undefined);
  const n = namesOfSnapshot(s);
  // Preference when one phrase names several things: skill, city, tag, language, kind.
  const vocab = vocabularyOf([t.skills, n.cityMap, t.tags, languageNamed, t.kinds], Math.max(t.maxWords, n.maxWords, 2));
  const interpretation = interpretQuery(vocab, f.q, takenFilters(f));
  return { filters: applyInterpretation(f, interpretation), interpretation };
}

/** Every skill name (in the interface language first, then the other and aliases), for "a similar skill name". */
export async function skillNames(db: Knex, locale: string): Promise<string[]> {
  const t = await staticTables(db);
  const labels = [...t.skills.values()].map((e) => (locale === 'de' && e.labelDe) || e.label);
  return [...new Set(labels)];
}

/**
 * (skill id, folded name) of every skill name and alias, for relevance (skillIdsNamed): from the lookup tables,
 * so no query when the feed has not moved since `known` (a version just read).
 */
export async function skillNorms(db: Knex, known?: number): Promise<[number, string][]> {
  return (await staticTables(db, known)).norms;
}

/** Forgets the lookup tables (tests). */
export function forgetVocabulary(db: Knex): void {
  tables.delete(db);
}
