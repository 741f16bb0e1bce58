// Counts for the home page: people, people active in the last year, projects by kind, hours given.
import type { Knex } from 'knex';

export interface HomeCounts {
  people: number;
  activeLastYear: number;
  organisations: number;
  projects: number;
  projectsByKind: { kind: string; n: number }[];
  hoursGiven: number;
}

/** `since` (YYYY-MM-DD): an engagement dated on or after it makes its person active. */
export async function homeCounts(db: Knex, since: string): Promise<HomeCounts> {
  const one = async (q: Knex.QueryBuilder) => Number(((await q) as { n: number | null }[])[0]?.n ?? 0);
  const [people, activeLastYear, organisations, hoursGiven, byKind] = await Promise.all([
    one(db('people').count({ n: '*' })),
    one(db('engagements as e').join('projects as p', 'p.id', 'e.project_id')
      .whereRaw('coalesce(e.end_date, e.start_date, p.end_date, p.start_date) >= ?', [since])
      .countDistinct({ n: 'e.person_id' })),
    one(db('organisations').count({ n: '*' })),
    one(db('engagements').sum({ n: 'hours' })),
    db('projects').groupBy('kind').orderBy('kind').select('kind', db.raw('count(*) as n')),
  ]);
  const projectsByKind = (byKind as { kind: string; n: number }[]).map((r) => ({ kind: r.kind, n: Number(r.n) }));
  return { people, activeLastYear, organisations, projects: projectsByKind.reduce((a, r) => a + r.n, 0), projectsByKind, hoursGiven };
}
