// Reading .xlsx and .ods workbooks: yauzl opens the ZIP (checking every entry's real size against the one its
// directory declares), saxes parses the sheet's XML as a stream, and the chosen sheet is written out as a UTF-8
// CSV file, row for row (blank rows kept, so row numbers are the spreadsheet's). Everything after that —
// detection, mapping, preview, dedupe, undo — is the one path CSV files take. Memory stays bounded: shared
// strings and styles are capped by the expanded-size limit, rows stream.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import { ImportRefused } from './decode.domain.js';
import { chooseSheet } from './workbook.domain.js';
import { odsRows, odsSheets, xlsxRows, type RowSink, type SheetResult } from './workbook.sheets.js';
import {
  Archive, WORKBOOK_LIMITS, decodeXml, oleProblem, sniffWorkbook, type SheetInfo, type WorkbookKind, type WorkbookLimits,
} from './workbook.zip.js';

export { WORKBOOK_LIMITS, sniffWorkbook, type SheetInfo, type WorkbookKind, type WorkbookLimits };

export interface Workbook {
  kind: WorkbookKind;
  sheets: SheetInfo[];
}

/** Opens a workbook and lists its sheets; refuses macros, passwords and broken or oversized archives. */
async function openWorkbook(file: string, limits: WorkbookLimits): Promise<{ archive: Archive; kind: WorkbookKind; sheets: SheetInfo[]; date1904: boolean }> {
  const archive = await Archive.open(file, limits);
  try {
    const names = [...archive.entries.keys()];
    if (archive.has('xl/workbook.xml')) {
      if (names.some((n) => /vbaProject\.bin$/i.test(n))) throw new ImportRefused('imports.refused.macros');
      const wb = await archive.text('xl/workbook.xml');
      const rels = archive.has('xl/_rels/workbook.xml.rels') ? await archive.text('xl/_rels/workbook.xml.rels') : '';
      const targets = new Map<string, string>();
      for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
        const id = /\bId="([^"]*)"/.exec(m[1]!)?.[1];
        const target = /\bTarget="([^"]*)"/.exec(m[1]!)?.[1];
        if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : path.posix.normalize(`xl/${target}`));
      }
      const sheets: SheetInfo[] = [];
      for (const m of wb.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
        const a = m[1]!;
        const name = decodeXml(/\bname="([^"]*)"/.exec(a)?.[1] ?? '');
        const rid = /\br:id="([^"]*)"|\bid="([^"]*)"/.exec(a);
        const ref = targets.get(rid?.[1] ?? rid?.[2] ?? '') ?? '';
        const state = /\bstate="([^"]*)"/.exec(a)?.[1];
        if (ref && archive.has(ref)) sheets.push({ name, hidden: state === 'hidden' || state === 'veryHidden', ref });
      }
      const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(wb);
      if (!sheets.length) throw new ImportRefused('imports.refused.noSheet');
      return { archive, kind: 'xlsx', sheets, date1904 };
    }
    if (archive.has('content.xml')) {
      const mimetype = archive.has('mimetype') ? (await archive.text('mimetype')).trim() : '';
      if (mimetype && !mimetype.startsWith('application/vnd.oasis.opendocument.spreadsheet')) throw new ImportRefused('imports.refused.notWorkbook');
      if (archive.has('META-INF/manifest.xml') && /encryption-data/.test(await archive.text('META-INF/manifest.xml'))) {
        throw new ImportRefused('imports.refused.password');
      }
      if (names.some((n) => /^(Basic|Scripts)\//.test(n) && !n.endsWith('/'))) throw new ImportRefused('imports.refused.macros');
      const sheets = await odsSheets(archive);
      if (!sheets.length) throw new ImportRefused('imports.refused.noSheet');
      return { archive, kind: 'ods', sheets, date1904: false };
    }
    throw new ImportRefused('imports.refused.notWorkbook');
  } catch (err) {
    archive.close();
    throw err;
  }
}

export interface Conversion {
  kind: WorkbookKind;
  sheets: { name: string; hidden: boolean }[];
  /** the sheet converted */
  sheet: string;
  merges: SheetResult['merges'];
  rows: number;
}

/**
 * Writes one sheet of a workbook (`sheet`: a name or 1-based number; default the first visible one) to `out`
 * as UTF-8 CSV. Throws ImportRefused with a one-line reason for anything it cannot read; `out` is then removed
 * by the caller.
 */
export async function workbookToCsv(file: string, out: string, sheet?: string | number, limits: WorkbookLimits = WORKBOOK_LIMITS): Promise<Conversion> {
  const kind = await sniffWorkbook(file);
  if (kind === 'ole') throw await oleProblem(file);
  if (kind !== 'zip') throw new ImportRefused('imports.refused.notWorkbook');
  const wb = await openWorkbook(file, limits);
  try {
    const chosen = chooseSheet(wb.sheets, sheet);
    if (!chosen) throw new ImportRefused('imports.refused.sheetNotFound', { sheet: String(sheet ?? ''), sheets: wb.sheets.map((s) => s.name).join(', ') });
    const csv = stringify({ record_delimiter: 'unix', quoted_match: /[,;\t"\r\n]/ });
    const dest = createWriteStream(out, { mode: 0o600 });
    csv.pipe(dest);
    let written = 0;
    let width = 0;
    const sink: RowSink = (row, cells) => {
      while (written < row - 1) {
        csv.write(['']);
        written++;
      }
      width = Math.max(width, cells.length);
      const rec = Array.from({ length: Math.max(width, 1) }, (_, i) => cells[i] ?? '');
      csv.write(rec);
      written = row;
    };
    const flush = async () => {
      if (csv.writableNeedDrain) await once(csv, 'drain');
    };
    const result = wb.kind === 'xlsx'
      ? await xlsxRows(wb.archive, chosen, wb.date1904, limits, sink, flush)
      : await odsRows(wb.archive, chosen, limits, sink, flush);
    csv.end();
    await once(dest, 'close');
    return { kind: wb.kind, sheets: wb.sheets.map((s) => ({ name: s.name, hidden: s.hidden })), sheet: chosen.name, merges: result.merges, rows: written };
  } finally {
    wb.archive.close();
  }
}

/** The sheets of a workbook (names, hidden or not) without reading their rows. */
export async function listSheets(file: string, limits: WorkbookLimits = WORKBOOK_LIMITS): Promise<Workbook> {
  const kind = await sniffWorkbook(file);
  if (kind === 'ole') throw await oleProblem(file);
  if (kind !== 'zip') throw new ImportRefused('imports.refused.notWorkbook');
  const wb = await openWorkbook(file, limits);
  wb.archive.close();
  return { kind: wb.kind, sheets: wb.sheets };
}
