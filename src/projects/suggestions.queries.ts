// The candidates for a project's suggestions: people with at least one needed skill, with what the ranking
// needs about each, fetched in four set-based queries (no query per person).
import type { Knex } from 'knex';
import { REMOTE_TAGS, type RankCandidate } from './suggestions.domain.js';

/** Narrows the candidates in SQL: the person's folded city (or, with `remote`, people tagged as working remotely) and availability. */
export interface CandidateFilters {
  cityNorm?: string;
  remote?: boolean;
  availability?: string;
}
import { displayName } from '../people/people.domain.js';

const dateExpr = 'coalesce(e.end_date, e.start_date, p.end_date, p.start_date)';

/**
 * Candidates for a project: people (not marked do-not-contact) having at least one of the needed skills.
 * `onlyPersonId` narrows it to one person (to turn a suggestion into an engagement).
 */
export async function suggestionCandidates(
  db: Knex,
  project: { id: number; organisation_id: number },
  neededSkillIds: number[],
  onlyPersonId?: number,
  where: CandidateFilters = {},
): Promise<RankCandidate[]> {
  if (!neededSkillIds.length) return [];
  const candidateIds = () => {
    const q = db('person_skills').whereIn('skill_id', neededSkillIds).distinct('person_id');
    if (onlyPersonId) q.where('person_id', onlyPersonId);
    return q;
  };
  const people: { id: number; first_name: string; last_name: string; availability: string; do_not_contact: number }[] = await db('people as pe')
    .whereIn('pe.id', candidateIds())
    .where('pe.do_not_contact', 0)
    .modify((q) => {
      if (where.availability) q.where('pe.availability', where.availability);
      const remote = () => db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').whereIn('t.name_norm', REMOTE_TAGS).select('pt.person_id');
      if (where.cityNorm && where.remote) q.where((w) => w.where('pe.city_norm', where.cityNorm!).orWhereIn('pe.id', remote()));
      else if (where.cityNorm) q.where('pe.city_norm', where.cityNorm);
      else if (where.remote) q.whereIn('pe.id', remote());
    })
    .select('pe.id', 'pe.first_name', 'pe.last_name', 'pe.availability', 'pe.do_not_contact');
  if (!people.length) return [];

  const skills: { person_id: number; skill_id: number; level: number | null }[] = await db('person_skills as ps')
    .join('people as pe', 'pe.id', 'ps.person_id')
    .whereIn('ps.skill_id', neededSkillIds)
    .where('pe.do_not_contact', 0)
    .modify((q) => onlyPersonId && q.where('ps.person_id', onlyPersonId))
    .select('ps.person_id', 'ps.skill_id', 'ps.level');

  // Evidence: earlier projects that needed the skill, where the person (who has the skill) was engaged.
  const evidence: { person_id: number; skill_id: number; project_id: number; title: string; date: string | null }[] = await db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .join('project_skills as pk', 'pk.project_id', 'p.id')
    .join('person_skills as ps', function () {
      this.on('ps.person_id', '=', 'e.person_id').andOn('ps.skill_id', '=', 'pk.skill_id');
    })
    .whereIn('pk.skill_id', neededSkillIds)
    .whereNot('e.project_id', project.id)
    .modify((q) => onlyPersonId && q.where('e.person_id', onlyPersonId))
    .select('e.person_id', 'pk.skill_id', 'p.id as project_id', 'p.title', db.raw(`${dateExpr} as date`));

  const stats = await db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .whereIn('e.person_id', candidateIds())
    .groupBy('e.person_id')
    .select(
      'e.person_id',
      db.raw('sum(case when p.organisation_id = ? and e.project_id <> ? then 1 else 0 end) as org_count', [project.organisation_id, project.id]),
      db.raw('avg(e.rating) as avg_rating'),
      db.raw(`max(${dateExpr}) as last_date`),
      db.raw('max(case when e.project_id = ? then 1 else 0 end) as on_project', [project.id]),
    );

  const skillsBy = groupBy(skills, (s) => s.person_id);
  const evidenceBy = groupBy(evidence, (e) => e.person_id);
  const statsBy = new Map(stats.map((s) => [s.person_id as number, s]));
  return people.map((pe) => {
    const st = statsBy.get(pe.id);
    return {
      personId: pe.id,
      name: displayName(pe),
      doNotContact: Boolean(pe.do_not_contact),
      availability: pe.availability,
      skills: (skillsBy.get(pe.id) ?? []).map((s) => ({ skillId: s.skill_id, level: s.level })),
      evidence: (evidenceBy.get(pe.id) ?? []).map((e) => ({ skillId: e.skill_id, projectId: e.project_id, title: e.title, date: e.date })),
      orgEngagements: Number(st?.org_count ?? 0),
      averageRating: st?.avg_rating === null || st?.avg_rating === undefined ? null : Number(st.avg_rating),
      lastEngagementAt: st?.last_date ?? null,
      onProject: Boolean(st?.on_project),
    };
  });
}

function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
