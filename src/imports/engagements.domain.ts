// Importing a network's history: engagements (who worked on which organisation's project, in what role,
// when, how many hours) from a CSV. Column guessing and row validation; pure logic.
import { foldText } from '../shared/normalise.js';
import { LIMITS, isEmail, isIsoDate } from '../shared/validate.js';
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

export interface EngagementRow {
  email: string;
  organisation: string;
  project: string;
  project_kind: 'consulting' | 'implementation' | 'mixed' | null;
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  hours: number | null;
  paid: boolean | null;
  rate: number | null;
  outcome: string | null;
  feedback: string | null;
  rating: number | null;
  handover: 'yes' | 'partly' | 'no' | null;
}

/** "2024-03-01", "1.3.2024", "01.03.24" → ISO; null when it is none of these (US dates are ambiguous, so refused). */
export function parseDate(raw: string): string | null {
  const s = raw.trim();
  if (isIsoDate(s)) return s;
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ]/.exec(s);
  if (iso && isIsoDate(`${iso[1]}-${iso[2]}-${iso[3]}`)) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(s);
  if (de) {
    const y = de[3]!.length === 2 ? `20${de[3]}` : de[3]!;
    const d = `${y}-${de[2]!.padStart(2, '0')}-${de[1]!.padStart(2, '0')}`;
    return isIsoDate(d) ? d : null;
  }
  return null;
}

/** 12,5 or 12.5 or 1.234,5 → a number; null when it is not one. */
export function parseDecimal(raw: string): number | null {
  let s = raw.trim().replace(/\s/g, '');
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '');
  s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

const YES = new Set(['yes', 'y', 'ja', 'j', 'true', '1', 'x', 'paid', 'bezahlt']);
const NO = new Set(['no', 'n', 'nein', 'false', '0', 'unpaid', 'ehrenamtlich', 'voluntary']);
const HANDOVER: Record<string, 'yes' | 'partly' | 'no'> = { yes: 'yes', ja: 'yes', partly: 'partly', teilweise: 'partly', partial: 'partly', no: 'no', nein: 'no' };
const PROJECT_KINDS: Record<string, 'consulting' | 'implementation' | 'mixed'> = {
  consulting: 'consulting', beratung: 'consulting', implementation: 'implementation', umsetzung: 'implementation',
  mixed: 'mixed', gemischt: 'mixed', both: 'mixed', beides: 'mixed',
  // the labels of the projects screen, as an engagements export writes them
  'consulting and implementation': 'mixed', 'beratung und umsetzung': 'mixed',
};

/** Maps and validates one engagement row; problems name the column. */
export function mapEngagementRow(cells: string[], headers: string[], targets: EngagementTarget[]): { ok: true; row: EngagementRow } | { ok: false; problem: RowProblem } {
  if (cells.length < headers.length || cells.slice(headers.length).some((c) => c.trim())) {
    return { ok: false, problem: { key: 'imports.row.ragged', vars: { cells: cells.length, expected: headers.length } } };
  }
  const v: Partial<Record<EngagementTarget, { value: string; column: string }>> = {};
  targets.forEach((t, i) => {
    const cell = stripFormulaGuard((cells[i] ?? '').trim());
    if (t !== 'ignore' && cell && !v[t]) v[t] = { value: cell, column: headers[i]! };
  });
  const fail = (key: string, t: EngagementTarget): { ok: false; problem: RowProblem } =>
    ({ ok: false, problem: { key, vars: { column: v[t]?.column ?? t, value: (v[t]?.value ?? '').slice(0, 80) } } });
  const text = (t: EngagementTarget, max: number) => v[t]?.value.slice(0, max) ?? null;
  for (const [t, max] of [['organisation', LIMITS.title], ['project', LIMITS.title], ['role', LIMITS.title], ['outcome', LIMITS.text], ['feedback', LIMITS.text]] as const) {
    if ((v[t]?.value.length ?? 0) > max) return { ok: false, problem: { key: 'imports.row.tooLong', vars: { column: v[t]!.column, length: v[t]!.value.length, max } } };
  }
  const email = v.email ? firstEmail(v.email.value) : '';
  if (!email) return { ok: false, problem: { key: 'imports.row.missingEmail', vars: {} } };
  if (!isEmail(email)) return fail('imports.row.email', 'email');
  if (!v.organisation) return { ok: false, problem: { key: 'imports.row.missingOrganisation', vars: {} } };
  if (!v.project) return { ok: false, problem: { key: 'imports.row.missingProject', vars: {} } };
  const start = v.start_date ? parseDate(v.start_date.value) : null;
  if (v.start_date && !start) return fail('imports.row.date', 'start_date');
  const end = v.end_date ? parseDate(v.end_date.value) : null;
  if (v.end_date && !end) return fail('imports.row.date', 'end_date');
  if (start && end && end < start) return fail('imports.row.endBeforeStart', 'end_date');
  const hours = v.hours ? parseDecimal(v.hours.value) : null;
  if (v.hours && (hours === null || hours < 0 || hours > 100_000)) return fail('imports.row.number', 'hours');
  const rate = v.rate ? parseDecimal(v.rate.value) : null;
  if (v.rate && (rate === null || rate < 0 || rate > 10_000)) return fail('imports.row.number', 'rate');
  const rating = v.rating ? parseDecimal(v.rating.value) : null;
  if (v.rating && (rating === null || !Number.isInteger(rating) || rating < 1 || rating > 5)) return fail('imports.row.number', 'rating');
  let paid: boolean | null = null;
  if (v.paid) {
    const p = foldText(v.paid.value);
    if (YES.has(p)) paid = true;
    else if (NO.has(p)) paid = false;
    else return fail('imports.row.choice', 'paid');
  }
  const handover = v.handover ? HANDOVER[foldText(v.handover.value)] ?? null : null;
  if (v.handover && !handover) return fail('imports.row.choice', 'handover');
  const kind = v.project_kind ? PROJECT_KINDS[foldText(v.project_kind.value)] ?? null : null;
  if (v.project_kind && !kind) return fail('imports.row.choice', 'project_kind');
  return {
    ok: true,
    row: {
      email, organisation: v.organisation.value.slice(0, LIMITS.title), project: v.project.value.slice(0, LIMITS.title), project_kind: kind,
      role: text('role', LIMITS.title), start_date: start, end_date: end, hours, paid, rate, outcome: text('outcome', LIMITS.text),
      feedback: text('feedback', LIMITS.text), rating, handover,
    },
  };
}

/** The engagement fields a row sets, as stored (booleans as 0/1). */
export function engagementColumns(r: EngagementRow): Record<string, string | number | null> {
  return {
    role: r.role, start_date: r.start_date, end_date: r.end_date, hours: r.hours, paid: r.paid === null ? null : r.paid ? 1 : 0,
    rate: r.rate, outcome: r.outcome, feedback: r.feedback, rating: r.rating, handover: r.handover,
  };
}
