// What a search page shows from the database: facet options with their names, and the rows on the page.
import type { Database } from 'better-sqlite3';
import { languageName } from '../people/languages.domain.js';
import { FILTER_AVAILABILITY, FILTER_KINDS, PROJECT_KINDS } from './search.domain.js';
import type { Facets } from './engine.domain.js';
import type { ResolvedSkill } from './search.queries.js';
import type { Snapshot } from './snapshot.domain.js';
import { activityOf, entryLevel, entrySkill, listsOf } from './facts.domain.js';
import type { Interpretation } from './interpret.domain.js';
import { placeholders, prepared } from './sqlite.queries.js';

export interface PeopleListRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  city: string | null;
  kind: string;
  availability: string;
  do_not_contact: number;
  /** last engagement (YYYY-MM-DD) or null */
  last_engaged_on: string | null;
  skills: { id: number; name: string; name_de: string | null; level: number }[];
}

export interface FacetOption {
  /** the URL parameter value this option sets */
  value: string;
  label: string;
  count: number;
}

export interface PeopleFacets {
  city: FacetOption[];
  kind: FacetOption[];
  availability: FacetOption[];
  language: FacetOption[];
  skill: FacetOption[];
  level: FacetOption[];
  tag: FacetOption[];
  org: FacetOption[];
  project_kind: FacetOption[];
  active: FacetOption[];
  dncHidden: number;
}

export interface PeopleResult {
  rows: PeopleListRow[];
  total: number;
  page: number;
  pages: number;
  unknownSkills: string[];
  skills: ResolvedSkill[];
  facets: PeopleFacets;
  /** name of the organisation filtered on, when there is one */
  orgName: string | null;
  /** how the search box was read (findPeople sets it) */
  interpretation?: Interpretation | null;
}

export type NameTable = 'skills' | 'tags' | 'organisations';
export type Names = Map<number, { name: string; name_de?: string | null }>;

/** The SQL reading names of these ids from a table (the same on both databases). */
export function namesSql(table: NameTable, n: number): string {
  const cols = table === 'skills' ? 'id, name, name_de' : 'id, name';
  return `SELECT ${cols} FROM ${table} WHERE id IN (${placeholders(n)})`;
}

function names(conn: Database, table: NameTable, ids: number[]): Names {
  if (!ids.length) return new Map();
  const rows = prepared(conn, namesSql(table, ids.length)).all(...ids) as { id: number; name: string; name_de?: string | null }[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** The ids whose names the facets show, per table. */
export function facetNameIds(f: Facets): Record<NameTable, number[]> {
  return { skills: f.skills.map((c) => c.key), tags: f.tags.map((c) => c.key), organisations: f.orgs.map((c) => c.key) };
}

export function labelFacets(conn: Database, s: Snapshot, f: Facets, locale: string): PeopleFacets {
  const ids = facetNameIds(f);
  return labelFacetsWith(s, f, locale, names(conn, 'skills', ids.skills), names(conn, 'tags', ids.tags), names(conn, 'organisations', ids.organisations));
}

/** Facet options with their labels, from names already read. */
export function labelFacetsWith(s: Snapshot, f: Facets, locale: string, skillNames: Names, tagNames: Names, orgNames: Names): PeopleFacets {
  const skillLabel = (id: number) => {
    const r = skillNames.get(id);
    return (locale === 'de' && r?.name_de) || r?.name || `#${id}`;
  };
  return {
    city: f.cities.map((c) => ({ value: s.cities[c.key]!, label: s.cities[c.key]!, count: c.count })),
    kind: f.kinds.map((c) => ({ value: FILTER_KINDS[c.key]!, label: FILTER_KINDS[c.key]!, count: c.count })),
    availability: f.availability.map((c) => ({ value: FILTER_AVAILABILITY[c.key]!, label: FILTER_AVAILABILITY[c.key]!, count: c.count })),
    language: f.languages.map((c) => ({ value: s.languages[c.key]!, label: languageName(s.languages[c.key]!, locale), count: c.count })),
    skill: f.skills.filter((c) => skillNames.has(c.key)).map((c) => ({ value: skillNames.get(c.key)!.name, label: skillLabel(c.key), count: c.count })),
    level: f.levels.map((c) => ({ value: String(c.key), label: String(c.key), count: c.count })),
    tag: f.tags.filter((c) => tagNames.has(c.key)).map((c) => ({ value: tagNames.get(c.key)!.name, label: tagNames.get(c.key)!.name, count: c.count })),
    org: f.orgs.filter((c) => orgNames.has(c.key)).map((c) => ({ value: String(c.key), label: orgNames.get(c.key)!.name, count: c.count })),
    project_kind: f.projectKinds.map((c) => ({ value: PROJECT_KINDS[c.key]!, label: PROJECT_KINDS[c.key]!, count: c.count })),
    active: f.active.map((c) => ({ value: String(c.key), label: String(c.key), count: c.count })),
    dncHidden: f.dncHidden,
  };
}

function dateString(n: number): string | null {
  if (!n) return null;
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** The people rows for these ids, in this order, with their top skills (the chosen ones first). */
export const PAGE_PEOPLE_SQL = (n: number) => `SELECT id, first_name, last_name, email, city, kind, availability, do_not_contact FROM people
    WHERE id IN (${placeholders(n)})`;
export const PAGE_SKILLS_SQL = (n: number) => `SELECT ps.person_id, s.id, s.name, s.name_de, ps.level FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
    WHERE ps.person_id IN (${placeholders(n)}) ORDER BY ps.level DESC, s.name, s.id`;
export type PagePerson = Omit<PeopleListRow, 'skills' | 'last_engaged_on'>;
export type PageSkill = PeopleListRow['skills'][number] & { person_id: number };

export function pageRows(conn: Database, s: Snapshot, ids: Int32Array, chosen: Set<number>): PeopleListRow[] {
  if (!ids.length) return [];
  const list = [...ids];
  const people = prepared(conn, PAGE_PEOPLE_SQL(list.length)).all(...list) as PagePerson[];
  return assemblePageRows(list, people, snapshotSkills(conn, s, list), chosen, list.map((id) => (id < s.size ? activityOf(s.facts, id) : 0)));
}

export const SKILL_TABLE_SQL = 'SELECT id, name, name_de FROM skills';
type SkillName = { name: string; name_de: string | null; rank: number };
// Skill names with their place in PAGE_SKILLS_SQL's order (name in SQLite's BINARY collation, i.e. by UTF-8 bytes, then
// id), read once per snapshot version: a change to skills moves the version (it logs person 0 to search_changes).
const skillTables = new WeakMap<Snapshot, { version: number; byId: Map<number, SkillName> }>();

function skillTable(conn: Database, s: Snapshot): Map<number, SkillName> {
  const held = skillTables.get(s);
  if (held && s.trusted && held.version === s.version) return held.byId;
  const rows = (prepared(conn, SKILL_TABLE_SQL).all() as { id: number; name: string; name_de: string | null }[])
    .map((r) => ({ ...r, bytes: Buffer.from(r.name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes) || a.id - b.id);
  const byId = new Map(rows.map((r, rank) => [r.id, { name: r.name, name_de: r.name_de, rank }]));
  skillTables.set(s, { version: s.version, byId });
  return byId;
}

/**
 * PAGE_SKILLS_SQL's answer from the snapshot (which holds every person's skills and levels, current at its version)
 * and the skill names: per person by level, highest first, then name and id. Saves a join and a sort per page.
 */
export function snapshotSkills(conn: Database, s: Snapshot, list: number[]): PageSkill[] {
  const names = skillTable(conn, s);
  const data = s.facts.data;
  const out: PageSkill[] = [];
  const mine: (PageSkill & { rank: number })[] = [];
  for (const person of list) {
    if (person >= s.size || !s.alive[person]) continue;
    mine.length = 0;
    const { skills, tags } = listsOf(s.facts, person);
    for (let j = skills; j < tags; j++) {
      const id = entrySkill(data[j]!);
      const k = names.get(id);
      if (k) mine.push({ person_id: person, id, name: k.name, name_de: k.name_de, level: entryLevel(data[j]!), rank: k.rank });
    }
    mine.sort((a, b) => b.level - a.level || a.rank - b.rank);
    for (const { rank: _r, ...sk } of mine) out.push(sk);
  }
  return out;
}

/** The page's rows in the order of `list`; `activity[i]` is the last engagement (dateNumber) of list[i]. */
export function assemblePageRows(list: number[], people: PagePerson[], skills: PageSkill[], chosen: Set<number>, activity: number[]): PeopleListRow[] {
  const byPerson = new Map<number, PeopleListRow['skills']>();
  for (const { person_id, ...sk } of skills) {
    const l = byPerson.get(person_id) ?? [];
    l.push(sk);
    byPerson.set(person_id, l);
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  const activityOf = new Map(list.map((id, i) => [id, activity[i]!]));
  return list.filter((id) => byId.has(id)).map((id) => {
    const mine = byPerson.get(id) ?? [];
    const top = [...mine.filter((k) => chosen.has(k.id)), ...mine.filter((k) => !chosen.has(k.id))].slice(0, 6);
    return { ...byId.get(id)!, last_engaged_on: dateString(activityOf.get(id) ?? 0), skills: top };
  });
}
