// The columns of each list export: key (in the URL's `col`), translated header and cell. Headers and values
// are the ones the importer maps back (mapping.domain guessField, engagements.domain): tested both languages.
// Pure logic.
import type { PersonRow } from '../people/people.queries.js';
import { languageCodesOf, languageName } from '../people/languages.domain.js';
import type { EngagementFacts } from '../engagements/engagements.queries.js';
import type { Locale, Translate } from '../i18n/i18n.js';
import { decimalCell, joinedList, joinedListCell, textCell, type Delimiter } from './csv.domain.js';

export const LISTS = ['people', 'organisations', 'projects', 'engagements'] as const;
export type ListName = (typeof LISTS)[number];

export interface CellContext {
  t: Translate;
  /** the language of t: names languages */
  locale: Locale;
  delimiter: Delimiter;
}

type Cell = string | number;
/** A workbook cell: text (never a formula), a number, or a date; null when empty. */
export type TypedCell = string | number | Date | null;
/** How a workbook column shows its cells (and how wide it is). */
export type ColumnKind = 'text' | 'long' | 'int' | 'decimal' | 'day' | 'label';

interface ColumnDef<R> {
  key: string;
  kind: ColumnKind;
  /** the CSV cell: text guarded against formulas, decimals in the separator's style */
  cell(row: R, c: CellContext): Cell;
  /** the workbook cell: typed, unguarded (a text cell is never a formula) */
  raw(row: R, c: CellContext): TypedCell;
}

/** A person as exported: the stored columns a reader needs, plus skills and tags as list cells. */
export interface PersonExportRow extends Omit<PersonRow, 'email_norm' | 'created_by_user_id' | 'created_by_batch_id' | 'updated_at'> {
  /** `SEO (4/4); WordPress (2/4)`, highest level first (levels.domain levelInFile) */
  skills: string | null;
  /** `a; b`, by name */
  tags: string | null;
}

export interface OrganisationExportRow {
  id: number;
  name: string;
  kind: string;
  city: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  notes: string | null;
  projects: number;
  helpers: number;
  created_at: string;
}

export interface ProjectExportRow {
  id: number;
  title: string;
  organisation: string;
  kind: string;
  status: string;
  start_date: string | null;
  end_date: string | null;
  description: string | null;
  /** `SEO (2/4); WordPress (1/4)`, highest level first */
  needed_skills: string | null;
  team: number;
  created_at: string;
}

export interface EngagementExportRow extends EngagementFacts {
  id: number;
  email: string | null;
  first_name: string;
  last_name: string;
  organisation: string;
  project: string;
  project_kind: string;
}

const nonEmpty = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const text = <R>(key: keyof R & string, kind: ColumnKind = 'text'): ColumnDef<R> => ({
  key, kind, cell: (r) => textCell(r[key] as string | null), raw: (r) => nonEmpty(r[key]),
});
const int = <R>(key: keyof R & string): ColumnDef<R> => ({ key, kind: 'int', cell: (r) => (r[key] as number | null) ?? '', raw: (r) => (r[key] as number | null) ?? null });
const day = <R>(key: keyof R & string): ColumnDef<R> => ({
  key, kind: 'day', cell: (r) => ((r[key] as string | null) ?? '').slice(0, 10), raw: (r) => dayValue(r[key] as string | null),
});
const label = <R>(key: string, cell: (r: R, c: CellContext) => string): ColumnDef<R> => ({ key, kind: 'label', cell, raw: (r, c) => nonEmpty(cell(r, c)) });
const list = <R>(key: keyof R & string): ColumnDef<R> => ({
  key, kind: 'long', cell: (r) => joinedListCell(r[key] as string | null), raw: (r) => nonEmpty(joinedList(r[key] as string | null)),
});
const decimal = <R>(key: keyof R & string): ColumnDef<R> => ({
  key, kind: 'decimal', cell: (r, c) => decimalCell(r[key] as number | null, c.delimiter), raw: (r) => (r[key] as number | null) ?? null,
});
const yesNo = (v: unknown, t: Translate) => t(v ? 'exports.yes' : 'exports.no');

/** A stored `YYYY-MM-DD…` as a date at midnight UTC (a workbook's day), or null. */
function dayValue(v: string | null): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v ?? '');
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

const PEOPLE: ColumnDef<PersonExportRow>[] = [
  int('id'), text('first_name'), text('last_name'), text('email'), text('phone'), text('city'), text('postcode'), text('country'),
  // codes ("de, en") as names in the file's language; the import reads names in either language back
  label('languages', (r, c) => languageCodesOf(r.languages).map((code) => languageName(code, c.locale)).join(', ')),
  label('kind', (r, c) => c.t(`kinds.${r.kind}`)),
  label('availability', (r, c) => c.t(`availability.${r.availability}`)),
  text('organisation'), text('job_title'), text('portfolio_url'),
  list('skills'), list('tags'), text('notes', 'long'),
  label('do_not_contact', (r, c) => yesNo(r.do_not_contact, c.t)),
  day('last_confirmed_at'), day('created_at'),
];

const ORGANISATIONS: ColumnDef<OrganisationExportRow>[] = [
  int('id'), text('name'),
  label('kind', (r, c) => c.t(`orgKinds.${r.kind}`)),
  text('city'), text('website'), text('contact_name'), text('contact_email'), text('notes', 'long'), int('projects'), int('helpers'),
  day('created_at'),
];

const PROJECTS: ColumnDef<ProjectExportRow>[] = [
  int('id'), text('title'), text('organisation'),
  label('kind', (r, c) => c.t(`projectKinds.${r.kind}`)),
  label('status', (r, c) => c.t(`projectStatus.${r.status}`)),
  day('start_date'), day('end_date'), text('description', 'long'),
  list('needed_skills'),
  int('team'), day('created_at'),
];

const ENGAGEMENTS: ColumnDef<EngagementExportRow>[] = [
  int('id'), text('email'), text('first_name'), text('last_name'), text('organisation'), text('project'),
  label('project_kind', (r, c) => c.t(`projectKinds.${r.project_kind}`)),
  text('role'), day('start_date'), day('end_date'),
  decimal('hours'),
  label('paid', (r, c) => yesNo(r.paid, c.t)),
  decimal('rate'),
  text('outcome', 'long'), text('feedback', 'long'), int('rating'),
  label('handover', (r, c) => (r.handover ? c.t(`handover.${r.handover}`) : '')),
];

const COLUMNS: { [L in ListName]: ColumnDef<RowOf<L>>[] } = { people: PEOPLE, organisations: ORGANISATIONS, projects: PROJECTS, engagements: ENGAGEMENTS };

export type RowOf<L extends ListName> = L extends 'people' ? PersonExportRow : L extends 'organisations' ? OrganisationExportRow
  : L extends 'projects' ? ProjectExportRow : EngagementExportRow;

/** Every column key of a list, in file order. */
export function columnKeys(list: ListName): string[] {
  return (COLUMNS[list] as { key: string }[]).map((c) => c.key);
}

/** The header of a column in the user's language (`exports.col.<key>`). */
export function columnHeader(t: Translate, key: string): string {
  return t(`exports.col.${key}`);
}

/**
 * The columns a request chose (`col`, repeatable or comma-separated), in file order; unknown keys are left
 * out, and none chosen means all.
 */
export function chooseColumns(list: ListName, raw: unknown): string[] {
  const asked = new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((x) => (typeof x === 'string' ? x.split(',') : []))
    .map((x) => x.trim()));
  const keys = columnKeys(list);
  const chosen = keys.filter((k) => asked.has(k));
  return chosen.length ? chosen : keys;
}

/** The kind of each of these columns (for a workbook's cell formats and widths). */
export function columnKinds(list: ListName, keys: string[]): ColumnKind[] {
  const all = COLUMNS[list] as { key: string; kind: ColumnKind }[];
  return keys.map((k) => all.find((d) => d.key === k)?.kind ?? 'text');
}

/** Turns rows into typed workbook records (the raw cells of these columns, in this order). */
export function typedRecordMaker<L extends ListName>(list: L, keys: string[], c: CellContext): (row: RowOf<L>) => TypedCell[] {
  return makeRecords(list, keys, c, (d, row, ctx) => d.raw(row, ctx));
}

/** Turns rows into CSV records (the cells of these columns, in this order). */
export function recordMaker<L extends ListName>(list: L, keys: string[], c: CellContext): (row: RowOf<L>) => Cell[] {
  return makeRecords(list, keys, c, (d, row, ctx) => d.cell(row, ctx));
}

function makeRecords<L extends ListName, V>(list: L, keys: string[], c: CellContext, pick: (d: ColumnDef<RowOf<L>>, row: RowOf<L>, ctx: CellContext) => V): (row: RowOf<L>) => V[] {
  const all = COLUMNS[list] as ColumnDef<RowOf<L>>[];
  const defs = keys.map((k) => all.find((d) => d.key === k)).filter((d): d is ColumnDef<RowOf<L>> => d !== undefined);
  // a few labels (kinds, statuses, yes/no) repeat on every row: translate each once
  const labels = new Map<string, string>();
  const t: Translate = (key, vars) => {
    if (vars) return c.t(key, vars);
    let label = labels.get(key);
    if (label === undefined) labels.set(key, (label = c.t(key)));
    return label;
  };
  const ctx: CellContext = { t, locale: c.locale, delimiter: c.delimiter };
  return (row) => defs.map((d) => pick(d, row, ctx));
}
