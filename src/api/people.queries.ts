// People as the API shows them: the export's columns, with skills and tags as lists; three set-based queries for
// any number of people (no query per person).
import type { Knex } from 'knex';
import type { ApiPerson } from './schemas.domain.js';
import type { SkillLevel } from '../skills/levels.domain.js';

const PERSON_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'languages', 'kind', 'availability',
  'organisation', 'job_title', 'portfolio_url', 'notes', 'do_not_contact', 'last_confirmed_at', 'created_at', 'updated_at'];

type PersonDbRow = Omit<ApiPerson, 'skills' | 'tags' | 'do_not_contact'> & { do_not_contact: number | boolean };

/** These people in this order (missing ids are left out). */
export async function apiPeople(db: Knex, ids: readonly number[]): Promise<ApiPerson[]> {
  if (!ids.length) return [];
  const list = [...ids];
  const [rows, skills, tags] = await Promise.all([
    db('people').whereIn('id', list).select(PERSON_COLUMNS) as Promise<PersonDbRow[]>,
    db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').whereIn('ps.person_id', list)
      .orderBy([{ column: 'ps.level', order: 'desc' }, { column: 's.name' }])
      .select('ps.person_id', 's.id', 's.name', 's.name_de', 'ps.level') as Promise<{ person_id: number; id: number; name: string; name_de: string | null; level: SkillLevel }[]>,
    db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').whereIn('pt.person_id', list).orderBy('t.name')
      .select('pt.person_id', 't.name') as Promise<{ person_id: number; name: string }[]>,
  ]);
  const skillsOf = new Map<number, ApiPerson['skills']>();
  for (const { person_id, ...s } of skills) skillsOf.set(person_id, [...(skillsOf.get(person_id) ?? []), { ...s, level: Number(s.level) as SkillLevel }]);
  const tagsOf = new Map<number, string[]>();
  for (const t of tags) tagsOf.set(t.person_id, [...(tagsOf.get(t.person_id) ?? []), t.name]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return list.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [{
      ...r, kind: r.kind, do_not_contact: Boolean(Number(r.do_not_contact)), last_confirmed_at: r.last_confirmed_at ? String(r.last_confirmed_at).slice(0, 10) : null,
      skills: skillsOf.get(id) ?? [], tags: tagsOf.get(id) ?? [],
    }];
  });
}

export async function apiPerson(db: Knex, id: number): Promise<ApiPerson | undefined> {
  return (await apiPeople(db, [id]))[0];
}

/** Which of these skill ids do not exist. */
export async function missingSkillIds(db: Knex, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const found = new Set((await db('skills').whereIn('id', ids).pluck('id')).map(Number));
  return ids.filter((i) => !found.has(i));
}
