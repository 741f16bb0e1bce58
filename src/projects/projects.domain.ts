// Projects: kinds, statuses, validation of the project form (dates in order, needed skills with levels) and list filters.
import { LIMITS, pageNumber, Validator, type Result } from '../shared/validate.js';
import { fieldConflicts, type ConflictField, type FieldConflict } from '../shared/conflicts.js';
import { isSkillLevel } from '../skills/levels.domain.js';

export const PROJECT_KINDS = ['consulting', 'implementation', 'mixed'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];
/** Words for each project kind (folded), English and German, as spreadsheets and the engagements export write them. */
export const PROJECT_KIND_WORDS: Readonly<Record<string, ProjectKind>> = {
  consulting: 'consulting', beratung: 'consulting', implementation: 'implementation', umsetzung: 'implementation',
  mixed: 'mixed', gemischt: 'mixed', both: 'mixed', beides: 'mixed',
  'consulting and implementation': 'mixed', 'beratung und umsetzung': 'mixed',
};
/** A new project's kind when none is chosen (form preset, validation and import). */
export const DEFAULT_PROJECT_KIND: ProjectKind = 'implementation';
export const PROJECT_STATUSES = ['idea', 'open', 'running', 'done', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_LIMITS = { title: LIMITS.title, description: LIMITS.text } as const;
export const PROJECT_PAGE_SIZE = 25;

export interface NeededSkill {
  skillId: number;
  minLevel: number;
}

export interface ProjectInput {
  organisation_id: number;
  title: string;
  kind: ProjectKind;
  status: ProjectStatus;
  start_date: string | null;
  end_date: string | null;
  description: string | null;
  skills: NeededSkill[];
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined || v === null ? [] : [String(v)];
}

/** Records 'projects.endBeforeStart' at `endField` when both dates are given and the end comes first. */
export function checkDateOrder(v: Validator, start: string | null, end: string | null, endField = 'end_date'): void {
  if (start && end && end < start) v.fail(endField, 'projects.endBeforeStart');
}

/** Validates the project form; needed skills come as parallel `skill_id[]` / `min_level[]` lists. */
export function validateProject(body: Record<string, unknown>): Result<ProjectInput> {
  const v = new Validator(body);
  const organisation_id = v.int('organisation_id', { min: 1, max: Number.MAX_SAFE_INTEGER, required: true }) ?? 0;
  const title = v.text('title', { max: PROJECT_LIMITS.title, required: true }) ?? '';
  const kind = v.oneOf('kind', PROJECT_KINDS, DEFAULT_PROJECT_KIND);
  const status = v.oneOf('status', PROJECT_STATUSES, 'idea');
  const start_date = v.date('start_date');
  const end_date = v.date('end_date');
  checkDateOrder(v, start_date, end_date);
  const description = v.text('description', { max: PROJECT_LIMITS.description });
  const ids = asList(body.skill_id);
  const levels = asList(body.min_level);
  const skills = new Map<number, number>();
  ids.forEach((rawId, i) => {
    if (!rawId.trim()) return;
    const id = Number(rawId);
    const level = Number(levels[i] || 1);
    if (!Number.isSafeInteger(id) || id < 1) return v.fail('skills', 'validation.choice');
    if (!isSkillLevel(level)) return v.fail('skills', 'people.levelRange');
    skills.set(id, Math.max(level, skills.get(id) ?? 0));
  });
  return v.result({
    organisation_id, title, kind, status, start_date, end_date, description,
    skills: [...skills].map(([skillId, minLevel]) => ({ skillId, minLevel })),
  });
}

/** The needed-skill rows a failed form submitted, so the re-rendered form keeps them. */
export function neededFromBody(body: Record<string, unknown>): NeededSkill[] {
  const levels = asList(body.min_level);
  return asList(body.skill_id)
    .map((id, i) => ({ skillId: Number(id), minLevel: Number(levels[i] || 1) }))
    .filter((s) => Number.isSafeInteger(s.skillId) && s.skillId > 0);
}

export interface ProjectFilters {
  /** words of the title (as typed) */
  q: string;
  status: ProjectStatus | '';
  kind: ProjectKind | '';
  org: number | null;
  page: number;
}

/** Reads the list filters from a query string; unknown values mean "any". */
export function parseProjectFilters(query: Record<string, unknown>): ProjectFilters {
  const one = (k: string) => {
    const v = query[k];
    return String(Array.isArray(v) ? v[0] ?? '' : v ?? '').trim();
  };
  const status = one('status');
  const kind = one('kind');
  const org = one('org');
  const page = one('page');
  return {
    q: one('q').slice(0, PROJECT_LIMITS.title),
    status: (PROJECT_STATUSES as readonly string[]).includes(status) ? (status as ProjectStatus) : '',
    kind: (PROJECT_KINDS as readonly string[]).includes(kind) ? (kind as ProjectKind) : '',
    org: /^\d{1,9}$/.test(org) && Number(org) > 0 ? Number(org) : null,
    page: pageNumber(page),
  };
}

/** The filters as a query string, with overrides (null drops a key). */
export function projectFilterParams(f: ProjectFilters, over: Partial<Record<keyof ProjectFilters, string | null>> = {}): string {
  const p = new URLSearchParams();
  const all: Record<string, string | null> = {
    q: f.q || null, status: f.status || null, kind: f.kind || null, org: f.org ? String(f.org) : null, page: f.page > 1 ? String(f.page) : null, ...over,
  };
  for (const [k, v] of Object.entries(all)) if (v) p.set(k, v);
  return p.toString();
}

/** The form's fields with their label keys, in the form's order (for the "saved meanwhile" comparison). */
const CONFLICT_FIELDS: ConflictField[] = [
  ['title', 'projects.projectTitle'], ['kind', 'projects.kind', 'projectKinds.'], ['status', 'projects.status', 'projectStatus.'],
  ['start_date', 'projects.startDate'], ['end_date', 'projects.endDate'], ['description', 'projects.description'],
];

/** Where the saved project differs from what its form would save. */
export function projectConflicts(saved: object, mine: object): FieldConflict[] {
  return fieldConflicts(CONFLICT_FIELDS, saved, mine);
}
