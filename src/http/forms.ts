// Form plumbing shared by every screen: the body as a plain record, and the 422 re-render.
import type { NextFunction, Request, Response } from 'express';
import type { FieldErrors } from '../shared/validate.js';
import { HttpError } from './errors.js';

/** No form sends more fields (the largest: an import's column mapping, 250 columns); parsing more costs time. */
export const MAX_FORM_FIELDS = 1000;

/** No form or filter repeats a field more often (a person's skill rows, a search's skills, an export's columns). */
export const MAX_REPEATED_VALUES = 100;

/**
 * Refuses (422) a request whose body or query repeats one field more than MAX_REPEATED_VALUES times, before any
 * handler validates or re-renders it: a small request must not grow into a huge page.
 */
export function capRepeatedFields(req: Request, _res: Response, next: NextFunction): void {
  for (const source of [req.body, req.query] as unknown[]) {
    if (!source || typeof source !== 'object') continue;
    for (const value of Object.values(source)) {
      if (Array.isArray(value) && value.length > MAX_REPEATED_VALUES) {
        return next(new HttpError(422, 'errors.tooManyValues', { count: value.length, max: MAX_REPEATED_VALUES }));
      }
    }
  }
  next();
}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
}

/** A query-string value as one trimmed string ('' when absent or repeated oddly). */
export function queryString(req: Request, name: string): string {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return String(v[0] ?? '').trim();
  return typeof v === 'string' ? v.trim() : '';
}

/** A repeatable query-string value as a list of non-empty strings. */
export function queryList(req: Request, name: string): string[] {
  const v = (req.query as Record<string, unknown>)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => String(x).trim()).filter(Boolean);
}

/** Re-renders a form with status 422, the submitted values and a message at each field. */
export function renderInvalid(res: Response, view: string, locals: Record<string, unknown> & { errors: FieldErrors }): void {
  res.status(422).render(view, locals);
}
