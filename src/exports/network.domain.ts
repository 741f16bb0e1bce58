// The whole network as CSV files (skillnet export all / import all, the ZIP at /exports): one file per table,
// stored columns as they are (ids kept, so references hold), in the order a load needs them. The normalised
// columns (name_norm, email_norm …) are not written: a load computes them. Pure logic.
import { foldText, nameKey, normaliseEmail, normaliseName, normalisePhone } from '../shared/normalise.js';
import { stripFormulaGuard } from '../imports/mapping.domain.js';
import { textCell } from './csv.domain.js';

/** int/real: a number; text: as written; `?`: an empty cell is NULL. */
export type ColumnType = 'int' | 'int?' | 'real?' | 'text' | 'text?';

export interface NetworkTable {
  file: string;
  table: string;
  columns: [name: string, type: ColumnType][];
  orderBy: string[];
}

const stamps: [string, ColumnType][] = [['created_at', 'text'], ['updated_at', 'text']];

/** Every file of a network export, in load order (a table after those it refers to). */
export const NETWORK_TABLES: NetworkTable[] = [
  { file: 'skill_categories.csv', table: 'skill_categories', orderBy: ['id'],
    columns: [['id', 'int'], ['slug', 'text'], ['name_en', 'text'], ['name_de', 'text'], ['position', 'int']] },
  { file: 'skills.csv', table: 'skills', orderBy: ['id'],
    columns: [['id', 'int'], ['name', 'text'], ['name_de', 'text?'], ['category_id', 'int?'], ['description', 'text?'], ...stamps] },
  { file: 'skill_aliases.csv', table: 'skill_aliases', orderBy: ['id'],
    columns: [['id', 'int'], ['skill_id', 'int'], ['alias', 'text'], ['lang', 'text?']] },
  { file: 'tags.csv', table: 'tags', orderBy: ['id'], columns: [['id', 'int'], ['name', 'text']] },
  { file: 'organisations.csv', table: 'organisations', orderBy: ['id'],
    columns: [['id', 'int'], ['name', 'text'], ['kind', 'text'], ['city', 'text?'], ['website', 'text?'], ['contact_name', 'text?'],
      ['contact_email', 'text?'], ['notes', 'text?'], ...stamps] },
  { file: 'people.csv', table: 'people', orderBy: ['id'],
    columns: [['id', 'int'], ['first_name', 'text'], ['last_name', 'text'], ['email', 'text?'], ['phone', 'text?'], ['city', 'text?'],
      ['postcode', 'text?'], ['country', 'text?'], ['languages', 'text?'], ['kind', 'text'], ['availability', 'text'],
      ['organisation', 'text?'], ['job_title', 'text?'], ['portfolio_url', 'text?'], ['notes', 'text?'], ['last_confirmed_at', 'text?'],
      ['do_not_contact', 'int'], ['anonymised_at', 'text?'], ['available_until', 'text?'], ['locale', 'text?'], ...stamps] },
  { file: 'person_skills.csv', table: 'person_skills', orderBy: ['person_id', 'skill_id'],
    columns: [['person_id', 'int'], ['skill_id', 'int'], ['level', 'int'], ['last_used_at', 'text?']] },
  { file: 'person_tags.csv', table: 'person_tags', orderBy: ['person_id', 'tag_id'], columns: [['person_id', 'int'], ['tag_id', 'int']] },
  { file: 'projects.csv', table: 'projects', orderBy: ['id'],
    columns: [['id', 'int'], ['organisation_id', 'int'], ['title', 'text'], ['kind', 'text'], ['status', 'text'], ['start_date', 'text?'],
      ['end_date', 'text?'], ['description', 'text?'], ...stamps] },
  { file: 'project_skills.csv', table: 'project_skills', orderBy: ['project_id', 'skill_id'],
    columns: [['project_id', 'int'], ['skill_id', 'int'], ['min_level', 'int']] },
  { file: 'engagements.csv', table: 'engagements', orderBy: ['id'],
    columns: [['id', 'int'], ['person_id', 'int'], ['project_id', 'int'], ['role', 'text?'], ['start_date', 'text?'], ['end_date', 'text?'],
      ['hours', 'real?'], ['paid', 'int'], ['rate', 'real?'], ['outcome', 'text?'], ['feedback', 'text?'], ['rating', 'int?'],
      ['handover', 'text?'], ...stamps] },
  { file: 'consents.csv', table: 'consents', orderBy: ['id'],
    columns: [['id', 'int'], ['person_id', 'int'], ['purpose', 'text'], ['status', 'text'], ['method', 'text?'], ['notice_text', 'text?'],
      ['created_at', 'text']] },
  { file: 'suppressions.csv', table: 'suppressions', orderBy: ['email_hash'], columns: [['email_hash', 'text'], ['erased_at', 'text']] },
];

/** Stored columns a network file leaves out: computed again on load, or pointing at what is not exported (users, batches). */
export const NOT_EXPORTED: Record<string, string[]> = {
  skills: ['name_norm'],
  skill_aliases: ['alias_norm'],
  tags: ['name_norm'],
  organisations: ['name_norm'],
  people: ['name_norm', 'email_norm', 'phone_norm', 'city_norm', 'created_by_user_id', 'created_by_batch_id'],
  consents: ['recorded_by_user_id'],
};

/** A stored value as a cell: numbers as JavaScript prints them (they read back exactly), text guarded. */
export function networkCell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  return textCell(String(v));
}

/** Why a cell cannot be loaded, as a short English phrase; null when it can. */
export type CellResult = { ok: true; value: string | number | null } | { ok: false; problem: string };

/** A cell read back as the column's type (the formula guard stripped). */
export function parseNetworkCell(raw: string, type: ColumnType): CellResult {
  const cell = stripFormulaGuard(raw);
  const optional = type.endsWith('?');
  if (cell === '') return optional ? { ok: true, value: null } : type === 'text' ? { ok: true, value: '' } : { ok: false, problem: 'is empty' };
  if (type.startsWith('int')) {
    return /^-?\d{1,15}$/.test(cell) ? { ok: true, value: Number(cell) } : { ok: false, problem: `“${cell.slice(0, 40)}” is not a whole number` };
  }
  if (type.startsWith('real')) {
    const n = Number(cell);
    return /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(cell) && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: `“${cell.slice(0, 40)}” is not a number` };
  }
  return { ok: true, value: cell };
}

/** The normalised columns a load stores beside a row's own (the forms and imports compute the same). */
export function derivedColumns(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const s = (k: string) => (row[k] === null || row[k] === undefined ? null : String(row[k]));
  switch (table) {
    case 'skills':
      return { name_norm: nameKey(s('name')) };
    case 'skill_aliases':
      return { alias_norm: nameKey(s('alias')) };
    case 'tags':
      return { name_norm: nameKey(s('name')) };
    case 'organisations':
      return { name_norm: foldText(s('name')) };
    case 'people':
      return {
        email_norm: normaliseEmail(s('email')),
        name_norm: normaliseName(s('first_name'), s('last_name')),
        phone_norm: normalisePhone(s('phone')) || null,
        city_norm: s('city') ? foldText(s('city')) : null,
      };
    default:
      return {};
  }
}

/** A header row that is not exactly the table's columns: what is missing or unknown; null when it fits. */
export function headerProblem(spec: NetworkTable, headers: string[]): string | null {
  const want = spec.columns.map(([c]) => c);
  const missing = want.filter((c) => !headers.includes(c));
  const unknown = headers.filter((h) => !want.includes(h));
  const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
  if (parts.length) return parts.join('; ');
  if (new Set(headers).size !== headers.length) return 'a column appears twice';
  return null;
}
