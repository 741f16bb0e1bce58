// What the facet counts, the rarer filters and the orders know about a person, as one record in one Int32Array:
// a facet count reads a hit's facts side by side (one or two cache misses) instead of from a dozen arrays indexed
// by id (one miss each). The city and do-not-contact stay columns of their own on the snapshot: a text search
// checks do-not-contact for every match and a city filter checks the city of every candidate, and one small
// array read by id beats two dependent reads there.
//
// The record of person `id` starts at data[at[id]]:
//   0  last engagement as a dateNumber (20261127), 0 for never
//   1  kind (bits 0–1) | availability (2–3) | project kinds, one bit each (8–15) | number of languages (16–31)
//   2  number of skills (bits 0–15) | of tags (16–31)
//   3  number of organisations
//   then the languages (indexes), the skills (id × 16 + level), the tags and the organisations (ids).
// Offset 0 holds an empty record (all zero): people never written point there. A changed person gets a new
// record at the end (`used`); the old one stays unused until the next full load.

export const HEAD = 4;
export const ACTIVITY = 0;
export const FLAGS = 1;
export const COUNTS = 2;
export const ORGS = 3;
const MAX_COUNT = 0xffff;
/** Skill ids up to this fit beside a level in one Int32 entry. */
const MAX_SKILL_ID = 0x7ffffff;

export interface Facts {
  /** record offset per person id */
  at: Int32Array;
  data: Int32Array;
  used: number;
}

/** One person's facts, as written into a record. */
export interface PersonFacts {
  activity: number;
  kind: number;
  availability: number;
  projectKinds: number;
  languages: ArrayLike<number>;
  /** skill ids, and the level of each at the same index */
  skills: ArrayLike<number>;
  levels: ArrayLike<number>;
  tags: ArrayLike<number>;
  orgs: ArrayLike<number>;
}

function recordLength(p: Pick<PersonFacts, 'languages' | 'skills' | 'tags' | 'orgs'>): number {
  return HEAD + p.languages.length + p.skills.length + p.tags.length + p.orgs.length;
}

/** Room for `capacity` people and `entries` words of records (the empty record included). */
function emptyFacts(capacity: number, words: number): Facts {
  return { at: new Int32Array(capacity), data: new Int32Array(HEAD + words), used: HEAD };
}

/** A skill and its level in one entry (levels 0–15: the scale is 1–4). */
/** A skill level as a record holds it (0–15: the scale is 1–4); the snapshot's per-skill levels hold the same. */
export const recordLevel = (level: number): number => Math.min(15, Math.max(0, level | 0));

export function skillEntry(skill: number, level: number): number {
  if (skill < 0 || skill > MAX_SKILL_ID) throw new Error(`people search: skill id ${skill} is beyond what the search index holds (${MAX_SKILL_ID})`);
  return skill * 16 + recordLevel(level);
}

/** Writes a record's head at data[j] (the one place that knows its encoding); returns where its lists start. */
function writeHead(d: Int32Array, j: number, id: number, activity: number, kind: number, availability: number, projectKinds: number,
  languages: number, skills: number, tags: number, orgs: number): number {
  if (languages > MAX_COUNT || skills > MAX_COUNT || tags > MAX_COUNT) {
    throw new Error(`people search: a person with more than ${MAX_COUNT} entries of one kind (person ${id})`);
  }
  d[j + ACTIVITY] = activity;
  d[j + FLAGS] = (kind & 3) | ((availability & 3) << 2) | ((projectKinds & 0xff) << 8) | (languages << 16);
  d[j + COUNTS] = skills | (tags << 16);
  d[j + ORGS] = orgs;
  return j + HEAD;
}

/** Writes person `id`'s record at the end; false when there is no room left (the caller reloads). */
export function writeFacts(f: Facts, id: number, p: PersonFacts): boolean {
  if (f.used + recordLength(p) > f.data.length) return false;
  const d = f.data;
  f.at[id] = f.used;
  let j = writeHead(d, f.used, id, p.activity, p.kind, p.availability, p.projectKinds, p.languages.length, p.skills.length, p.tags.length, p.orgs.length);
  for (let i = 0; i < p.languages.length; i++) d[j++] = p.languages[i]!;
  for (let i = 0; i < p.skills.length; i++) d[j++] = skillEntry(p.skills[i]!, p.levels[i]!);
  for (let i = 0; i < p.tags.length; i++) d[j++] = p.tags[i]!;
  for (let i = 0; i < p.orgs.length; i++) d[j++] = p.orgs[i]!;
  f.used = j;
  return true;
}

export const activityOf = (f: Facts, id: number): number => f.data[f.at[id]! + ACTIVITY]!;
export const kindOf = (f: Facts, id: number): number => f.data[f.at[id]! + FLAGS]! & 3;
export const availabilityOf = (f: Facts, id: number): number => (f.data[f.at[id]! + FLAGS]! >> 2) & 3;
export const projectKindsOf = (f: Facts, id: number): number => (f.data[f.at[id]! + FLAGS]! >> 8) & 0xff;

/**
 * Where each list of person `id`'s record starts in data (and where the previous one ends): languages, skills,
 * tags, organisations, one after another. The one place that knows the lists' order; no object made (hot loops).
 */
const languagesFrom = (f: Facts, id: number): number => f.at[id]! + HEAD;
export const skillsFrom = (f: Facts, id: number): number => languagesFrom(f, id) + (f.data[f.at[id]! + FLAGS]! >>> 16);
/** Where the skill entries end, given where they start (skillsFrom). */
export const skillsTo = (f: Facts, id: number, from: number): number => from + (f.data[f.at[id]! + COUNTS]! & MAX_COUNT);
const tagsFrom = (f: Facts, id: number): number => skillsTo(f, id, skillsFrom(f, id));
const orgsFrom = (f: Facts, id: number, tags: number): number => tags + (f.data[f.at[id]! + COUNTS]! >>> 16);
const orgsTo = (f: Facts, id: number, from: number): number => from + f.data[f.at[id]! + ORGS]!;

/** Where each list of a record lies in data: [from, to) of languages, skills, tags and organisations. */
export function listsOf(f: Facts, id: number): { languages: number; skills: number; tags: number; orgs: number; end: number } {
  const skills = skillsFrom(f, id);
  const tags = skillsTo(f, id, skills);
  const orgs = orgsFrom(f, id, tags);
  return { languages: languagesFrom(f, id), skills, tags, orgs, end: orgsTo(f, id, orgs) };
}

/** Hits per batch of reads in the hot loops (keepReads). */
export const READ_BATCH = 64;

/**
 * Hot loops over many hits first read what each hit needs in a batch of their own (loads that do not wait for each
 * other, so the processor overlaps their cache misses) and pass what they read here, so that the reads have an
 * effect and are not optimised away.
 */
export function keepReads(value: number): void {
  kept = value;
}
let kept = 0;

/** The skill of a skill entry, and its level. */
export const entrySkill = (entry: number): number => entry >> 4;
export const entryLevel = (entry: number): number => entry & 15;

/** Level of skill `skill` for person `id`, 0 without it. */
export function levelOf(f: Facts, id: number, skill: number): number {
  const d = f.data;
  const from = skillsFrom(f, id);
  for (let j = from, to = skillsTo(f, id, from); j < to; j++) if (d[j]! >> 4 === skill) return d[j]! & 15;
  return 0;
}

/** Does person `id` have this language / tag / organisation? */
export function hasLanguage(f: Facts, id: number, value: number): boolean {
  return includes(f.data, languagesFrom(f, id), skillsFrom(f, id), value);
}

export function hasTag(f: Facts, id: number, value: number): boolean {
  const from = tagsFrom(f, id);
  return includes(f.data, from, orgsFrom(f, id, from), value);
}

export function hasOrg(f: Facts, id: number, value: number): boolean {
  const from = orgsFrom(f, id, tagsFrom(f, id));
  return includes(f.data, from, orgsTo(f, id, from), value);
}

function includes(d: Int32Array, from: number, to: number, value: number): boolean {
  for (let j = from; j < to; j++) if (d[j] === value) return true;
  return false;
}

/** Lists per person while a snapshot is built: the values of person `id` are values[start[id] .. end[id]). */
export interface Lists {
  start: Int32Array;
  end: Int32Array;
  values: Int32Array;
}

/** Everyone's facts as loaded, column by column: packed into records by packFacts. */
export interface LoadedFacts {
  activity: Int32Array;
  /** indexes into KIND_CODES and AVAILABILITY_CODES (snapshot.domain.ts) */
  kind: Uint8Array;
  availability: Uint8Array;
  projectKinds: Uint8Array;
  languages: Lists;
  skills: Lists;
  /** the level of each entry of skills.values */
  levels: Uint8Array;
  tags: Lists;
  orgs: Lists;
}

/**
 * The records of `ids` (ascending: records lie in id order, so ascending hits read forward), with room for
 * `capacity` people and an eighth more words for people changed later.
 */
export function packFacts(capacity: number, ids: Int32Array, l: LoadedFacts): Facts {
  const len = (x: Lists, id: number) => x.end[id]! - x.start[id]!;
  let words = 0;
  for (const id of ids) words += HEAD + len(l.languages, id) + len(l.skills, id) + len(l.tags, id) + len(l.orgs, id);
  const f = emptyFacts(capacity, words + Math.max(4096, words >> 3));
  const d = f.data;
  let j = f.used;
  for (const id of ids) {
    f.at[id] = j;
    j = writeHead(d, j, id, l.activity[id]!, l.kind[id]!, l.availability[id]!, l.projectKinds[id]!,
      len(l.languages, id), len(l.skills, id), len(l.tags, id), len(l.orgs, id));
    for (let k = l.languages.start[id]!, e = l.languages.end[id]!; k < e; k++) d[j++] = l.languages.values[k]!;
    for (let k = l.skills.start[id]!, e = l.skills.end[id]!; k < e; k++) d[j++] = skillEntry(l.skills.values[k]!, l.levels[k]!);
    for (let k = l.tags.start[id]!, e = l.tags.end[id]!; k < e; k++) d[j++] = l.tags.values[k]!;
    for (let k = l.orgs.start[id]!, e = l.orgs.end[id]!; k < e; k++) d[j++] = l.orgs.values[k]!;
  }
  f.used = j;
  return f;
}
