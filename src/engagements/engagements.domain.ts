// Engagements (person × project): validation of the engagement form and the date that counts as "last used".
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { checkDateOrder } from '../projects/projects.domain.js';

export const HANDOVER = ['yes', 'partly', 'no'] as const;
export type Handover = (typeof HANDOVER)[number];
export const RATINGS = [1, 2, 3, 4, 5] as const;
export const MAX_HOURS = 100_000;
export const MAX_RATE = 10_000;
/** The longest text of each field; `person_q` is the person picker's search box. */
export const ENGAGEMENT_LIMITS = { role: LIMITS.title, outcome: LIMITS.text, feedback: LIMITS.text, person_q: LIMITS.name } as const;

export interface EngagementInput {
  person_id: number;
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  hours: number | null;
  paid: boolean;
  rate: number | null;
  outcome: string | null;
  feedback: string | null;
  rating: number | null;
  handover: Handover | null;
}

/** A non-negative decimal (German comma accepted) with its own message for a negative value. */
function amount(v: Validator, field: string, max: number, negativeKey: string): number | null {
  const raw = v.raw(field).trim().replace(',', '.');
  if (!raw) return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    v.fail(field, 'validation.range');
    return null;
  }
  if (n < 0) {
    v.fail(field, negativeKey);
    return null;
  }
  if (n > max) {
    v.fail(field, 'validation.range');
    return null;
  }
  return n;
}

export function validateEngagement(body: Record<string, unknown>): Result<EngagementInput> {
  const v = new Validator(body);
  const person_id = v.int('person_id', { min: 1, max: Number.MAX_SAFE_INTEGER, required: true });
  if (v.errors.person_id) v.errors.person_id = 'engagements.personRequired';
  const start_date = v.date('start_date');
  const end_date = v.date('end_date');
  checkDateOrder(v, start_date, end_date);
  const hours = amount(v, 'hours', MAX_HOURS, 'engagements.hoursNegative');
  const paid = v.bool('paid');
  const rate = amount(v, 'rate', MAX_RATE, 'engagements.rateNegative');
  if (rate !== null && !paid) v.fail('rate', 'engagements.rateNeedsPaid');
  const rating = v.int('rating', { min: RATINGS[0], max: RATINGS[RATINGS.length - 1]! });
  if (v.errors.rating) v.errors.rating = 'engagements.ratingRange';
  const handoverRaw = v.raw('handover').trim();
  const handover = handoverRaw ? v.oneOf('handover', HANDOVER) : null;
  return v.result({
    person_id: person_id ?? 0,
    role: v.text('role', { max: ENGAGEMENT_LIMITS.role }),
    start_date, end_date, hours, paid, rate: paid ? rate : null,
    outcome: v.text('outcome', { max: ENGAGEMENT_LIMITS.outcome }),
    feedback: v.text('feedback', { max: ENGAGEMENT_LIMITS.feedback }),
    rating, handover,
  });
}

/** The date an engagement last used its skills: its end, else its start; null when undated. */
export function lastUsedDate(e: { start_date: string | null; end_date: string | null }): string | null {
  return e.end_date ?? e.start_date ?? null;
}

