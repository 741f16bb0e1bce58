// Importing a network's history: engagements (who worked on which organisation's project, in what role,
// when, how many hours) from a CSV. Column guessing and row validation; pure logic.
import { Validator, isEmail } from '../shared/validate.js';
import { ENGAGEMENT_FIELDS, ENGAGEMENT_LIMITS, readEngagementFields, type EngagementFields } from '../engagements/engagements.domain.js';
import { ORG_LIMITS } from '../organisations/organisations.domain.js';
import { PROJECT_KIND_WORDS, PROJECT_LIMITS, type ProjectKind } from '../projects/projects.domain.js';
import { firstEmail, guessField, headerKey, stripFormulaGuard } from './mapping.domain.js';
import type { RowProblem } from './rows.domain.js';

export const ENGAGEMENT_TARGETS = [
  'email', 'organisation', 'project', 'project_kind', 'role', 'start_date', 'end_date', 'hours', 'paid', 'rate', 'outcome',
  'feedback', 'rating', 'handover', 'ignore',
] as const;
export type EngagementTarget = (typeof ENGAGEMENT_TARGETS)[number];

const NAMES: Partial<Record<EngagementTarget, string[]>> = {
  project: ['project', 'projekt', 'project title', 'projekttitel', 'project name', 'projektname', 'titel', 'title'],
  project_kind: ['project kind', 'project type', 'projektart', 'projekttyp', 'kind', 'art'],
  role: ['role', 'rolle', 'funktion', 'aufgabe', 'task', 'position'],
  start_date: ['start', 'start date', 'from', 'von', 'beginn', 'begin', 'startdatum', 'since', 'seit', 'started'],
  end_date: ['end', 'end date', 'to', 'bis', 'ende', 'enddatum', 'until', 'ended'],
  hours: ['hours', 'stunden', 'hrs', 'aufwand', 'time spent', 'hours spent', 'zeitaufwand'],
  paid: ['paid', 'bezahlt', 'vergutet', 'honorar', 'paid work'],
  rate: ['rate', 'hourly rate', 'stundensatz', 'satz'],
  outcome: ['outcome', 'ergebnis', 'result', 'results'],
  feedback: ['feedback', 'ruckmeldung'],
  rating: ['rating', 'bewertung', 'stars', 'sterne', 'score'],
  handover: ['handover', 'ubergabe', 'hand over'],
};
const BY_NAME = new Map<string, EngagementTarget>();
for (const [t, names] of Object.entries(NAMES)) for (const n of names!) BY_NAME.set(n, t as EngagementTarget);

/** The field an engagement column means: its own names first, then the people guesses for e-mail and organisation. */
export function guessEngagementField(header: string): EngagementTarget {
  const own = BY_NAME.get(headerKey(header));
  if (own) return own;
  const g = guessField(header);
  return g === 'email' || g === 'organisation' ? g : 'ignore';
}

export function guessEngagementMapping(headers: string[]): EngagementTarget[] {
  const seen = new Set<EngagementTarget>();
  return headers.map((h) => {
    const t = guessEngagementField(h);
    if (t === 'ignore' || seen.has(t)) return 'ignore';
    seen.add(t);
    return t;
  });
}

export interface EngagementRow extends EngagementFields {
  email: string;
  organisation: string;
  project: string;
  project_kind: ProjectKind | null;
}

/** The import's message for what the engagement schema found wrong with a field (the row names the column). */
const ROW_KEY: Record<string, string> = {
  'validation.date': 'imports.row.date',
  'projects.endBeforeStart': 'imports.row.endBeforeStart',
  'validation.range': 'imports.row.number',
  'engagements.hoursNegative': 'imports.row.number',
  'engagements.rateNegative': 'imports.row.number',
  'engagements.ratingRange': 'imports.row.number',
  'validation.choice': 'imports.row.choice',
  'engagements.rateNeedsPaid': 'imports.row.rateNeedsPaid',
};

/** Problems about two fields at once (which one is wrong cannot be told): such a row always fails. */
const CROSS_FIELD = new Set(['projects.endBeforeStart', 'engagements.rateNeedsPaid']);

export type MappedEngagement = { ok: true; row: EngagementRow; dropped?: RowProblem[] } | { ok: false; problem: RowProblem };

/**
 * Maps one engagement row and validates it with the engagement schema the form uses; problems name the column.
 * `dropBadField`: a row whose only problem is one unreadable field (a date, a number, a yes/no word) is taken
 * without it, the problem listed in `dropped` (default: the row fails). The e-mail, organisation and project
 * find the engagement's person and project: without them a row always fails, as with a value too long.
 */
export function mapEngagementRow(cells: string[], headers: string[], targets: EngagementTarget[], opts: { dropBadField?: boolean } = {}): MappedEngagement {
  if (cells.length < headers.length || cells.slice(headers.length).some((c) => c.trim())) {
    return { ok: false, problem: { key: 'imports.row.ragged', vars: { cells: cells.length, expected: headers.length } } };
  }
  const v: Partial<Record<EngagementTarget, { value: string; column: string }>> = {};
  targets.forEach((t, i) => {
    const cell = stripFormulaGuard((cells[i] ?? '').trim());
    if (t !== 'ignore' && cell && !v[t]) v[t] = { value: cell, column: headers[i]! };
  });
  const column = (t: string) => v[t as EngagementTarget]?.column ?? t;
  const value = (t: string) => (v[t as EngagementTarget]?.value ?? '').slice(0, 80);
  const fail = (key: string, t: string): { ok: false; problem: RowProblem } => ({ ok: false, problem: { key, vars: { column: column(t), value: value(t) } } });
  const tooLong = (t: string, max: number): { ok: false; problem: RowProblem } =>
    ({ ok: false, problem: { key: 'imports.row.tooLong', vars: { column: column(t), length: v[t as EngagementTarget]!.value.length, max } } });
  for (const [t, max] of [['organisation', ORG_LIMITS.name], ['project', PROJECT_LIMITS.title]] as const) {
    if ((v[t]?.value.length ?? 0) > max) return tooLong(t, max);
  }
  const email = v.email ? firstEmail(v.email.value) : '';
  if (!email) return { ok: false, problem: { key: 'imports.row.missingEmail', vars: {} } };
  if (!isEmail(email)) return fail('imports.row.email', 'email');
  if (!v.organisation) return { ok: false, problem: { key: 'imports.row.missingOrganisation', vars: {} } };
  if (!v.project) return { ok: false, problem: { key: 'imports.row.missingProject', vars: {} } };
  const read = (values: Record<string, string>) => {
    const check = new Validator(values);
    const fields = readEngagementFields(check, { paid: 'stated' });
    const project_kind = check.word('project_kind', PROJECT_KIND_WORDS);
    const bad = ([...ENGAGEMENT_FIELDS, 'project_kind'] as const).filter((f) => check.errors[f]);
    return { fields, project_kind, bad, errors: check.errors };
  };
  const values: Record<string, string> = Object.fromEntries(Object.entries(v).map(([t, c]) => [t, c.value]));
  let r = read(values);
  let dropped: RowProblem[] | undefined;
  if (r.bad.length) {
    const f = r.bad[0]!;
    const key = r.errors[f]!;
    const problem = key === 'validation.tooLong' ? tooLong(f, ENGAGEMENT_LIMITS[f as keyof typeof ENGAGEMENT_LIMITS]) : fail(ROW_KEY[key] ?? 'imports.row.choice', f);
    if (!opts.dropBadField || r.bad.length > 1 || key === 'validation.tooLong' || CROSS_FIELD.has(key)) return problem;
    // the one bad field left out: the rest must then read cleanly
    const { [f]: _left, ...rest } = values;
    r = read(rest);
    if (r.bad.length) return problem;
    dropped = [problem.problem];
  }
  return { ok: true, row: { ...r.fields, email, organisation: v.organisation.value, project: v.project.value, project_kind: r.project_kind }, ...(dropped ? { dropped } : {}) };
}

/** One row of a history import as the preview lists it: what happens to which engagement. */
export interface EngagementSample {
  row: number;
  action: 'create' | 'update' | 'skip';
  personId: number;
  email: string;
  organisation: string;
  project: string;
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  /** the fields an update changes (or a skipped row would) */
  fields: string[];
}

/** The engagement fields a row sets, as stored (booleans as 0/1). */
export function engagementColumns(r: EngagementRow): Record<string, string | number | null> {
  return {
    role: r.role, start_date: r.start_date, end_date: r.end_date, hours: r.hours, paid: r.paid === null ? null : r.paid ? 1 : 0,
    rate: r.rate, outcome: r.outcome, feedback: r.feedback, rating: r.rating, handover: r.handover,
  };
}
