// Streams rows as an Excel workbook (.xlsx, ECMA-376 SpreadsheetML): the few XML parts written here into a ZIP
// made by yazl, the sheet as rows are read, so memory stays flat however long the list — exceljs' streaming
// writer did the same at three times the CSV export's time (it builds an object per cell and row). Typed cells
// (text stays text — postcodes, phones and IDs keep their zeros and need no formula guard; numbers are numbers;
// days are dates), a bold frozen header row with an autofilter, and column widths by kind.
import { PassThrough, type Writable } from 'node:stream';
import { once } from 'node:events';
import yazl from 'yazl';
import type ExcelJS from 'exceljs';
import { isReceiverGone, type CsvStreamResult } from './csv.writer.js';
import type { ColumnKind, TypedCell } from './columns.domain.js';
import { columnName, xmlText } from './ods.writer.js';

export interface XlsxStreamOptions {
  headers: string[];
  kinds: ColumnKind[];
  sheetName: string;
  /** end the destination when done (default); not for standard output */
  end?: boolean;
}

const WIDTH: Record<ColumnKind, number> = { text: 22, long: 45, int: 9, decimal: 10, day: 12, label: 16 };
/** characters XML 1.0 cannot hold (a workbook with them does not open) */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const MAX_CELL = 32767;
/** the sheet part is handed to the compressor in pieces of about this many bytes (fewer, larger pieces cost the
 *  five streams between here and the ZIP less: 64 K took a sixth more time than 256 K) */
const CHUNK = 256 * 1024;

/** A cell's value as exceljs takes it: text cleaned for XML and cut to Excel's cell limit. */
function cellValue(v: TypedCell): ExcelJS.CellValue {
  if (typeof v === 'string') return v.replace(NOT_XML, '').slice(0, MAX_CELL);
  return v;
}

/** The sheet name Excel allows: no : \ / ? * [ ], at most 31 characters. */
export function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';
}

// styles.xml's cell formats, by index: 0 plain, 1 bold (header), 2 day (yyyy-mm-dd), 3 whole number, 4 decimal
const STYLE = { plain: 0, head: 1, day: 2, int: 3, decimal: 4 } as const;
const STYLES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
  + '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.##"/></numFmts>'
  + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
  + '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
  + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
  + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
  + '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
  + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
  + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
  + '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
  + '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
  + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
  + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
  + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>';
const ROOT_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
  + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
  + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** workbook.xml: the one sheet, and the filter's range as Excel names it (known once the rows are written). */
function workbookXml(sheet: string, range: string): string {
  const quoted = `'${sheet.replace(/'/g, "''")}'`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook ${NS}><bookViews><workbookView/></bookViews>`
    + `<sheets><sheet name="${xmlText(sheet)}" sheetId="1" r:id="rId1"/></sheets>`
    + `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${xmlText(`${quoted}!${range}`)}</definedName></definedNames></workbook>`;
}

/** Days since 1899-12-30, Excel's date serial (a day's date is UTC midnight). */
const serial = (d: Date) => d.getTime() / 86_400_000 + 25569;

function textCell(ref: string, s: string, style: number): string {
  const v = xmlText(s.length > MAX_CELL ? s.slice(0, MAX_CELL) : s);
  const space = /^\s|\s$|\n/.test(v) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t${space}>${v}</t></is></c>`;
}

function cell(ref: string, v: TypedCell, kind: ColumnKind): string {
  if (v === null || v === '') return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    return `<c r="${ref}" s="${kind === 'int' ? STYLE.int : kind === 'decimal' ? STYLE.decimal : STYLE.plain}"><v>${v}</v></c>`;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : `<c r="${ref}" s="${STYLE.day}"><v>${serial(v)}</v></c>`;
  return textCell(ref, v, STYLE.plain);
}

/**
 * Writes the header, then the rows (read lazily) as one worksheet. Waits for the destination to drain, so a
 * slow receiver slows the reading rather than filling memory. A receiver going away is not an error but an
 * incomplete result.
 */
export async function streamXlsx<T>(
  rows: Iterable<T> | AsyncIterable<T>, toRecord: (row: T) => TypedCell[], out: Writable, o: XlsxStreamOptions,
): Promise<CsvStreamResult> {
  const sheet = sheetName(o.sheetName);
  const n = Math.max(1, o.headers.length);
  const letters = Array.from({ length: n }, (_, i) => columnName(i));
  const zip = new yazl.ZipFile();
  const content = new PassThrough();
  zip.addBuffer(Buffer.from(CONTENT_TYPES), '[Content_Types].xml');
  zip.addBuffer(Buffer.from(ROOT_RELS), '_rels/.rels');
  zip.addBuffer(Buffer.from(WORKBOOK_RELS), 'xl/_rels/workbook.xml.rels');
  zip.addBuffer(Buffer.from(STYLES), 'xl/styles.xml');
  // the fastest deflate: a sixth larger than the default level, a quarter less work, and the export is bound by work
  zip.addReadStream(content, 'xl/worksheets/sheet1.xml', { compressionLevel: 1 });
  let gone = false;
  const onError = (err: unknown) => {
    if (isReceiverGone(err)) gone = true;
  };
  out.on('error', onError);
  out.on('close', () => {
    if (!out.writableFinished) gone = true;
  });
  const piped = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out, { end: o.end ?? true });
    zip.outputStream.on('end', () => resolve());
  });
  // one listener for the receiver going away, shared by every wait (a listener per wait would pile up)
  const closed = once(out, 'close').catch(() => undefined);
  // Each row's XML goes straight into a buffer of CHUNK bytes, handed on when full. (Appending rows to one string
  // until it was as long — a rope of thousands of pieces, living across young-generation collections — was
  // promoted to the old generation at about 4.5 MB/s and collected there seldom: the writer's memory grew with
  // the rows for its first 300,000 or so, so a million-row export peaked a third higher than one of 100,000.)
  let buf = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const hand = async (piece: Buffer) => {
    if (!content.write(piece)) await Promise.race([once(content, 'drain'), closed]).catch(() => undefined);
  };
  const flush = async () => {
    if (!used) return;
    const piece = buf.subarray(0, used);
    buf = Buffer.allocUnsafe(CHUNK);
    used = 0;
    await hand(piece);
  };
  /** appends XML (at most 3 bytes per UTF-16 unit); a piece larger than a chunk goes on by itself */
  const put = async (xml: string) => {
    if (used + xml.length * 3 > CHUNK) await flush();
    if (xml.length * 3 > CHUNK) await hand(Buffer.from(xml));
    else used += buf.write(xml, used);
  };
  const cols = o.headers.map((h, i) => {
    const width = Math.min(60, Math.max(WIDTH[o.kinds[i] ?? 'text'], h.length + 4));
    return `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`;
  }).join('');
  await put(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet ${NS}>`
    + '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    + '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    + (cols ? `<cols>${cols}</cols>` : '')
    + `<sheetData><row r="1">${o.headers.map((h, i) => textCell(`${letters[i]}1`, h, STYLE.head)).join('')}</row>`);
  let count = 0;
  let failure: unknown = null;
  try {
    for await (const row of rows) {
      if (gone) break;
      const rec = toRecord(row);
      const r = count + 2;
      let x = `<row r="${r}">`;
      for (let i = 0; i < rec.length && i < n; i++) x += cell(`${letters[i]}${r}`, rec[i] ?? null, o.kinds[i] ?? 'text');
      x += '</row>';
      if (used + x.length * 3 <= CHUNK) used += buf.write(x, used); // the common case, without a promise
      else await put(x);
      count++;
    }
  } catch (err) {
    failure = err;
  }
  const range = `$A$1:$${letters[n - 1]}$${count + 1}`;
  await put(`</sheetData><autoFilter ref="A1:${letters[n - 1]}${count + 1}"/></worksheet>`);
  content.end(buf.subarray(0, used));
  zip.addBuffer(Buffer.from(workbookXml(sheet, range)), 'xl/workbook.xml');
  zip.end();
  if (failure) {
    zip.outputStream.unpipe(out);
    out.destroy(failure as Error);
    throw failure;
  }
  if (gone) {
    out.off('error', onError);
    return { rows: count, complete: false };
  }
  await piped.catch((err: unknown) => {
    if (!isReceiverGone(err)) throw err;
    gone = true;
  });
  if (o.end !== false && !out.writableFinished && !gone) await Promise.race([once(out, 'finish'), once(out, 'close')]).catch(() => undefined);
  out.off('error', onError);
  return { rows: count, complete: !gone };
}

/** A small table as a whole workbook in memory (a person's own data): text cells, bold frozen header, filter. */
export async function xlsxBuffer(headers: string[], rows: string[][], name: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // a person's own data alone: a list export streams without it
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet(sheetName(name), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = headers.map((h, i) => ({ key: `c${i}`, width: i === headers.length - 1 ? 60 : Math.max(16, h.length + 4) }));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => cellValue(v)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
