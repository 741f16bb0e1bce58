// Streams rows as an Excel workbook (.xlsx) with exceljs' streaming WorkbookWriter: each row is committed as
// it is read, so memory stays flat however long the list. Typed cells (text stays text — postcodes, phones and
// IDs keep their zeros and need no formula guard; numbers are numbers; days are dates), a bold frozen header
// row with an autofilter, and column widths by kind.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isReceiverGone, type CsvStreamResult } from './csv.writer.js';
import type { ColumnKind, TypedCell } from './columns.domain.js';

export interface XlsxStreamOptions {
  headers: string[];
  kinds: ColumnKind[];
  sheetName: string;
  /** end the destination when done (default); not for standard output */
  end?: boolean;
}

const WIDTH: Record<ColumnKind, number> = { text: 22, long: 45, int: 9, decimal: 10, day: 12, label: 16 };
const FORMAT: Partial<Record<ColumnKind, string>> = { day: 'yyyy-mm-dd', int: '0', decimal: '0.##' };
/** characters XML 1.0 cannot hold (a workbook with them does not open) */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const MAX_CELL = 32767;

/** A cell's value as exceljs takes it: text cleaned for XML and cut to Excel's cell limit. */
function cellValue(v: TypedCell): ExcelJS.CellValue {
  if (typeof v === 'string') return v.replace(NOT_XML, '').slice(0, MAX_CELL);
  return v;
}

/** The sheet name Excel allows: no : \ / ? * [ ], at most 31 characters. */
export function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

/**
 * Writes the header, then the rows (read lazily) as one worksheet. Waits for the destination to drain every
 * so often, so a slow receiver slows the reading rather than filling memory. A receiver going away is not an
 * error but an incomplete result.
 */
export async function streamXlsx<T>(
  rows: Iterable<T> | AsyncIterable<T>, toRecord: (row: T) => TypedCell[], out: Writable, o: XlsxStreamOptions,
): Promise<CsvStreamResult> {
  let gone = false;
  const onError = (err: unknown) => {
    if (isReceiverGone(err)) gone = true;
  };
  out.on('error', onError);
  out.on('close', () => {
    if (!out.writableFinished) gone = true;
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName(o.sheetName), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = o.headers.map((h, i) => ({ key: `c${i}`, width: Math.min(60, Math.max(WIDTH[o.kinds[i] ?? 'text'], h.length + 4)) }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, o.headers.length) } };
  const header = ws.addRow(o.headers);
  header.font = { bold: true };
  header.commit();
  const formats = o.kinds.map((k) => FORMAT[k]);
  let count = 0;
  for await (const row of rows) {
    if (gone) break;
    const record = toRecord(row);
    const r = ws.addRow(record.map(cellValue));
    for (let i = 0; i < formats.length; i++) {
      const f = formats[i];
      if (f && record[i] !== null) r.getCell(i + 1).numFmt = f;
    }
    r.commit();
    count++;
    if (count % 500 === 0 && out.writableNeedDrain && !gone) {
      await Promise.race([once(out, 'drain'), once(out, 'close')]).catch(() => undefined);
    }
  }
  if (gone) {
    out.off('error', onError);
    return { rows: count, complete: false };
  }
  ws.commit();
  await wb.commit();
  if (o.end === false) return { rows: count, complete: !gone };
  if (!out.writableEnded) out.end();
  if (!out.writableFinished && !gone) await Promise.race([once(out, 'finish'), once(out, 'close')]).catch(() => undefined);
  out.off('error', onError);
  return { rows: count, complete: !gone };
}

/** A small table as a whole workbook in memory (a person's own data): text cells, bold frozen header, filter. */
export async function xlsxBuffer(headers: string[], rows: string[][], name: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName(name), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ key: `c${i}`, width: i === headers.length - 1 ? 60 : Math.max(16, h.length + 4) }));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => cellValue(v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
