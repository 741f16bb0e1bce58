// Form plumbing shared by every screen: the body as a plain record, and the 422 re-render.
import type { Request, Response } from 'express';
import type { FieldErrors } from '../shared/validate.js';

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
