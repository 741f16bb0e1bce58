// seedDemo(db, {people, seed}): a believable network, the same for the same seed, built in one transaction of
// prepared statements on the raw connection (100,000 people in seconds). Includes the default taxonomy.
import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SYSTEM_ACTOR } from '../src/audit/audit.queries.js';
import { createDb, isPostgres, migrate, withRawConnection } from '../src/db.js';
import { exportNetworkToDir } from '../src/exports/network-export.service.js';
import { importNetwork } from '../src/exports/network-import.service.js';
import { nameKey } from '../src/shared/normalise.js';
import { HIGHEST_LEVEL, LOWEST_LEVEL } from '../src/skills/levels.domain.js';
import { Rng, WeightedPicker, dayOf, isoDay, isoTime, weighted } from './random.js';
import { seedTaxonomy, TAXONOMY_SKILLS, type TaxonomyResult } from './taxonomy.js';
import { KINDS, ascii, cityPicker, insertPeople, levelOf, NamePicker, slugify, type PeopleState, type SkillInfo } from './demo.people.js';
import {
  FEEDBACK, LEAD_ROLE, ORG_NOTES, ORG_TEMPLATES, OUTCOMES, ROLES, THEMES, type OrgKind, type ProjectKind,
} from './demo.projects.data.js';

export interface DemoOptions {
  /** how many people (default 300) */
  people?: number;
  /** PRNG seed (default 1) */
  seed?: number;
  /** the day the network is "now" ('YYYY-MM-DD'; default today): statuses and dates are relative to it */
  today?: string;
}

export interface DemoSummary {
  people: number;
  personSkills: number;
  organisations: number;
  projects: number;
  engagements: number;
  taxonomy: TaxonomyResult;
}

export const DEMO_MAX_PEOPLE = 2_000_000;

/** A demo run on a database that already has people. */
export class DemoRefusedError extends Error {}

/** Organisations and projects for n people: 300 → 30 and 80; organisations capped at 2,000. */
export function demoScale(n: number): { organisations: number; projects: number } {
  return { organisations: Math.min(2000, Math.max(3, Math.round(n / 10))), projects: Math.max(1, Math.round((n * 80) / 300)) };
}

export async function seedDemo(db: Knex, opts: DemoOptions = {}): Promise<DemoSummary> {
  const n = opts.people ?? 300;
  if (!Number.isInteger(n) || n < 1 || n > DEMO_MAX_PEOPLE) throw new RangeError(`people must be a whole number from 1 to ${DEMO_MAX_PEOPLE}`);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('seed must be a whole number from 0 to 4294967295');
  const today = dayOf(opts.today ?? new Date().toISOString());
  if (Number.isNaN(today)) throw new RangeError('today must be a date YYYY-MM-DD');
  const existing = Number((await db('people').count({ n: '*' }).first())?.n ?? 0);
  if (existing > 0) {
    throw new DemoRefusedError(`the demo network needs a database without people, but this one has ${existing}; use a new DATABASE_URL`);
  }
  if (isPostgres(db)) return seedDemoThroughSqlite(db, opts);
  const taxonomy = await seedTaxonomy(db);
  const skills = await loadSkills(db);
  if (!skills.length) throw new Error('no skills of the default taxonomy found');
  const scale = demoScale(n);
  return withRawConnection(db, (conn) => {
    // a larger page cache while the indexes fill with random keys; restored afterwards
    const cacheSize = Number(conn.pragma('cache_size', { simple: true }));
    conn.pragma('cache_size = -131072');
    try {
      return conn.transaction((): DemoSummary => {
        const rng = new Rng(seed);
        const people = insertPeople(conn, rng, n, skills, today);
        const orgs = insertOrganisations(conn, rng, scale.organisations, today);
        const { projects, engagements } = insertProjects(conn, rng, scale.projects, orgs, people, skills, today);
        return { people: n, personSkills: people.personSkills, organisations: orgs.ids.length, projects, engagements, taxonomy };
      })();
    } finally {
      conn.pragma(`cache_size = ${cacheSize}`);
    }
  });
}

/**
 * PostgreSQL: the same network, built in a scratch in-memory SQLite by the fast path above and moved over
 * with export all / import all (ids, search documents and all) — identical to the SQLite demo for the seed.
 */
async function seedDemoThroughSqlite(db: Knex, opts: DemoOptions): Promise<DemoSummary> {
  const scratch = createDb({ databaseFile: ':memory:' });
  const dir = await mkdtemp(path.join(tmpdir(), 'skillnet-demo-'));
  try {
    await migrate(scratch);
    const summary = await seedDemo(scratch, opts);
    await exportNetworkToDir(scratch, dir);
    await importNetwork(db, dir, SYSTEM_ACTOR);
    return summary;
  } finally {
    await scratch.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The taxonomy skills present in the database (matched by name or alias), with every name each is found by. */
async function loadSkills(db: Knex): Promise<SkillInfo[]> {
  const rows: { id: number; name: string; name_de: string | null; name_norm: string }[] = await db('skills').orderBy('id').select('id', 'name', 'name_de', 'name_norm');
  const aliases: { skill_id: number; alias: string; alias_norm: string }[] = await db('skill_aliases').orderBy('id').select('skill_id', 'alias', 'alias_norm');
  const byNorm = new Map<string, number>();
  for (const r of rows) byNorm.set(r.name_norm, r.id);
  for (const a of aliases) if (!byNorm.has(a.alias_norm)) byNorm.set(a.alias_norm, a.skill_id);
  const out: SkillInfo[] = [];
  const used = new Set<number>();
  for (const t of TAXONOMY_SKILLS) {
    const id = byNorm.get(nameKey(t.name));
    if (id === undefined || used.has(id)) continue;
    used.add(id);
    const row = rows.find((r) => r.id === id)!;
    const names = [row.name, row.name_de, ...aliases.filter((a) => a.skill_id === id).map((a) => a.alias)]
      .filter((x): x is string => Boolean(x));
    out.push({ id, key: t.key, category: t.category, names: [...new Set(names)] });
  }
  return out;
}

interface Orgs {
  ids: number[];
  lang: ('en' | 'de')[];
  picker: WeightedPicker<number>;
}

function insertOrganisations(conn: Database, rng: Rng, count: number, today: number): Orgs {
  const ins = conn.prepare(`insert into organisations (name, name_norm, kind, city, website, contact_name, contact_email, notes, created_at, updated_at)
    values (?,?,?,?,?,?,?,?,?,?)`);
  const templates = new WeightedPicker(ORG_TEMPLATES, ORG_TEMPLATES.map((t) => t[2]));
  const names = new NamePicker();
  const seen = new Set<string>();
  const orgs: Orgs = { ids: [], lang: [], picker: null as unknown as WeightedPicker<number> };
  const weights: number[] = [];
  const windowStart = Date.UTC(new Date(today * 86_400_000).getUTCFullYear() - 5, 0, 1) / 86_400_000;
  for (let i = 0; i < count; i++) {
    let name = '';
    let kind: OrgKind = 'initiative';
    let city = cityPicker.pick(rng);
    for (let tries = 0; tries < 20 && (!name || seen.has(nameKey(name))); tries++) {
      const [template, k] = templates.pick(rng);
      city = cityPicker.pick(rng);
      kind = k;
      name = template.replace('{city}', city.name).replace('{district}', `${rng.pick(city.districts)}`);
      if (!template.includes('{city}') && rng.chance(0.3)) name = `${name} ${city.name}`;
    }
    for (let k = 2; seen.has(nameKey(name)); k++) name = `${name.replace(/ \d+$/, '')} ${k}`;
    seen.add(nameKey(name));
    const slug = slugify(name.replace(/ e\.V\.$/, ''));
    const contact = rng.chance(0.9) ? names.pick(rng) : null;
    const contactEmail = contact
      ? (rng.chance(0.7) ? `${ascii(contact.first)}.${ascii(contact.last)}@${slug}.example` : `info@${slug}.example`)
      : null;
    const created = windowStart - rng.int(30, 1500);
    const info = ins.run(
      name, nameKey(name), kind, city.name, rng.chance(0.85) ? `https://www.${slug}.example` : null,
      contact ? `${contact.first} ${contact.last}` : null, contactEmail, rng.chance(0.25) ? rng.pick(ORG_NOTES) : null,
      isoTime(created, rng.int(25200, 72000)), isoTime(created + rng.int(0, 400), rng.int(25200, 72000)),
    );
    orgs.ids.push(Number(info.lastInsertRowid));
    orgs.lang.push(/Neighbourhood|Open Knowledge|Refugee|International/.test(name) || rng.chance(0.12) ? 'en' : 'de');
    weights.push(Math.exp(rng.next() * 3));
  }
  orgs.picker = new WeightedPicker(orgs.ids.map((_, i) => i), weights);
  return orgs;
}

const DURATION: Record<ProjectKind, [number, number]> = { consulting: [14, 90], implementation: [30, 270], mixed: [30, 365] };
const HOURS: Record<ProjectKind, [number, number]> = { consulting: [2, 40], implementation: [8, 160], mixed: [4, 100] };
const RATES = weighted([[40, 1], [45, 2], [50, 3], [55, 3], [60, 4], [65, 3], [70, 3], [75, 2], [80, 2], [90, 1], [100, 1], [120, 0.5]] as const);

function insertProjects(
  conn: Database, rng: Rng, count: number, orgs: Orgs, people: PeopleState, skills: SkillInfo[], today: number,
): { projects: number; engagements: number } {
  const insProject = conn.prepare(`insert into projects (organisation_id, title, kind, status, start_date, end_date, description, created_at, updated_at)
    values (?,?,?,?,?,?,?,?,?)`);
  const insNeed = conn.prepare('insert into project_skills (project_id, skill_id, min_level) values (?,?,?)');
  const insEng = conn.prepare(`insert into engagements (person_id, project_id, role, start_date, end_date, hours, paid, rate, outcome,
    feedback, rating, handover, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const setUsed = conn.prepare('update person_skills set last_used_at = ? where person_id = ? and skill_id = ?');

  const skillIndex = new Map(skills.map((s, i) => [s.key, i]));
  const themes = new WeightedPicker(THEMES, THEMES.map((t) => t.weight));
  const teamSize = weighted([[1, 14], [2, 22], [3, 26], [4, 18], [5, 12], [6, 8]] as const);
  const ratingDone = weighted([[5, 40], [4, 35], [3, 15], [2, 7], [1, 3]] as const);
  const ratingCancelled = weighted([[5, 10], [4, 25], [3, 30], [2, 20], [1, 15]] as const);
  const handoverConsulting = weighted([['yes', 55], ['partly', 35], ['no', 10]] as const);
  const handoverOther = weighted([['yes', 40], ['partly', 38], ['no', 22]] as const);
  const year = new Date(today * 86_400_000).getUTCFullYear();
  const windowStart = Date.UTC(year - 5, 0, 1) / 86_400_000;
  const windowEnd = today + 120;
  const orgHelpers: number[][] = orgs.ids.map(() => []);
  const lastUsed = new Map<number, number>();
  const S = skills.length;
  let engagements = 0;

  for (let i = 0; i < count; i++) {
    const o = orgs.picker.pick(rng);
    const lang = orgs.lang[o]!;
    const theme = themes.pick(rng);
    const kind = theme.kind === 'implementation' && rng.chance(0.15) ? 'mixed' : theme.kind;
    let start: number | null = windowStart + Math.floor((windowEnd - windowStart) * rng.next() ** 0.85);
    let end: number | null = start + rng.int(...DURATION[kind]);
    let status: string;
    if (start > today) status = rng.chance(0.4) ? 'idea' : 'open';
    else if (end < today) status = rng.chance(0.1) ? 'cancelled' : 'done';
    else status = rng.chance(0.08) ? 'cancelled' : 'running';
    if (status === 'cancelled') end = Math.min(today, start + Math.max(1, Math.floor((end - start) * (0.2 + 0.6 * rng.next()))));
    const planned = start;
    if (status === 'idea' && rng.chance(0.5)) { start = null; end = null; }
    const title = `${lang === 'de' ? theme.de : theme.en}${theme.year ? ` ${new Date((planned) * 86_400_000).getUTCFullYear()}` : ''}`;
    const created = Math.min(today, planned - rng.int(14, 120));
    const updated = Math.min(today, Math.max(created, end ?? created));
    const projectInfo = insProject.run(
      orgs.ids[o], title, kind, status, start === null ? null : isoDay(start), end === null ? null : isoDay(end),
      status === 'idea' && rng.chance(0.4) ? null : lang === 'de' ? theme.desc_de : theme.desc_en,
      isoTime(created, rng.int(25200, 72000)), isoTime(updated, rng.int(25200, 72000)),
    );
    const projectId = Number(projectInfo.lastInsertRowid);
    const needs: [number, number][] = [];
    for (const [key, min] of theme.skills) {
      const s = skillIndex.get(key);
      if (s === undefined) continue;
      const level = rng.chance(0.2) ? Math.min(HIGHEST_LEVEL, Math.max(LOWEST_LEVEL, min + (rng.chance(0.5) ? 1 : -1))) : min;
      needs.push([s, level]);
      insNeed.run(projectId, skills[s]!.id, level);
    }
    if (start === null || end === null || status === 'idea') continue;

    // the team: people who have the needed skills, at the level asked for where possible; past helpers come back
    const size = status === 'open' ? (rng.chance(0.3) ? 1 : 0) : status === 'cancelled' ? rng.int(1, 3) : teamSize.pick(rng);
    const team: number[] = [];
    for (let m = 0; m < size; m++) {
      const need = needs.length ? needs[m % needs.length]! : null;
      const p = pickHelper(rng, people, need, orgHelpers[o]!, team);
      if (p === null) break;
      team.push(p);
      if (!orgHelpers[o]!.includes(p)) orgHelpers[o]!.push(p);
      const eStart = start + Math.floor((end - start) * 0.3 * rng.next());
      const eEnd = status === 'running' && rng.chance(0.4) ? null : Math.max(eStart, end - Math.floor((end - eStart) * 0.3 * rng.next()));
      const past = status === 'done' || status === 'cancelled';
      const roleCat = need ? skills[need[0]]!.category : 'strategy';
      const role = m === 0 && size >= 3 && rng.chance(0.3) ? LEAD_ROLE : ROLES[roleCat] ?? LEAD_ROLE;
      const [hMin, hMax] = HOURS[kind];
      const share = past ? 1 : Math.max(0, Math.min(1, (today - eStart) / Math.max(1, (eEnd ?? end) - eStart)));
      const hours = eStart > today || rng.chance(0.08) ? null : Math.round((hMin + (hMax - hMin) * rng.next() ** 2) * share * 2) / 2;
      const k = KINDS[people.kind[p]!];
      const paid = k === 'freelancer' ? rng.chance(0.65) : k === 'both' ? rng.chance(0.3) : false;
      const rating = status === 'done' ? (rng.chance(0.85) ? ratingDone.pick(rng) : null)
        : status === 'cancelled' ? (rng.chance(0.5) ? ratingCancelled.pick(rng) : null) : null;
      const tone = rating === null ? null : rating >= 4 ? 'good' : rating === 3 ? 'ok' : 'bad';
      const li = lang === 'de' ? 1 : 0;
      const outcome = status === 'done' ? (rng.chance(0.9) ? rng.pick(OUTCOMES[kind])[li] : null)
        : status === 'cancelled' ? (rng.chance(0.7) ? rng.pick(OUTCOMES.cancelled)[li] : null) : null;
      const feedback = tone && rng.chance(status === 'done' ? 0.7 : 0.5) ? rng.pick(FEEDBACK[tone])[li] : null;
      const handover = status === 'done' ? (rng.chance(0.95) ? (kind === 'consulting' ? handoverConsulting : handoverOther).pick(rng) : null)
        : status === 'cancelled' ? (rng.chance(0.7) ? (rng.chance(0.3) ? 'partly' : 'no') : null) : null;
      const eCreated = Math.min(today, eStart);
      insEng.run(
        people.ids[p], projectId, role[li], isoDay(eStart), eEnd === null ? null : isoDay(eEnd), hours, paid ? 1 : 0,
        paid && rng.chance(0.85) ? RATES.pick(rng) : null, outcome, feedback, rating, handover,
        isoTime(eCreated, rng.int(25200, 72000)), isoTime(Math.max(eCreated, Math.min(today, eEnd ?? today)), rng.int(25200, 72000)),
      );
      engagements++;
      if (eStart <= today) {
        const used = Math.min(today, eEnd ?? today);
        for (const [s] of needs) {
          if (!levelOf(people, p, s)) continue;
          const key = p * S + s;
          if ((lastUsed.get(key) ?? -Infinity) < used) lastUsed.set(key, used);
        }
      }
    }
  }
  for (const [key, day] of lastUsed) setUsed.run(isoDay(day), people.ids[Math.floor(key / S)], skills[key % S]!.id);
  return { projects: count, engagements };
}

/** Someone for a needed skill: a past helper of the organisation, else someone with the skill at the level, else anyone. */
function pickHelper(rng: Rng, people: PeopleState, need: [number, number] | null, pastHelpers: number[], team: number[]): number | null {
  if (pastHelpers.length && rng.chance(0.2)) {
    const p = rng.pick(pastHelpers);
    if (!team.includes(p) && (!need || levelOf(people, p, need[0]))) return p;
  }
  const withSkill = need ? people.skillPeople[need[0]]! : [];
  if (withSkill.length && rng.chance(0.93)) {
    let fallback: number | null = null;
    for (let tries = 0; tries < 8; tries++) {
      const p = rng.pick(withSkill);
      if (team.includes(p)) continue;
      if (levelOf(people, p, need![0]) >= need![1]) return p;
      fallback ??= p;
    }
    if (fallback !== null) return fallback;
  }
  for (let tries = 0; tries < 8; tries++) {
    const p = rng.int(0, people.count - 1);
    if (!team.includes(p)) return p;
  }
  return null;
}
