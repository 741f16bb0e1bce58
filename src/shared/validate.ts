// Small building blocks for domain validation: each returns the cleaned value or records a message key.
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
export const EMAIL_PATTERN = '[^\\s@]+@[^\\s@]+\\.[^\\s@]{2,}';

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

  url(field: string): string | null {
    const v = this.text(field, { max: LIMITS.url });
    if (!v) return null;
    const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
    try {
      const u = new URL(withScheme);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      return u.toString();
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

  /** YYYY-MM-DD, a real calendar date */
  date(field: string, opts: { required?: boolean } = {}): string | null {
    const v = this.raw(field).trim();
    if (!v) {
      if (opts.required) this.fail(field, 'validation.required');
      return null;
    }
    if (!isIsoDate(v)) {
      this.fail(field, 'validation.date');
      return null;
    }
    return v;
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

  /** A decimal number; accepts a German decimal comma. */
  number(field: string, opts: { min: number; max: number }): number | null {
    const v = this.raw(field).trim().replace(',', '.');
    if (!v) return null;
    const n = Number(v);
    if (!Number.isFinite(n) || n < opts.min || n > opts.max) {
      this.fail(field, 'validation.range');
      return null;
    }
    return n;
  }

  bool(field: string): boolean {
    const v = this.raw(field);
    return v === '1' || v === 'on' || v === 'true' || v === 'yes';
  }

  result<T>(value: T): Result<T> {
    return Object.keys(this.errors).length ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

export function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
