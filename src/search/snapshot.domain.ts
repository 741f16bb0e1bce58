// The in-memory side of people search: per person, everything the filters, facet counts and sort orders
// need, in typed arrays indexed by person id. SQLite answers the full-text part (FTS5); this answers the
// rest in microseconds, where SQL joins cost ~1 µs per row and a facet over 20,000 hits would take 20 ms.
//
// Read by snapshot.queries.ts (SQLite) or pg.queries.ts (PostgreSQL) in one read transaction (about 1 s per 100,000 people). Afterwards it follows the database through
// search_changes, a log that triggers fill with the ids of people whose data changed: a few changed people
// are re-read and patched in place; many changes (an import), or a log pruned past us, mean a full reload.
import { foldText } from '../shared/normalise.js';
import { AVAILABILITY, PERSON_KINDS } from '../people/people.domain.js';
import { dateNumber, languageItems, PROJECT_KINDS, type Sort } from './search.domain.js';
import { buildNameIndex, type NameIndex } from './names.domain.js';
import { LOWEST_LEVEL } from '../skills/levels.domain.js';
import { CODE_STRIDE, writeNameCodes } from './name-codes.domain.js';
import { activityOf, availabilityOf, packFacts, recordLevel, writeFacts, type Facts, type Lists } from './facts.domain.js';

/** codes are indexes into the one list of allowed values */
export const KIND_CODES = PERSON_KINDS;
export const AVAILABILITY_CODES = AVAILABILITY;

/** More changed people than this since the load: reload instead of patching. */
export const PATCH_LIMIT = 2000;

/** Lists per person while a snapshot is built: the values of person `id` are values[start[id] .. end[id]). */
interface PerPerson extends Lists {
  used: number;
}

export interface Snapshot {
  version: number;
  /** false when a trigger that keeps search_changes is missing: then every search reloads (correct, slow) */
  trusted: boolean;
  /** highest person id + 1 (ids below it may be free) */
  size: number;
  /** length of every per-person array: room for new people before a reload */
  capacity: number;
  alive: Uint8Array;
  /** index into cities, -1 for none */
  city: Int32Array;
  dnc: Uint8Array;
  /** per person: kind, availability, languages, skills with levels, tags, organisations, last engagement and
   *  project kinds (bit i: PROJECT_KINDS[i]): one record each (facts.domain.ts) */
  facts: Facts;
  cities: string[];
  cityByNorm: Map<string, number>;
  created: Float64Array;
  /** " jurgen schafer": folded name words, each after a space, for relevance */
  nameWords: string[];
  /** the first name words of each person as codes (name-codes.domain.ts), at id * CODE_STRIDE: a check without the string */
  nameCodes: Int32Array;
  /** the type-ahead's lists of people by the first two letters of their name words (names.domain.ts) */
  names: NameIndex;
  /** folded "last\u0001first": the name sort key */
  sortKey: string[];
  languages: string[];
  languageByNorm: Map<string, number>;
  /** people having each skill (at a level of the scale) / tag at load time, ascending ids (patched people may be missing or stale) */
  skillPeople: Map<number, Int32Array>;
  /** each skillPeople entry's level, at the same index (as a record holds it): relevance reads a skill's people in one pass */
  skillLevels: Map<number, Uint8Array>;
  tagPeople: Map<number, Int32Array>;
  maxSkillId: number;
  maxTagId: number;
  maxOrgId: number;
  /** ids in each sort order at load time, and each id's position in it */
  nameOrder: Int32Array;
  nameRank: Int32Array;
  createdOrder: Int32Array;
  createdRank: Int32Array;
  activityOrder: Int32Array;
  activityRank: Int32Array;
  /** people changed since the load (ascending), flagged too; their order positions above are stale */
  patched: Int32Array;
  isPatched: Uint8Array;
  /** scratch marks for set operations (single-threaded: never held across an await) */
  stamp: Uint32Array;
  generation: number;
}

export function nextGeneration(s: Snapshot): number {
  s.generation = (s.generation + 1) >>> 0;
  if (s.generation === 0) {
    s.stamp.fill(0);
    s.generation = 1;
  }
  return s.generation;
}

/** Triggers per table that keep search_changes (migration 20261127100001). */
export const CHANGE_TRIGGERS: Record<string, number> = { people: 3, person_skills: 3, person_tags: 2, engagements: 3, projects: 1 };
let warnedUntrusted = false;

/** Says once that the change triggers are missing (searching then reloads every time). */
export function warnUntrusted(): void {
  if (warnedUntrusted) return;
  warnedUntrusted = true;
  console.error('people search: triggers that log changes to search_changes are missing (was a table rebuilt by a migration?); '
    + 'searching stays correct but reloads its data on every search. Re-create them as in migration 20261127100001.');
}

function emptyLists(capacity: number, room: number): PerPerson {
  return { start: new Int32Array(capacity), end: new Int32Array(capacity), values: new Int32Array(room), used: 0 };
}

/** Pairs (person, value) read from the database into growing typed columns, without a row object each. */
class Pairs {
  person = new Int32Array(1024);
  value = new Int32Array(1024);
  extra = new Uint8Array(1024);
  n = 0;
  push(person: number, value: number, extra = 0): void {
    if (this.n === this.person.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.person = grow(this.person);
      this.value = grow(this.value);
      this.extra = grow(this.extra);
    }
    this.person[this.n] = person;
    this.value[this.n] = value;
    this.extra[this.n++] = extra;
  }
}

/** Lists per person from pairs; `extra` (skill levels) lands in the array returned alongside. */
function buildLists(capacity: number, pairs: Pairs): { lists: PerPerson; extra: Uint8Array } {
  const counts = new Int32Array(capacity + 1);
  for (let i = 0; i < pairs.n; i++) counts[pairs.person[i]! + 1]!++;
  for (let i = 0; i < capacity; i++) counts[i + 1]! += counts[i]!;
  const used = counts[capacity]!;
  const lists = emptyLists(capacity, used);
  const extra = new Uint8Array(used);
  lists.start.set(counts.subarray(0, capacity));
  lists.end.set(counts.subarray(0, capacity));
  lists.used = used;
  for (let i = 0; i < pairs.n; i++) {
    const at = lists.end[pairs.person[i]!]!++;
    lists.values[at] = pairs.value[i]!;
    extra[at] = pairs.extra[i]!;
  }
  return { lists, extra };
}

/**
 * Ascending ids per value of the lists; only entries `keep` accepts (by their index in values). With `extra`, each
 * kept entry's extra as a record's skill level (recordLevel) at the same index.
 */
function invert(s: Pick<Snapshot, 'size'>, lists: PerPerson, keep: (j: number) => boolean = () => true, extra?: Uint8Array):
  { ids: Map<number, Int32Array>; extras: Map<number, Uint8Array> } {
  const counts = new Map<number, number>();
  for (let id = 0; id < s.size; id++) {
    for (let j = lists.start[id]!; j < lists.end[id]!; j++) if (keep(j)) counts.set(lists.values[j]!, (counts.get(lists.values[j]!) ?? 0) + 1);
  }
  const ids = new Map<number, Int32Array>();
  const extras = new Map<number, Uint8Array>();
  for (const [v, n] of counts) {
    ids.set(v, new Int32Array(n));
    if (extra) extras.set(v, new Uint8Array(n));
  }
  const fill = new Map<number, number>();
  for (let id = 0; id < s.size; id++) {
    for (let j = lists.start[id]!; j < lists.end[id]!; j++) {
      if (!keep(j)) continue;
      const v = lists.values[j]!;
      const at = fill.get(v) ?? 0;
      ids.get(v)![at] = id;
      if (extra) extras.get(v)![at] = recordLevel(extra[j]!);
      fill.set(v, at + 1);
    }
  }
  return { ids, extras };
}

function rankOf(capacity: number, order: Int32Array): Int32Array {
  const rank = new Int32Array(capacity).fill(-1);
  order.forEach((id, i) => (rank[id] = i));
  return rank;
}

/** The comparison each sort order uses (the same for loaded and patched people). */
export function comparator(s: Snapshot, sort: Sort): (a: number, b: number) => number {
  const byName = (a: number, b: number) => (s.sortKey[a]! < s.sortKey[b]! ? -1 : s.sortKey[a]! > s.sortKey[b]! ? 1 : a - b);
  if (sort === 'recently_added') return (a, b) => s.created[b]! - s.created[a]! || b - a;
  const f = s.facts;
  if (sort === 'recent_engagement') return (a, b) => activityOf(f, b) - activityOf(f, a) || byName(a, b);
  if (sort === 'availability') return (a, b) => availabilityOf(f, a) - availabilityOf(f, b) || byName(a, b);
  if (sort === 'city') {
    // folded city names (Köln with Koeln's neighbours, not after Zwickau); people without a city last
    const keys = s.cities.map((c) => foldText(c));
    const key = (id: number) => {
      const c = s.city[id]!;
      return c >= 0 ? keys[c]! : '\uffff';
    };
    return (a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : byName(a, b);
    };
  }
  return byName;
}

export type PersonRow = [number, string, string, string | null, string | null, string, string, string | null, number, string];

/** A person's place in name order (compared as JS strings, ties by id): folded last name, then first name. */
export function sortKeyOf(lastKey: string, firstKey: string): string {
  return `${lastKey}\u0001${firstKey}`;
}

/** foldText, with a fast path for plain ASCII names (most of them; loading 1,000,000 people folds 2,000,000). */
export function foldName(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) && !/\s\s|^\s|\s$/.test(s) ? s.toLowerCase() : foldText(s);
}

/** What setPerson leaves to the person's facts record. */
interface PersonScalars {
  kind: number;
  availability: number;
  languages: number[];
}

/** Writes one person's city, do-not-contact, name fields and creation time; returns what goes into their facts record. */
function setPerson(s: Snapshot, row: PersonRow): PersonScalars {
  const [id, first, last, city, cityNorm, kind, availability, languages, dnc, createdAt] = row;
  s.alive[id] = 1;
  let c = -1;
  if (cityNorm) {
    c = s.cityByNorm.get(cityNorm) ?? -1;
    if (c < 0) {
      c = s.cities.push(city ?? cityNorm) - 1;
      s.cityByNorm.set(cityNorm, c);
    }
  }
  const lastKey = foldName(last);
  const firstKey = foldName(first);
  const words = `${firstKey} ${lastKey}`.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  s.nameWords[id] = ` ${words}`;
  const slots = words ? words.split(' ') : [];
  writeNameCodes(s.nameCodes, id, slots);
  s.sortKey[id] = sortKeyOf(lastKey, firstKey);
  s.created[id] = Date.parse(createdAt) || 0;
  const langs: number[] = [];
  for (const { norm, label } of languageItems(languages)) {
    let l = s.languageByNorm.get(norm);
    if (l === undefined) {
      l = s.languages.push(label) - 1;
      s.languageByNorm.set(norm, l);
    }
    langs.push(l);
  }
  s.city[id] = c;
  s.dnc[id] = dnc ? 1 : 0;
  return {
    kind: Math.max(0, KIND_CODES.indexOf(kind as (typeof KIND_CODES)[number])),
    availability: Math.max(0, AVAILABILITY_CODES.indexOf(availability as (typeof AVAILABILITY_CODES)[number])),
    languages: langs,
  };
}

/** Activity, project kinds and organisations from engagement rows (person, org, project kind, date). */
function engagementFacts(rows: unknown[][]): Map<number, { orgs: Set<number>; kinds: number; activity: number }> {
  const out = new Map<number, { orgs: Set<number>; kinds: number; activity: number }>();
  for (const [p, org, kind, date] of rows as [number, number, string, string | null][]) {
    let f = out.get(p);
    if (!f) out.set(p, (f = { orgs: new Set(), kinds: 0, activity: 0 }));
    f.orgs.add(org);
    const bit = PROJECT_KINDS.indexOf(kind as (typeof PROJECT_KINDS)[number]);
    if (bit >= 0) f.kinds |= 1 << bit;
    f.activity = Math.max(f.activity, dateNumber(date));
  }
  return out;
}

/** Rows a snapshot is built from: people (PERSON columns), skills, tags and engagements as arrays. */
export interface SnapshotRows {
  version: number;
  trusted: boolean;
  maxId: number | null;
  people: Iterable<PersonRow>;
  skills: Iterable<number[]>;
  tags: Iterable<number[]>;
  engagements: Iterable<[number, number, string, string | null]>;
}

/** The snapshot from its rows; the same for both databases. */
export function buildSnapshot(src: SnapshotRows): Snapshot {
    const { version, trusted } = src;
    const size = (src.maxId ?? 0) + 1;
    const capacity = size + Math.max(1024, size >> 3);
    const s = {
      version, trusted, size, capacity,
      alive: new Uint8Array(capacity), city: new Int32Array(capacity).fill(-1), dnc: new Uint8Array(capacity), cities: [] as string[], cityByNorm: new Map<string, number>(), created: new Float64Array(capacity),
      nameWords: new Array<string>(capacity).fill(''), nameCodes: new Int32Array(capacity * CODE_STRIDE), sortKey: new Array<string>(capacity).fill(''),
      languages: [] as string[], languageByNorm: new Map<string, number>(),
      patched: new Int32Array(0), isPatched: new Uint8Array(capacity), stamp: new Uint32Array(capacity), generation: 0,
      maxSkillId: 0, maxTagId: 0, maxOrgId: 0,
    } as unknown as Snapshot;
    // Each person's facts column by column while the rows come in, packed into one record per person at the end.
    const kind = new Uint8Array(size);
    const availability = new Uint8Array(size);
    const activity = new Int32Array(size);
    const projectKinds = new Uint8Array(size);
    // Rows are iterated, not collected: at 1,000,000 people the arrays of row arrays would take gigabytes.
    const ids: number[] = [];
    const languages = new Pairs();
    for (const row of src.people) {
      const id = row[0];
      ids.push(id);
      const p = setPerson(s, row);
      kind[id] = p.kind;
      availability[id] = p.availability;
      for (const l of p.languages) languages.push(id, l);
    }
    const skills = new Pairs();
    for (const [p, k, level] of src.skills) {
      if (p! >= size) continue;
      skills.push(p!, k!, level!);
      if (k! > s.maxSkillId) s.maxSkillId = k!;
    }
    const tags = new Pairs();
    for (const [p, t] of src.tags) {
      if (p! >= size) continue;
      tags.push(p!, t!);
      if (t! > s.maxTagId) s.maxTagId = t!;
    }
    // Engagements: last date and project kinds per person; organisations as (person, org) pairs, repeats removed below.
    const orgs = new Pairs();
    for (const [p, org, kind, date] of src.engagements) {
      if (p >= size) continue;
      activity[p] = Math.max(activity[p]!, dateNumber(date));
      const bit = PROJECT_KINDS.indexOf(kind as (typeof PROJECT_KINDS)[number]);
      if (bit >= 0) projectKinds[p]! |= 1 << bit;
      orgs.push(p, org);
      if (org > s.maxOrgId) s.maxOrgId = org;
    }
    const skillLists = buildLists(size, skills);
    const tagLists = buildLists(size, tags).lists;
    const bySkill = invert(s, skillLists.lists, (j) => skillLists.extra[j]! >= LOWEST_LEVEL, skillLists.extra);
    s.skillPeople = bySkill.ids;
    s.skillLevels = bySkill.extras;
    s.tagPeople = invert(s, tagLists).ids;
    const all = Int32Array.from(ids);
    s.facts = packFacts(capacity, all, {
      activity, kind, availability, projectKinds, languages: buildLists(size, languages).lists, skills: skillLists.lists, levels: skillLists.extra,
      tags: tagLists, orgs: distinctPerPerson(buildLists(size, orgs).lists, size),
    });
    s.nameOrder = all.slice().sort(comparator(s, 'name'));
    s.nameRank = rankOf(capacity, s.nameOrder);
    s.createdOrder = all.slice().sort(comparator(s, 'recently_added'));
    s.createdRank = rankOf(capacity, s.createdOrder);
    s.activityOrder = all.slice().sort(comparator(s, 'recent_engagement'));
    s.activityRank = rankOf(capacity, s.activityOrder);
    s.names = buildNameIndex(s);
    return s;
}

/** Removes repeated values within each person's list (in place: lists only shrink). */
function distinctPerPerson(lists: PerPerson, size: number): PerPerson {
  for (let id = 0; id < size; id++) {
    const from = lists.start[id]!;
    let end = from;
    for (let j = from; j < lists.end[id]!; j++) {
      const v = lists.values[j]!;
      let seen = false;
      for (let k = from; k < end; k++) if (lists.values[k] === v) seen = true;
      if (!seen) lists.values[end++] = v;
    }
    lists.end[id] = end;
  }
  return lists;
}

/** What changed since a snapshot's version, read from the database: the people logged and their rows. */
export interface ChangedRows {
  latest: number;
  changed: number[];
  people: PersonRow[];
  skills: number[][];
  tags: number[][];
  engagements: unknown[][];
}

/** Few enough changed people, all within the arrays' room, to patch rather than reload. */
export function worthPatching(s: Snapshot, changed: number[]): boolean {
  return new Set([...s.patched, ...changed]).size <= PATCH_LIMIT && !changed.some((id) => id >= s.capacity);
}

/** Patches the changed people into the snapshot; false when there is no room left (reload). */
export function patchSnapshot(s: Snapshot, r: ChangedRows): boolean {
  const { changed } = r;
  const patched = new Set([...s.patched, ...changed]);
  const rows = new Map(r.people.map((row) => [row[0], row]));
  const skillsOf = new Map<number, number[][]>();
  for (const row of r.skills) {
    const list = skillsOf.get(row[0]!);
    if (list) list.push(row);
    else skillsOf.set(row[0]!, [row]);
  }
  const tagsOf = new Map<number, number[]>();
  for (const [p, t] of r.tags) {
    const list = tagsOf.get(p!);
    if (list) list.push(t!);
    else tagsOf.set(p!, [t!]);
  }
  const facts = engagementFacts(r.engagements);
  for (const id of changed) {
    const row = rows.get(id);
    const mySkills = (skillsOf.get(id) ?? []).sort((a, b) => a[1]! - b[1]!);
    const myTags = tagsOf.get(id) ?? [];
    const f = facts.get(id);
    if (row) {
      const p = setPerson(s, row);
      const ok = writeFacts(s.facts, id, {
        ...p, activity: f?.activity ?? 0, projectKinds: f?.kinds ?? 0,
        skills: mySkills.map((k) => k[1]!), levels: mySkills.map((k) => k[2]!), tags: myTags, orgs: [...(f?.orgs ?? [])],
      });
      if (!ok) return false;
    } else {
      // gone: the empty record (facts.domain.ts)
      s.alive[id] = 0;
      s.facts.at[id] = 0;
    }
    s.maxSkillId = Math.max(s.maxSkillId, ...mySkills.map((k) => k[1]!));
    s.maxTagId = Math.max(s.maxTagId, ...myTags);
    s.maxOrgId = Math.max(s.maxOrgId, ...(f?.orgs ?? []));
    s.size = Math.max(s.size, id + 1);
    s.isPatched[id] = 1;
  }
  s.patched = Int32Array.from(patched).sort();
  s.version = r.latest;
  return true;
}
