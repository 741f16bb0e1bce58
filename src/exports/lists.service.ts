// A list export as a use case: the list's filters read from a query (the same parameters as the list page),
// the rows found, then streamed as CSV in the chosen columns and separator. Shared by the routes and the CLI.
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import type { Actor } from '../audit/audit.queries.js';
import { recordAudit } from '../audit/audit.queries.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator, type Locale, type Translate } from '../i18n/i18n.js';
import { parseProjectFilters, projectFilterParams } from '../projects/projects.domain.js';
import { filtersToParams, parsePeopleFilters } from '../search/search.domain.js';
import { findAllPeopleIds, type AllIdsOptions } from '../search/search.queries.js';
import type { CsvFormat } from './csv.domain.js';
import { streamCsv, type CsvStreamResult } from './csv.writer.js';
import { columnHeader, columnKinds, recordMaker, typedRecordMaker, type ListName, type RowOf } from './columns.domain.js';
import { streamVcards } from './vcard.writer.js';
import type { PersonExportRow } from './columns.domain.js';
import { engagementRows, isSqliteConn, organisationRows, peopleByIds, projectRows, withExportConnection, type ExportConn } from './exports.queries.js';

type Query = Record<string, unknown>;

export interface PreparedExport {
  list: ListName;
  /** the filters as URL parameters, defaults left out ('' = the whole list) */
  filter: string;
  rows(conn: ExportConn): Iterable<RowOf<ListName>> | AsyncIterable<RowOf<ListName>>;
}

/** The entity the audit log files a list export under. */
export const ENTITY: Record<ListName, string> = { people: 'person', organisations: 'organisation', projects: 'project', engagements: 'engagement' };

/** The list page a list export belongs to (for "back" links). */
export const LIST_PAGE: Record<ListName, string> = { people: '/people', organisations: '/organisations', projects: '/projects', engagements: '/projects' };

function one(q: Query, name: string): string {
  const v = q[name];
  return String(Array.isArray(v) ? v[0] ?? '' : v ?? '').trim();
}

/** A list's filters from a query, as URL parameters with the defaults left out ('' = the whole list). */
/** The filter of a list as a reader sees it: "Search: müller, Skill: SEO" (translated labels, not URL keys). */
export function describeFilter(filter: string, t: Translate): string {
  return [...new URLSearchParams(filter)].map(([k, v]) => `${t(`exports.param.${k}`)}: ${v}`).join(', ');
}

export function filterOf(list: ListName, query: Query): string {
  switch (list) {
    case 'people':
      return filtersToParams(parsePeopleFilters(query), { page: null });
    case 'organisations': {
      const q = one(query, 'q').slice(0, 200);
      return q ? new URLSearchParams({ q }).toString() : '';
    }
    case 'projects':
    case 'engagements':
      return projectFilterParams(parseProjectFilters(query), { page: null });
  }
}

/**
 * Reads a list's filters from a query (the list page's parameters) and finds what to export. People: the
 * /people search, every page in its order; they are found here, before anything is sent, so a failing
 * search still gets an error page. Organisations: `q`. Projects and engagements: the /projects filters. Skills
 * are named in `lang` (German names where set). `opts.oneOff`: a process that serves nobody else (the CLI) answers
 * the filters one statement can answer without loading the search index (search/plain.queries.ts).
 */
export async function prepareExport(db: Knex, list: ListName, query: Query, lang = 'en', opts: AllIdsOptions = {}): Promise<PreparedExport> {
  const filter = filterOf(list, query);
  switch (list) {
    case 'people': {
      const ids = await findAllPeopleIds(db, parsePeopleFilters(query), new Date(), opts);
      return { list, filter, rows: (conn) => peopleByIds(db, conn, ids, lang) };
    }
    case 'organisations': {
      const q = one(query, 'q').slice(0, 200);
      return { list, filter, rows: (conn) => organisationRows(db, conn, { q }) };
    }
    case 'projects':
    case 'engagements': {
      const f = parseProjectFilters(query);
      return { list, filter, rows: (conn) => (list === 'projects' ? projectRows(db, conn, f, lang) : engagementRows(db, conn, f)) };
    }
  }
}

/** The file types of a list export (vCards: people only). */
export const FILE_TYPES = ['csv', 'xlsx', 'ods', 'vcf'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export interface WriteOptions {
  /** the file's language: headers, labels, language names */
  locale: Locale;
  format: CsvFormat;
  /** CSV (default) or an Excel workbook */
  fileType?: FileType;
  /** column keys, in file order */
  columns: string[];
  /** end `out` when done (default) */
  end?: boolean;
}

/**
 * Streams a prepared export as CSV into `out`. The connection is let go as soon as the last row is read, not
 * when the receiver has everything: ending a response saves the session, which needs the pool (with an
 * in-memory database the export reads on the pool's only connection).
 */
export async function writeExport(db: Knex, e: PreparedExport, out: Writable, o: WriteOptions): Promise<CsvStreamResult> {
  // the workbook writers (exceljs, the zip writer) load only for a workbook: a CSV export — the CLI's above all,
  // which pays for every module it loads on each run — starts without them
  const xlsx = o.fileType === 'xlsx' ? await import('./xlsx.writer.js') : null;
  const ods = o.fileType === 'ods' ? await import('./ods.writer.js') : null;
  const t = makeTranslator(catalog, o.locale);
  const cells = { t, locale: o.locale, delimiter: o.format.delimiter };
  const toRecord = recordMaker(e.list, o.columns, cells);
  const headers = o.columns.map((key) => columnHeader(t, key));
  let release = () => {};
  const conn = await new Promise<ExportConn>((resolve, reject) => {
    withExportConnection(db, (c) => new Promise<void>((done) => {
      release = done;
      resolve(c);
    })).catch(reject);
  });
  function* rows() {
    try {
      yield* e.rows(conn) as Iterable<RowOf<ListName>>;
    } finally {
      release();
    }
  }
  // PostgreSQL: rows come from a cursor in the export's transaction, which ends when `fill` resolves
  async function* rowsPg() {
    try {
      yield* e.rows(conn);
    } finally {
      release();
    }
  }
  try {
    const source = isSqliteConn(conn) ? rows() : rowsPg();
    if (o.fileType === 'vcf') {
      if (e.list !== 'people') throw new Error('vCards are for people only');
      return await streamVcards(source as Iterable<PersonExportRow> | AsyncIterable<PersonExportRow>, out, { end: o.end });
    }
    if (o.fileType === 'ods') {
      const typed = typedRecordMaker(e.list, o.columns, cells);
      return await ods!.streamOds(source, typed, out, { headers, kinds: columnKinds(e.list, o.columns), sheetName: t(`exports.sheet.${e.list}`), end: o.end });
    }
    if (o.fileType === 'xlsx') {
      const typed = typedRecordMaker(e.list, o.columns, cells);
      return await xlsx!.streamXlsx(source, typed, out, { headers, kinds: columnKinds(e.list, o.columns), sheetName: t(`exports.sheet.${e.list}`), end: o.end });
    }
    return await streamCsv(source, toRecord, out, { format: o.format, headers, end: o.end });
  } finally {
    release();
  }
}

/** The audit entry of a list export: who (the actor), what filter, how many rows; `incomplete` when cut off. */
export function recordExport(db: Knex, actor: Actor, e: PreparedExport, result: CsvStreamResult, extra: Record<string, unknown> = {}, fileType: string = 'csv'): Promise<void> {
  return recordAudit(db, actor, {
    action: 'export', entityType: ENTITY[e.list], entityId: null,
    changes: { format: fileType, filter: e.filter, rows: result.rows, ...extra, ...(result.complete ? {} : { incomplete: true }) },
  });
}
