// Engagements (person × project): the one schema of an engagement's fields (form, import, API) and the date
// that counts as "last used".
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { fieldConflicts, type ConflictField, type FieldConflict } from '../shared/conflicts.js';
import { foldText } from '../shared/normalise.js';
import { checkDateOrder } from '../projects/projects.domain.js';

export const HANDOVER = ['yes', 'partly', 'no'] as const;
export type Handover = (typeof HANDOVER)[number];
export const RATINGS = [1, 2, 3, 4, 5] as const;
const MAX_HOURS = 100_000;
const MAX_RATE = 10_000;
/** The longest text of each field. */
export const ENGAGEMENT_LIMITS = { role: LIMITS.title, outcome: LIMITS.text, feedback: LIMITS.text } as const;

/** What an engagement records about the work, whoever enters it (form, import, API). */
export interface EngagementFields {
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  hours: number | null;
  /** null: not stated (an import cell left empty); the form's checkbox always states it */
  paid: boolean | null;
  rate: number | null;
  outcome: string | null;
  feedback: string | null;
  rating: number | null;
  handover: Handover | null;
}
export const ENGAGEMENT_FIELDS = [
  'role', 'start_date', 'end_date', 'hours', 'paid', 'rate', 'outcome', 'feedback', 'rating', 'handover',
] as const satisfies readonly (keyof EngagementFields)[];

export interface EngagementInput extends EngagementFields {
  person_id: number;
  paid: boolean;
}

/** Words for each handover value (folded), English and German; each value also stands for itself. */
const HANDOVER_WORDS: Readonly<Record<string, Handover>> = {
  yes: 'yes', ja: 'yes', partly: 'partly', teilweise: 'partly', partial: 'partly', no: 'no', nein: 'no',
};
/** Paid or voluntary in words a spreadsheet uses; besides these, any yes/no (ja, nein, 1, 0, x …). */
const PAID_WORDS: Readonly<Record<string, boolean>> = { paid: true, bezahlt: true, unpaid: false, voluntary: false, ehrenamtlich: false };

/**
 * The one schema of an engagement's fields: the form (validateEngagement), the import (mapEngagementRow) and
 * later the API read them through it, so a value one accepts ("1.234,5" hours, "1.3.2024", "teilweise") the
 * others accept too. Reads the fields from `v`, records a message key per wrong field and returns the cleaned
 * values. `paid`: a checkbox (absent = voluntary) or a stated yes/no (absent = not stated).
 */
export function readEngagementFields(v: Validator, opts: { paid: 'checkbox' | 'stated' }): EngagementFields {
  const role = v.text('role', { max: ENGAGEMENT_LIMITS.role });
  const start_date = v.date('start_date');
  const end_date = v.date('end_date');
  checkDateOrder(v, start_date, end_date);
  const hours = v.decimal('hours', { min: 0, max: MAX_HOURS, belowMinKey: 'engagements.hoursNegative' });
  const paidWord = PAID_WORDS[foldText(v.raw('paid'))];
  const paid = opts.paid === 'checkbox' ? paidWord ?? v.bool('paid') : paidWord ?? v.yesNo('paid');
  const rate = v.decimal('rate', { min: 0, max: MAX_RATE, belowMinKey: 'engagements.rateNegative' });
  if (rate !== null && paid === false) v.fail('rate', 'engagements.rateNeedsPaid');
  const ratingRaw = v.decimal('rating', { min: RATINGS[0], max: RATINGS[RATINGS.length - 1]! });
  const rating = ratingRaw !== null && Number.isInteger(ratingRaw) ? ratingRaw : null;
  if (v.errors.rating || (ratingRaw !== null && rating === null)) v.errors.rating = 'engagements.ratingRange';
  return {
    role, start_date, end_date, hours, paid, rate: paid === false ? null : rate,
    outcome: v.text('outcome', { max: ENGAGEMENT_LIMITS.outcome }),
    feedback: v.text('feedback', { max: ENGAGEMENT_LIMITS.feedback }),
    rating, handover: v.word('handover', HANDOVER_WORDS),
  };
}

/** The engagement form: a person plus the engagement's fields. */
export function validateEngagement(body: Record<string, unknown>): Result<EngagementInput> {
  const v = new Validator(body);
  const person_id = v.int('person_id', { min: 1, max: Number.MAX_SAFE_INTEGER, required: true });
  if (v.errors.person_id) v.errors.person_id = 'engagements.personRequired';
  const fields = readEngagementFields(v, { paid: 'checkbox' });
  return v.result({ ...fields, person_id: person_id ?? 0, paid: fields.paid === true });
}

/** The date an engagement last used its skills: its end, else its start; null when undated. */
export function lastUsedDate(e: { start_date: string | null; end_date: string | null }): string | null {
  return e.end_date ?? e.start_date ?? null;
}

/** The form's fields with their label keys, in the form's order (for the "saved meanwhile" comparison). */
const CONFLICT_FIELDS: ConflictField[] = [
  ['role', 'engagements.role'], ['start_date', 'engagements.startDate'], ['end_date', 'engagements.endDate'], ['hours', 'engagements.hours'],
  ['paid', 'engagements.paid'], ['rate', 'engagements.rate'], ['outcome', 'engagements.outcome'], ['feedback', 'engagements.feedback'],
  ['rating', 'engagements.rating'], ['handover', 'engagements.handover', 'handover.'],
];

/** Where the saved engagement differs from what its form would save. */
export function engagementConflicts(saved: object, mine: object): FieldConflict[] {
  return fieldConflicts(CONFLICT_FIELDS, saved, mine);
}
