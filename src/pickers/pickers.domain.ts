// The pickers' common shape: what the JSON endpoints answer and what the no-JavaScript search step renders, so
// both list the same choices with the same "showing 20 of N" line.
import { PICKER_LIMIT } from '../search/picker.queries.js';

export { PICKER_LIMIT };

/** The kinds of record a picker chooses, each with its endpoint `/pickers/<kind>`. */
export const PICKER_KINDS = ['people', 'organisations', 'projects'] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

/** The longest text a picker's search box takes. */
export const PICKER_Q_MAX = 120;

export interface PickerOption {
  id: number;
  label: string;
  /** a second line: city, organisation, "do not contact" */
  hint: string;
}

export interface PickerAnswer {
  options: PickerOption[];
  /** how many match in all: options holds at most PICKER_LIMIT */
  total: number;
  /** more than `total` match: the people picker counts up to 1,000 and then says "more than 1,000" */
  more: boolean;
}

/** The typed text of a picker's search box, trimmed and cut to PICKER_Q_MAX. */
export function pickerQuery(raw: unknown): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return String(v ?? '').trim().slice(0, PICKER_Q_MAX);
}

/** A positive id from a form or query value, else null. */
export function pickedId(raw: unknown): number | null {
  const v = String(Array.isArray(raw) ? raw[0] : raw ?? '');
  return /^[1-9]\d{0,14}$/.test(v) ? Number(v) : null;
}

/**
 * The line under a picker's list: "Showing 20 of 1,234: type more to narrow it down", "Showing 20 of more than
 * 1,000: …" (`more`: not all were counted), "3 found", "Nothing found for …".
 */
export function pickerStatus(
  t: (k: string, v?: Record<string, string | number>) => string, fmt: { number(n: number): string }, shown: number, total: number, q: string, more = false,
): string {
  if (more) return t('pickers.moreThan', { shown: fmt.number(shown), total: fmt.number(total) });
  if (!total) return q ? t('pickers.none', { q }) : t('pickers.empty');
  if (shown < total) return t('pickers.more', { shown: fmt.number(shown), total: fmt.number(total) });
  return t('pickers.found', { count: fmt.number(total) });
}
