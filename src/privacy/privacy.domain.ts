// Data protection, pure parts: consent records and their current state, the e-mail hash of a suppression,
// the stale-record cut-off, and one person's data flattened for a CSV download.
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetOptions } from '../exports/csv.domain.js';
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { normaliseEmail } from '../shared/normalise.js';

/** Purposes offered in the consent form; any other purpose is stored as the free text typed. */
export const CONSENT_PURPOSES = ['contact_projects', 'newsletter', 'directory'] as const;
export const CONSENT_STATUSES = ['given', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const CONSENT_METHODS = ['web_form', 'email', 'phone', 'in_person', 'paper', 'import', 'other'] as const;
/** The select value that means "use the free-text purpose" */
export const OTHER_PURPOSE = 'other';

export const PURPOSE_MAX = LIMITS.name;
export const CONSENT_LIMITS = { purpose_other: PURPOSE_MAX, notice_text: LIMITS.text } as const;

export interface ConsentInput {
  purpose: string;
  status: ConsentStatus;
  method: string | null;
  noticeText: string | null;
}

export interface ConsentRow {
  id: number;
  person_id: number;
  purpose: string;
  status: ConsentStatus;
  method: string | null;
  notice_text: string | null;
  recorded_by_user_id: number | null;
  recorded_by: string | null;
  created_at: string;
}

/** Validates the consent form: `purpose` is a listed purpose or `other` plus `purpose_other` as free text. */
export function validateConsent(body: Record<string, unknown>): Result<ConsentInput> {
  const v = new Validator(body);
  const chosen = v.oneOf('purpose', [...CONSENT_PURPOSES, OTHER_PURPOSE]);
  let purpose: string = chosen;
  if (chosen === OTHER_PURPOSE) {
    const free = v.text('purpose_other', { max: PURPOSE_MAX, required: true }) ?? '';
    purpose = free.replace(/\s+/g, ' ');
  }
  const status = v.oneOf('status', CONSENT_STATUSES, 'given');
  const methodRaw = v.raw('method').trim();
  const method = methodRaw ? v.oneOf('method', CONSENT_METHODS) : null;
  const noticeText = v.text('notice_text', { max: CONSENT_LIMITS.notice_text });
  return v.result({ purpose, status, method, noticeText });
}

/** The purpose as submitted for a withdrawal (any stored purpose, trimmed); null when empty or too long. */
export function withdrawalPurpose(raw: unknown): string | null {
  const s = (Array.isArray(raw) ? String(raw[0] ?? '') : String(raw ?? '')).trim();
  return s && s.length <= PURPOSE_MAX ? s : null;
}

/** The latest record per purpose ("latest wins"); expects any order, returns purposes in the order first given. */
export function currentConsents<T extends { id: number; purpose: string }>(rows: T[]): T[] {
  const latest = new Map<string, T>();
  for (const r of [...rows].sort((a, b) => a.id - b.id)) latest.set(r.purpose, r);
  return [...latest.values()];
}

/** Is consent for this purpose currently given? */
export function hasConsent(rows: { id: number; purpose: string; status: string }[], purpose: string): boolean {
  return currentConsents(rows).some((r) => r.purpose === purpose && r.status === 'given');
}

/** sha256 (hex) of the normalised e-mail: all a suppression record keeps. Null when there is no e-mail. */
export function emailHash(email: string | null | undefined): string | null {
  const norm = normaliseEmail(email);
  return norm ? createHash('sha256').update(norm, 'utf8').digest('hex') : null;
}

/** 'YYYY-MM-DD' `months` calendar months before `today` (the day clamped to the month's length). */
export function reviewCutoff(today: Date, months: number): string {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(today.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export const BULK_ACTIONS = ['confirm', 'anonymise', 'erase'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MAX_BULK = 1000;

/** The ids ticked in a bulk form: positive integers, distinct, at most MAX_BULK. */
export function parseIdList(raw: unknown): number[] {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const ids = new Set<number>();
  for (const x of list) {
    const s = String(x).trim();
    if (/^[1-9][0-9]{0,15}$/.test(s) && Number.isSafeInteger(Number(s))) ids.add(Number(s));
  }
  return [...ids].slice(0, MAX_BULK);
}

/** The name an anonymised person keeps, so lists and statistics still have a row to show. */
export function anonymisedName(id: number): { first_name: string; last_name: string } {
  return { first_name: 'Anonymised', last_name: `#${id}` };
}

export type CsvRow = [section: string, field: string, value: string];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * One person's data export as `section;field;value` rows: objects give one row per field,
 * lists give `1.field`, `2.field` … per item. Plain strings, ready for a CSV writer.
 */
export function flattenForCsv(data: Record<string, unknown>): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const [section, value] of Object.entries(data)) {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item && typeof item === 'object') {
          for (const [k, v] of Object.entries(item as Record<string, unknown>)) rows.push([section, `${i + 1}.${k}`, cell(v)]);
        } else rows.push([section, String(i + 1), cell(item)]);
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) rows.push([section, k, cell(v)]);
    } else rows.push([section, '', cell(value)]);
  }
  return rows;
}

/** The CSV download of a person's data: `section;field;value`, UTF-8 with BOM, CRLF, formula cells neutralised. */
export function personDataCsv(data: Record<string, unknown>): string {
  return stringify([['section', 'field', 'value'], ...flattenForCsv(data)], { bom: true, ...spreadsheetOptions(';') });
}
