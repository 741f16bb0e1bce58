// Counts behind /insights: per skill, demand (projects needing it) and supply (active people having it).
import type { Knex } from 'knex';
import { rawRows } from '../db.js';
import { COVERAGE_WINDOWS, DEMAND_STATUSES, shiftMonths, type SkillCount } from './insights.domain.js';

const engagementDate = 'coalesce(e.end_date, e.start_date, p.end_date, p.start_date)';

/**
 * Demand: projects with status open or running, or (unless cancelled) started within the last 12 months,
 * counted per needed skill. Supply: people not marked do-not-contact who have the skill and either an
 * engagement dated within the last two years or details confirmed within the last two years.
 */
export async function skillDemandAndSupply(db: Knex, today: string): Promise<SkillCount[]> {
  const demandSince = shiftMonths(today, -COVERAGE_WINDOWS.demandMonths);
  const supplySince = shiftMonths(today, -COVERAGE_WINDOWS.supplyMonths);
  const statusMarks = DEMAND_STATUSES.map(() => '?').join(', ');
  const demand = await rawRows(db, 
    `select pk.skill_id as "skillId", s.name, s.name_de, count(distinct p.id) as demand
       from project_skills pk
       join projects p on p.id = pk.project_id
       join skills s on s.id = pk.skill_id
      where p.status in (${statusMarks})
         or (p.status <> 'cancelled' and p.start_date >= ? and p.start_date <= ?)
      group by pk.skill_id, s.name, s.name_de`,
    [...DEMAND_STATUSES, demandSince, today],
  );
  const demandRows = demand as { skillId: number; name: string; name_de: string | null; demand: number }[];
  if (!demandRows.length) return [];
  const supply = (await rawRows(db, 
    `with active as (
        select pe.id as person_id from people pe
         where not pe.do_not_contact and pe.last_confirmed_at >= ?
        union
        select e.person_id from engagements e
          join projects p on p.id = e.project_id
          join people pe on pe.id = e.person_id
         where not pe.do_not_contact and ${engagementDate} >= ?
     )
     select ps.skill_id as "skillId", count(*) as supply
       from person_skills ps
      where ps.person_id in (select person_id from active)
        and ps.skill_id in (${demandRows.map(() => '?').join(', ')})
      group by ps.skill_id`,
    [supplySince, supplySince, ...demandRows.map((d) => d.skillId)],
  )) as { skillId: number; supply: number }[];
  const supplyBy = new Map(supply.map((s) => [s.skillId, Number(s.supply)]));
  return demandRows.map((d) => ({ skillId: d.skillId, name: d.name, name_de: d.name_de, demand: Number(d.demand), supply: supplyBy.get(d.skillId) ?? 0 }));
}
