// RFC 9457 problem details: the one error shape of the API. A route throws ApiProblem (or any error the web uses);
// toProblem turns every error into a problem with a status, never a stack trace; the texts are in the token user's
// language.
import type { Translate } from '../i18n/i18n.js';
import { HttpError } from '../http/errors.js';
import { dbErrorKey } from '../http/db-errors.js';

/** The kinds of problem; each is documented at /api/docs#problem-<kind> (the problem's `type`). */
export const PROBLEM_KINDS = [
  'unauthorized', 'forbidden', 'not-found', 'method-not-allowed', 'bad-request', 'malformed-json', 'unsupported-media-type',
  'too-large', 'validation', 'precondition-failed', 'precondition-required', 'conflict', 'rate-limited', 'unavailable', 'server-error',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export const PROBLEM_STATUS: Record<ProblemKind, number> = {
  unauthorized: 401, forbidden: 403, 'not-found': 404, 'method-not-allowed': 405, 'bad-request': 400, 'malformed-json': 400,
  'unsupported-media-type': 415, 'too-large': 413, validation: 422, 'precondition-failed': 412, 'precondition-required': 428,
  conflict: 409, 'rate-limited': 429, unavailable: 503, 'server-error': 500,
};

/** One wrong field: where (a JSON path such as `skills[0].level`), and why (a message key and its values). */
export interface FieldProblem {
  field: string;
  key: string;
  vars?: Record<string, string | number>;
}

export class ApiProblem extends Error {
  constructor(
    public readonly kind: ProblemKind,
    /** the detail's message key (api.problem.<kind>.detail when not given) */
    public readonly detailKey?: string,
    public readonly vars: Record<string, string | number> = {},
    public readonly fields: FieldProblem[] = [],
  ) {
    super(kind);
  }
}

export const problem = (kind: ProblemKind, detailKey?: string, vars: Record<string, string | number> = {}) => new ApiProblem(kind, detailKey, vars);
export const invalid = (fields: FieldProblem[]) => new ApiProblem('validation', undefined, {}, fields);

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; reason: string; code: string }[];
}

interface KnownError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** Any error as a problem: ours as they are, body-parser's and the web's by their status, the rest as 500. */
export function toProblem(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (err instanceof HttpError) {
    const byStatus = (Object.keys(PROBLEM_STATUS) as ProblemKind[]).find((k) => PROBLEM_STATUS[k] === err.status && k !== 'malformed-json');
    return new ApiProblem(byStatus ?? 'bad-request', err.messageKey, err.vars);
  }
  const e = (err ?? {}) as KnownError;
  if (e.type === 'entity.parse.failed') return new ApiProblem('malformed-json');
  if (e.type === 'entity.too.large') return new ApiProblem('too-large');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new ApiProblem('unsupported-media-type');
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) {
    const byStatus = (Object.keys(PROBLEM_STATUS) as ProblemKind[]).find((k) => PROBLEM_STATUS[k] === status);
    return new ApiProblem(byStatus ?? 'bad-request');
  }
  const dbKey = dbErrorKey(err);
  if (dbKey) return new ApiProblem('unavailable', dbKey);
  return new ApiProblem('server-error');
}

/** The problem as JSON, in the language of `t`. */
export function problemBody(p: ApiProblem, t: Translate, instance?: string): ProblemBody {
  const body: ProblemBody = {
    type: `/api/docs#problem-${p.kind}`,
    title: t(`api.problem.${p.kind}`),
    status: PROBLEM_STATUS[p.kind],
    detail: t(p.detailKey ?? `api.problem.${p.kind}.detail`, p.vars),
    ...(instance ? { instance } : {}),
  };
  if (p.fields.length) body.errors = p.fields.map((f) => ({ field: f.field, reason: t(f.key, f.vars), code: f.key }));
  return body;
}
