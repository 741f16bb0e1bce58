// Small building blocks for domain validation: each returns the cleaned value or records a message key.
// Forms and imports share them, so a value one accepts the other accepts too (one reader of decimals and dates).
import { foldText } from './normalise.js';

export type FieldErrors = Record<string, string>;
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const LIMITS = {
  name: 120,
  title: 200,
  email: 254,
  phone: 60,
  city: 120,
  postcode: 20,
  url: 500,
  text: 5000,
  short: 200,
  /** one tag */
  tag: 80,
  /** one language or a search for one */
  language: 60,
} as const;

const EMAIL_RE = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]{2,}$/;

/** A list's ?page=N: a positive whole number below a million, else 1 (absent, 0, negative, text, a repeated parameter). */
export function pageNumber(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
}

export function isEmail(s: string): boolean {
  return s.length <= LIMITS.email && EMAIL_RE.test(s);
}

export class Validator {
  readonly errors: FieldErrors = {};

  constructor(private readonly input: Record<string, unknown>) {}

  raw(field: string): string {
    const v = this.input[field];
    if (Array.isArray(v)) return String(v[0] ?? '');
    return v === undefined || v === null ? '' : String(v);
  }

  fail(field: string, key: string): void {
    if (!this.errors[field]) this.errors[field] = key;
  }

  text(field: string, opts: { max: number; required?: boolean }): string | null {
    const v = this.raw(field).trim();
    if (!v) {
      if (opts.required) this.fail(field, 'validation.required');
      return null;
    }
    if (v.length > opts.max) this.fail(field, 'validation.tooLong');
    return v;
  }

  email(field: string, opts: { required?: boolean } = {}): string | null {
    const v = this.text(field, { max: LIMITS.email, required: opts.required });
    if (v && !isEmail(v)) this.fail(field, 'validation.email');
    return v;
  }

  /** A web address: http(s) only; kept as written when it names its scheme (so an export comes back unchanged), else https:// is added. */
  url(field: string): string | null {
    const v = this.text(field, { max: LIMITS.url });
    if (!v) return null;
    const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(v);
    try {
      const u = new URL(hasScheme ? v : `https://${v}`);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return hasScheme ? v : u.toString();
    } catch {
      this.fail(field, 'validation.url');
      return v;
    }
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const v = this.raw(field).trim();
    if ((allowed as readonly string[]).includes(v)) return v as T;
    if (!v && fallback !== undefined) return fallback;
    this.fail(field, 'validation.choice');
    return (fallback ?? allowed[0]) as T;
  }

  /** A real calendar date as YYYY-MM-DD; also read from DD.MM.YYYY and an ISO timestamp (see parseDate). */
  date(field: string, opts: { required?: boolean } = {}): string | null {
    const v = this.raw(field).trim();
    if (!v) {
      if (opts.required) this.fail(field, 'validation.required');
      return null;
    }
    const iso = parseDate(v);
    if (!iso) this.fail(field, 'validation.date');
    return iso;
  }

  int(field: string, opts: { min: number; max: number; required?: boolean }): number | null {
    const v = this.raw(field).trim();
    if (!v) {
      if (opts.required) this.fail(field, 'validation.required');
      return null;
    }
    const n = Number(v);
    if (!Number.isInteger(n) || n < opts.min || n > opts.max) {
      this.fail(field, 'validation.range');
      return null;
    }
    return n;
  }

  /**
   * A decimal number read by parseDecimal ("12,5", "1.234,5"); out of range is 'validation.range', or
   * `belowMinKey` when it is below `min` (e.g. "hours cannot be negative").
   */
  decimal(field: string, opts: { min: number; max: number; belowMinKey?: string }): number | null {
    const v = this.raw(field).trim();
    if (!v) return null;
    const n = parseDecimal(v);
    if (n === null || n > opts.max || n < opts.min) {
      this.fail(field, n !== null && n < opts.min && opts.belowMinKey ? opts.belowMinKey : 'validation.range');
      return null;
    }
    return n;
  }

  /** A checkbox: ticked or not. */
  bool(field: string): boolean {
    return parseYesNo(this.raw(field)) === true;
  }

  /** Yes, no, or not stated (an empty cell): "ja", "1", "x", "nein", "0" … as parseYesNo reads them. */
  yesNo(field: string): boolean | null {
    const v = this.raw(field).trim();
    if (!v) return null;
    const b = parseYesNo(v);
    if (b === null) this.fail(field, 'validation.choice');
    return b;
  }

  /**
   * One of the allowed values, also written as one of its other words (English or German, any case and accents):
   * `words` maps folded words to values and must list each value itself. Empty → null.
   */
  word<T extends string>(field: string, words: Readonly<Record<string, T>>): T | null {
    const v = this.raw(field).trim();
    if (!v) return null;
    const folded = foldText(v);
    const hit = words[folded] ?? words[folded.replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/\s+/g, ' ').trim()];
    if (hit === undefined) this.fail(field, 'validation.choice');
    return hit ?? null;
  }

  result<T>(value: T): Result<T> {
    return Object.keys(this.errors).length ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

/** The one decimal reader: "12,5", "12.5", "1.234,5" (German thousands), " 12 " → a number; null when it is not one. */
export function parseDecimal(raw: string): number | null {
  let s = raw.trim().replace(/\s/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '');
  s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** "2024-03-01", "2024-03-01T10:00:00Z", "1.3.2024", "01.03.24" → "2024-03-01"; null otherwise (US dates are ambiguous, so refused). */
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

const YES = new Set(['yes', 'y', 'ja', 'j', 'true', '1', 'x', 'on']);
const NO = new Set(['no', 'n', 'nein', 'false', '0', 'off']);

/** A yes/no cell or checkbox value in English or German; null when it is neither. */
function parseYesNo(raw: string): boolean | null {
  const v = foldText(raw);
  return YES.has(v) ? true : NO.has(v) ? false : null;
}

export function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
