// The CSV dialect of every export, and the cell forms the importer reads back. Pure logic.
// Spreadsheet-friendly (see CONVENTIONS.md "CSV"): UTF-8 with BOM, `;` for German Excel and `,` otherwise,
// CRLF, line breaks only inside quoted cells, formula-looking cells neutralised with a leading `'`.
import type { Options } from 'csv-stringify';
import { levelInFile } from '../skills/levels.domain.js';

export type Delimiter = ',' | ';';

/** The separators a user may choose, by the name the export form and the URL use. */
export const DELIMITERS = { comma: ',', semicolon: ';' } as const satisfies Record<string, Delimiter>;
export type DelimiterName = keyof typeof DELIMITERS;

/** German Excel splits on `;` (its decimal separator is the comma); everyone else on `,`. */
export function delimiterFor(locale: string): Delimiter {
  return locale === 'de' ? ';' : ',';
}

/** `comma` or `semicolon` from a query; anything else means the interface language's default. */
export function parseDelimiter(raw: unknown, locale: string): Delimiter {
  return typeof raw === 'string' && Object.hasOwn(DELIMITERS, raw) ? DELIMITERS[raw as DelimiterName] : delimiterFor(locale);
}

export function delimiterName(d: Delimiter): DelimiterName {
  return d === ';' ? 'semicolon' : 'comma';
}

export interface CsvFormat {
  delimiter: Delimiter;
  /** a UTF-8 byte-order mark first: Excel then reads the file as UTF-8 */
  bom: boolean;
}

/** The csv-stringify options of an export (records are arrays; the header row is the first of them). */
export function stringifyOptions(format: CsvFormat): Options {
  return {
    bom: format.bom,
    delimiter: format.delimiter,
    record_delimiter: 'windows',
    // OWASP CSV injection: a leading = + - @ tab or CR gets a `'`; the importer strips it (stripFormulaGuard)
    escape_formulas: true,
    quoted_match: SPREADSHEET_QUOTED,
  };
}

/**
 * The cells to quote whatever the separator: LibreOffice's import dialog ticks comma, semicolon and tab at once,
 * so `German, Danish` or `29,5` in a `;` file must be quoted too (and a bare \n, which csv-stringify leaves alone).
 */
export const SPREADSHEET_QUOTED = /[,;\t"\r\n]/;

/** csv-stringify options for a one-off spreadsheet CSV (problem rows, a person's own data): the export's dialect. */
export function spreadsheetOptions(delimiter: string): Options {
  return { delimiter, record_delimiter: 'windows', escape_formulas: true, quoted_match: SPREADSHEET_QUOTED };
}

const GUARDED_AFTER_QUOTES = /^'+[=+\-@\t\r]/;

/**
 * A text cell as written. csv-stringify guards `=1` as `'=1`, and the importer strips one leading `'` before
 * quotes and a formula character; so a value that itself starts with `'` and then one of them (`'=1`) gets
 * its own extra `'` here, and comes back unchanged.
 */
export function textCell(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  return v.charCodeAt(0) === 39 && GUARDED_AFTER_QUOTES.test(v) ? `'${v}` : v;
}

/**
 * Several values in one cell, as the importer splits them (mapping.domain splitMulti): `a; b`. A single value
 * holding a comma gets a trailing `;`, so it is not split at the comma.
 */
export function listCell(values: string[]): string {
  const items = values.filter((v) => v.trim() !== '');
  if (items.length === 1 && /[,\n]/.test(items[0]!)) return textCell(`${items[0]};`);
  return textCell(items.join('; '));
}

/** A list the database already joined with `; ` (group_concat), as listCell writes it (unguarded: for workbooks). */
export function joinedList(joined: string | null | undefined): string {
  if (!joined) return '';
  return !joined.includes('; ') && /[,\n]/.test(joined) ? `${joined};` : joined;
}

/** A list the database already joined with `; ` (group_concat), written as listCell writes it. */
export function joinedListCell(joined: string | null | undefined): string {
  return textCell(joinedList(joined));
}

/** Skills with their level, `SEO (4/4); WordPress (2/4)` (levels.domain levelInFile; the import reads it back). */
export function skillsCell(skills: { name: string; level: number }[]): string {
  return listCell(skills.map((s) => `${s.name} (${levelInFile(s.level)})`));
}

/** A decimal number for a spreadsheet: German Excel reads `12,5`, others `12.5` (the importer reads both). */
export function decimalCell(n: number | null | undefined, delimiter: Delimiter): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const s = String(n);
  return delimiter === ';' ? s.replace('.', ',') : s;
}
