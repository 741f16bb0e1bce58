// Suggested helpers for a project: one pure ranking function; every weight lives in RANKING_WEIGHTS.
// Each suggestion carries its reasons (which needed skills, at which level, with which evidence), so the
// screen can say why someone is suggested, and tests can check the order without a database.
import { LOWEST_LEVEL } from '../skills/levels.domain.js';

/** Every weight of the ranking, in one place. Points add up; higher ranks first. */
export const RANKING_WEIGHTS = {
  /** per needed skill the person has at or above the minimum level (larger than all the extras together
   *  for a small team, so covering one more needed skill usually wins) */
  skillAtLevel: 20,
  /** per needed skill the person has, but below the minimum level */
  skillBelowLevel: 8,
  /** per level above the minimum (an expert where basic is enough) */
  perLevelAboveMin: 1,
  /** a needed skill without a recorded minimum needs this level */
  assumedMinLevel: LOWEST_LEVEL,
  /** a person's skill without a recorded level counts as this level */
  assumedPersonLevel: LOWEST_LEVEL,
  /** per earlier project in which the person used the needed skill (evidence) … */
  evidencePerProject: 2,
  /** … counting at most this many projects per skill */
  evidenceProjectsCap: 2,
  /** has helped this organisation before */
  pastWorkWithOrg: 5,
  /** per point the average rating lies above 3 (below 3 subtracts) */
  perRatingPointAboveThree: 2,
  /** last engagement at most `months` ago earns `points` (first match wins; never or older earns 0) */
  recency: [
    { months: 12, points: 4 },
    { months: 36, points: 2 },
  ],
  availability: { available: 3, limited: 0, unavailable: -10 } as Record<string, number>,
} as const;

export interface RankNeededSkill {
  skillId: number;
  name: string;
  /** null: not recorded (counts as RANKING_WEIGHTS.assumedMinLevel) */
  minLevel: number | null;
}

export interface RankEvidence {
  skillId: number;
  projectId: number;
  title: string;
  date: string | null;
}

export interface RankCandidate {
  personId: number;
  name: string;
  doNotContact: boolean;
  availability: string;
  /** the person's skills (only the needed ones matter); level null = not recorded */
  skills: { skillId: number; level: number | null }[];
  /** earlier engagements on projects that needed a skill the person has */
  evidence: RankEvidence[];
  /** engagements with the project's organisation (on other projects) */
  orgEngagements: number;
  averageRating: number | null;
  /** date of the most recent engagement (YYYY-MM-DD), null if never */
  lastEngagementAt: string | null;
  /** already on this project's team: not suggested again */
  onProject?: boolean;
}

export interface SkillReason {
  skillId: number;
  name: string;
  minLevel: number;
  level: number;
  levelKnown: boolean;
  meetsLevel: boolean;
  evidence: RankEvidence[];
}

export interface Suggestion {
  personId: number;
  name: string;
  score: number;
  /** needed skills at or above the minimum level */
  covered: number;
  neededCount: number;
  reasons: {
    skills: SkillReason[];
    missing: { skillId: number; name: string; minLevel: number }[];
    orgEngagements: number;
    averageRating: number | null;
    lastEngagementAt: string | null;
    monthsSinceLast: number | null;
    availability: string;
  };
  /** points per part, for the curious and for tests */
  points: { skills: number; evidence: number; organisation: number; rating: number; recency: number; availability: number };
}

/** Whole months from `from` to `to` (both YYYY-MM-DD); 0 when `from` is in the future. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.slice(0, 10).split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  return Math.max(0, months);
}

/**
 * Ranks candidates for a project. Do-not-contact people, people already on the team and people with
 * none of the needed skills never appear. Order: score, then more needed skills covered, then the more
 * recent last engagement, then name, then id — so equal inputs always give the same order.
 */
export function rankHelpersForProject(input: {
  needed: RankNeededSkill[];
  candidates: RankCandidate[];
  /** YYYY-MM-DD */
  today: string;
  limit?: number;
}): Suggestion[] {
  const W = RANKING_WEIGHTS;
  const needed = input.needed.map((n) => ({ ...n, minLevel: n.minLevel ?? W.assumedMinLevel }));
  const out: Suggestion[] = [];
  for (const c of input.candidates) {
    if (c.doNotContact || c.onProject) continue;
    const levels = new Map(c.skills.map((s) => [s.skillId, s.level]));
    const skills: SkillReason[] = [];
    const missing: Suggestion['reasons']['missing'] = [];
    let skillPoints = 0;
    let evidencePoints = 0;
    for (const n of needed) {
      if (!levels.has(n.skillId)) {
        missing.push({ skillId: n.skillId, name: n.name, minLevel: n.minLevel });
        continue;
      }
      const raw = levels.get(n.skillId);
      const levelKnown = raw !== null && raw !== undefined;
      const level = levelKnown ? raw : W.assumedPersonLevel;
      const meetsLevel = level >= n.minLevel;
      skillPoints += meetsLevel ? W.skillAtLevel + (level - n.minLevel) * W.perLevelAboveMin : W.skillBelowLevel;
      const evidence = dedupeByProject(c.evidence.filter((e) => e.skillId === n.skillId));
      evidencePoints += Math.min(evidence.length, W.evidenceProjectsCap) * W.evidencePerProject;
      skills.push({ skillId: n.skillId, name: n.name, minLevel: n.minLevel, level, levelKnown, meetsLevel, evidence });
    }
    if (!skills.length) continue;
    const monthsSinceLast = c.lastEngagementAt ? monthsBetween(c.lastEngagementAt, input.today) : null;
    const points = {
      skills: skillPoints,
      evidence: evidencePoints,
      organisation: c.orgEngagements > 0 ? W.pastWorkWithOrg : 0,
      rating: c.averageRating === null ? 0 : round1((c.averageRating - 3) * W.perRatingPointAboveThree),
      recency: monthsSinceLast === null ? 0 : (W.recency.find((r) => monthsSinceLast <= r.months)?.points ?? 0),
      availability: W.availability[c.availability] ?? 0,
    };
    const score = round1(Object.values(points).reduce((a, b) => a + b, 0));
    out.push({
      personId: c.personId, name: c.name, score, covered: skills.filter((s) => s.meetsLevel).length, neededCount: needed.length,
      reasons: {
        skills, missing, orgEngagements: c.orgEngagements, averageRating: c.averageRating, lastEngagementAt: c.lastEngagementAt,
        monthsSinceLast, availability: c.availability,
      },
      points,
    });
  }
  out.sort((a, b) =>
    b.score - a.score
    || b.covered - a.covered
    || (b.reasons.lastEngagementAt ?? '').localeCompare(a.reasons.lastEngagementAt ?? '')
    || a.name.localeCompare(b.name)
    || a.personId - b.personId);
  return input.limit === undefined ? out : out.slice(0, input.limit);
}

function dedupeByProject(list: RankEvidence[]): RankEvidence[] {
  const seen = new Set<number>();
  return [...list]
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .filter((e) => (seen.has(e.projectId) ? false : (seen.add(e.projectId), true)));
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The default role of an engagement made from a suggestion: the needed skills the person covers. */
export function defaultRoleFor(s: Pick<Suggestion, 'reasons'>): string {
  return s.reasons.skills.map((r) => r.name).join(', ').slice(0, 200);
}

/** Suggestions shown per page (the page goes through all of them). */
export const SUGGESTIONS_PAGE_SIZE = 30;

/** Tags (folded) that mark a person who works remotely: "city or remote" also takes them, wherever they live. */
export const REMOTE_TAGS: readonly string[] = ['remote', 'remote only', 'remote work', 'nur remote', 'online', 'fernarbeit', 'homeoffice', 'home office'];

export interface SuggestionFilters {
  /** as typed; matched folded against the person's city */
  city: string;
  /** with a city: also people tagged as working remotely; without one: only them */
  remote: boolean;
  availability: '' | 'available' | 'limited' | 'unavailable';
  /** at least this many needed skills at the needed level (0: any) */
  minCovered: number;
  page: number;
}

const AVAILABILITIES = ['available', 'limited', 'unavailable'] as const;

/** Reads the suggestions page's filters from its query; anything unknown means "no filter". */
export function parseSuggestionFilters(q: Record<string, unknown>, neededCount: number): SuggestionFilters {
  const one = (k: string) => String((Array.isArray(q[k]) ? (q[k] as unknown[])[0] : q[k]) ?? '').trim();
  const availability = one('availability');
  const cover = Number(one('cover'));
  const page = Number(one('page'));
  return {
    city: one('city').slice(0, 120),
    remote: one('remote') === '1',
    availability: (AVAILABILITIES as readonly string[]).includes(availability) ? (availability as SuggestionFilters['availability']) : '',
    minCovered: Number.isInteger(cover) && cover > 0 ? Math.min(cover, Math.max(neededCount, 1)) : 0,
    page: Number.isInteger(page) && page > 0 && page < 1e6 ? page : 1,
  };
}

/** The query string of the filters (page left out unless asked for): links keep the filters. */
export function suggestionFilterParams(f: SuggestionFilters, page?: number): string {
  const p = new URLSearchParams();
  if (f.city) p.set('city', f.city);
  if (f.remote) p.set('remote', '1');
  if (f.availability) p.set('availability', f.availability);
  if (f.minCovered) p.set('cover', String(f.minCovered));
  if (page && page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether a last engagement lies in the future (planned work): shown as "planned for …", not "… ago". */
export function isPlanned(date: string | null, today: string): boolean {
  return Boolean(date && date.slice(0, 10) > today);
}
