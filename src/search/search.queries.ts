// People search: full text (FTS5) plus facets, one SQL statement per question; all parameters bound.
import type { Knex } from 'knex';
import { foldText, nameKey } from '../shared/normalise.js';
import { ftsQuery, PAGE_SIZE, type PeopleFilters } from './search.domain.js';

export interface ResolvedSkill {
  id: number;
  name: string;
}

/** Turns typed skill names, aliases (any case, any accent) or ids into skills; returns the unknown ones too. */
export async function resolveSkills(db: Knex, typed: string[]): Promise<{ skills: ResolvedSkill[]; unknown: string[] }> {
  const skills: ResolvedSkill[] = [];
  const unknown: string[] = [];
  for (const t of typed) {
    let row: ResolvedSkill | undefined;
    if (/^\d+$/.test(t)) row = await db('skills').where({ id: Number(t) }).first('id', 'name');
    if (!row) row = await db('skills').where({ name_norm: nameKey(t) }).first('id', 'name');
    if (!row) {
      row = await db('skill_aliases as a').join('skills as s', 's.id', 'a.skill_id').where('a.alias_norm', nameKey(t)).first('s.id', 's.name');
    }
    if (row) {
      if (!skills.some((s) => s.id === row!.id)) skills.push(row);
    } else unknown.push(t);
  }
  return { skills, unknown };
}

/** Applies every filter but paging and sorting to a query on `people as p`. */
export function applyPeopleFilters(db: Knex, qb: Knex.QueryBuilder, f: PeopleFilters, skillIds: number[]): Knex.QueryBuilder {
  const match = ftsQuery(f.q);
  if (match) qb.whereRaw('p.id in (select rowid from people_fts where people_fts match ?)', [match]);
  if (skillIds.length) {
    const sub = db('person_skills').whereIn('skill_id', skillIds).where('level', '>=', f.minLevel).select('person_id');
    if (f.match === 'all' && skillIds.length > 1) sub.groupBy('person_id').havingRaw('count(*) = ?', [skillIds.length]);
    qb.whereIn('p.id', sub);
  }
  if (f.city) qb.where('p.city_norm', foldText(f.city));
  if (f.kind) qb.whereIn('p.kind', [f.kind, 'both']);
  if (f.availability) qb.where('p.availability', f.availability);
  if (f.language) qb.whereRaw("(',' || lower(replace(p.languages, ' ', '')) || ',') like ?", [`%,${f.language.toLowerCase().replace(/[\s%_]/g, '')},%`]);
  if (f.tag) {
    qb.whereIn('p.id', db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('t.name_norm', nameKey(f.tag)).select('pt.person_id'));
  }
  if (f.org || f.projectKind || f.activeYears) {
    const sub = db('engagements as e').join('projects as pr', 'pr.id', 'e.project_id').select('e.person_id');
    if (f.org) sub.where('pr.organisation_id', f.org);
    if (f.projectKind) sub.where('pr.kind', f.projectKind);
    if (f.activeYears) {
      const since = new Date();
      since.setUTCFullYear(since.getUTCFullYear() - f.activeYears);
      sub.whereRaw('coalesce(e.end_date, e.start_date, pr.end_date, pr.start_date) >= ?', [since.toISOString().slice(0, 10)]);
    }
    qb.whereIn('p.id', sub);
  }
  if (!f.includeDnc) qb.where('p.do_not_contact', 0);
  return qb;
}

export interface PeopleListRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  city: string | null;
  kind: string;
  availability: string;
  do_not_contact: number;
  skills: string | null;
}

export interface PeopleResult {
  rows: PeopleListRow[];
  total: number;
  page: number;
  pages: number;
  unknownSkills: string[];
  skills: ResolvedSkill[];
}

function applySort(db: Knex, qb: Knex.QueryBuilder, f: PeopleFilters): void {
  const sort = f.sort === 'relevance' && !ftsQuery(f.q) ? 'name' : f.sort;
  if (sort === 'relevance') {
    qb.joinRaw('join (select rowid as fid, bm25(people_fts) as score from people_fts where people_fts match ?) r on r.fid = p.id', [ftsQuery(f.q)!]);
    qb.orderBy([{ column: 'r.score' }, { column: 'p.id' }]);
  } else if (sort === 'recently_added') qb.orderBy([{ column: 'p.created_at', order: 'desc' }, { column: 'p.id', order: 'desc' }]);
  else if (sort === 'recent_engagement') {
    qb.orderByRaw('(select max(coalesce(e.end_date, e.start_date)) from engagements e where e.person_id = p.id) desc nulls last, p.id');
  } else qb.orderBy([{ column: 'p.last_name' }, { column: 'p.first_name' }, { column: 'p.id' }]);
  void db;
}

/** One page of people for the filters, with the total; a page past the end gives the last page. */
export async function findPeople(db: Knex, f: PeopleFilters, pageSize = PAGE_SIZE): Promise<PeopleResult> {
  const { skills, unknown } = await resolveSkills(db, f.skills);
  if (unknown.length && (f.match === 'all' || !skills.length)) {
    return { rows: [], total: 0, page: 1, pages: 1, unknownSkills: unknown, skills };
  }
  const skillIds = skills.map((s) => s.id);
  const countRow = await applyPeopleFilters(db, db('people as p'), f, skillIds).count<{ n: number }>({ n: '*' }).first();
  const total = Number(countRow?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(f.page, pages);
  const qb = applyPeopleFilters(db, db('people as p'), f, skillIds);
  applySort(db, qb, f);
  const rows = await qb
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .select('p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.city', 'p.kind', 'p.availability', 'p.do_not_contact',
      db.raw(`(select group_concat(s.name, ', ') from (select s.name from person_skills ps join skills s on s.id = ps.skill_id where ps.person_id = p.id order by ps.level desc, s.name limit 6) s) as skills`));
  return { rows, total, page, pages, unknownSkills: unknown, skills };
}
