// The two sheet formats: an xlsx worksheet (with its shared strings and number formats) and an ODS table, each
// streamed row by row into a sink, cells as the user sees them (workbook.domain).
import { ImportRefused } from './decode.domain.js';
import { classifyFormat, columnIndex, formatNumber, odsDate, odsNumber, parseRange, type CellFormat } from './workbook.domain.js';
import { attr, decodeXml, local, parseXml, type Archive, type SheetInfo, type WorkbookLimits } from './workbook.zip.js';

/** The sheet rows, each a row number and its cells, handed on in order. */
export type RowSink = (row: number, cells: string[]) => void;

/** The tables of an ODS file, with hidden ones (table:display="false" in their style) marked. */
export async function odsSheets(archive: Archive): Promise<SheetInfo[]> {
  const hiddenStyles = new Set<string>();
  const sheets: SheetInfo[] = [];
  let style: string | null = null;
  await parseXml(await archive.stream('content.xml'), {
    open(t) {
      const n = local(t.name);
      if (n === 'style' && attr(t, 'family') === 'table') style = attr(t, 'name') ?? null;
      else if (n === 'table-properties' && style && attr(t, 'display') === 'false') hiddenStyles.add(style);
      else if (n === 'table' && t.name.startsWith('table:')) {
        sheets.push({ name: attr(t, 'name') ?? `Sheet${sheets.length + 1}`, hidden: hiddenStyles.has(attr(t, 'style-name') ?? ''), ref: String(sheets.length) });
      }
    },
    close(n) {
      if (n === 'style') style = null;
    },
  });
  return sheets;
}

/** Shared strings of an xlsx (rich text runs joined; phonetic runs left out). */
async function sharedStrings(archive: Archive): Promise<string[]> {
  if (!archive.has('xl/sharedStrings.xml')) return [];
  archive.checkInMemory('xl/sharedStrings.xml');
  const out: string[] = [];
  let cur: string | null = null;
  let inT = false;
  let inPhonetic = 0;
  await parseXml(await archive.stream('xl/sharedStrings.xml'), {
    open(t) {
      const n = local(t.name);
      if (n === 'si') cur = '';
      else if (n === 'rPh') inPhonetic++;
      else if (n === 't' && !inPhonetic) inT = true;
    },
    close(n) {
      if (n === 'si') {
        out.push(cur ?? '');
        cur = null;
      } else if (n === 'rPh') inPhonetic--;
      else if (n === 't') inT = false;
    },
    text(s) {
      if (inT && cur !== null) cur += s;
    },
  });
  return out;
}

/** The cell formats of an xlsx by style index (cellXfs), from styles.xml. */
async function cellFormats(archive: Archive): Promise<CellFormat[]> {
  if (!archive.has('xl/styles.xml')) return [];
  const xml = await archive.text('xl/styles.xml');
  const codes = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b([^>]*)\/?>/g)) {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[1]!)?.[1]);
    const code = /\bformatCode="([^"]*)"/.exec(m[1]!)?.[1];
    if (Number.isFinite(id) && code !== undefined) codes.set(id, decodeXml(code));
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  const out: CellFormat[] = [];
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*?)\/?>/g)) {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[1]!)?.[1] ?? 0);
    out.push(classifyFormat(id, codes.get(id)));
  }
  return out;
}

export interface SheetResult {
  /** merged ranges (0-based columns, 1-based rows), for header labels */
  merges: { c0: number; r0: number; c1: number; r1: number }[];
}

/** Streams an xlsx sheet's rows: cell values as the user sees them; formulas give their cached value. */
export async function xlsxRows(archive: Archive, sheet: SheetInfo, date1904: boolean, limits: WorkbookLimits, sink: RowSink, flush: () => Promise<void>): Promise<SheetResult> {
  const strings = await sharedStrings(archive);
  const formats = await cellFormats(archive);
  const merges: SheetResult['merges'] = [];
  let row = 0;
  let cells: string[] = [];
  let cell: { col: number; type: string; style: number } | null = null;
  let value = '';
  let inValue = false;
  let inInline = false;
  let nextCol = 0;
  await parseXml(await archive.stream(sheet.ref), {
    open(t) {
      const n = local(t.name);
      if (n === 'row') {
        const r = Number(attr(t, 'r'));
        row = Number.isFinite(r) && r > row ? r : row + 1;
        cells = [];
        nextCol = 0;
      } else if (n === 'c') {
        const ref = attr(t, 'r');
        const col = ref ? columnIndex(ref) : nextCol;
        cell = { col: col < 0 ? nextCol : col, type: attr(t, 't') ?? 'n', style: Number(attr(t, 's') ?? 0) };
        nextCol = cell.col + 1;
        value = '';
      } else if (n === 'v' && cell) {
        inValue = true;
      } else if (n === 'is' && cell) {
        inInline = true;
      } else if (n === 't' && inInline) {
        inValue = true;
      } else if (n === 'mergeCell') {
        const r = parseRange(attr(t, 'ref') ?? '');
        if (r && merges.length < 10_000) merges.push(r);
      }
    },
    close(n) {
      if (n === 'v' || n === 't') inValue = false;
      else if (n === 'is') inInline = false;
      else if (n === 'c' && cell) {
        const text = cellText(cell.type, value, formats[cell.style] ?? { kind: 'general' }, strings, date1904);
        if (text !== '') {
          if (cell.col >= limits.maxColumns) throw new ImportRefused('imports.refused.sheetTooWide', { max: limits.maxColumns });
          cells[cell.col] = text;
        }
        cell = null;
      } else if (n === 'row') {
        sink(row, cells);
      }
    },
    text(s) {
      if (inValue) value += s;
    },
  }, flush);
  return { merges };
}

function cellText(type: string, v: string, f: CellFormat, strings: string[], date1904: boolean): string {
  switch (type) {
    case 's':
      return strings[Number(v)] ?? '';
    case 'str':
    case 'inlineStr':
      return v;
    case 'b':
      return v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
    case 'e':
      return v;
    case 'd':
      return odsDate(v);
    default: {
      if (v.trim() === '') return '';
      const n = Number(v);
      return Number.isFinite(n) ? (f.kind === 'text' ? v : formatNumber(n, f, date1904)) : v;
    }
  }
}

/** Streams an ODS table's rows (repeated rows and cells expanded where they hold something). */
export async function odsRows(archive: Archive, sheet: SheetInfo, limits: WorkbookLimits, sink: RowSink, flush: () => Promise<void>): Promise<SheetResult> {
  const want = Number(sheet.ref);
  const merges: SheetResult['merges'] = [];
  let table = -1;
  let inTable = false;
  let row = 0;
  let rowRepeat = 1;
  let cells: string[] = [];
  let col = 0;
  let cell: { type: string; value: string; repeat: number; span: number; covered: boolean } | null = null;
  let text = '';
  let paragraphs: string[] = [];
  let inP = 0;
  await parseXml(await archive.stream('content.xml'), {
    open(t) {
      const n = local(t.name);
      if (n === 'table' && t.name.startsWith('table:')) {
        table++;
        inTable = table === want;
        return;
      }
      if (!inTable) return;
      if (n === 'table-row') {
        rowRepeat = Math.max(1, Number(attr(t, 'number-rows-repeated') ?? 1));
        cells = [];
        col = 0;
      } else if (n === 'table-cell' || n === 'covered-table-cell') {
        const type = attr(t, 'value-type') ?? '';
        const value = type === 'date' ? attr(t, 'date-value') ?? '' : type === 'time' ? attr(t, 'time-value') ?? '' : type === 'boolean' ? attr(t, 'boolean-value') ?? '' : attr(t, 'value') ?? '';
        cell = {
          type, value, repeat: Math.max(1, Number(attr(t, 'number-columns-repeated') ?? 1)), span: Number(attr(t, 'number-columns-spanned') ?? 1),
          covered: n === 'covered-table-cell',
        };
        paragraphs = [];
      } else if (n === 'p' && cell) {
        inP++;
        text = '';
      } else if (cell && inP) {
        if (n === 's') text += ' '.repeat(Math.max(1, Number(attr(t, 'c') ?? 1)));
        else if (n === 'tab') text += '\t';
        else if (n === 'line-break') text += '\n';
      }
    },
    close(n) {
      if (n === 'table' && inTable) {
        inTable = false;
        return;
      }
      if (!inTable) return;
      if (n === 'p' && inP) {
        inP--;
        paragraphs.push(text);
      } else if ((n === 'table-cell' || n === 'covered-table-cell') && cell) {
        const shown = paragraphs.join('\n');
        const v = odsCellText(cell.type, cell.value, shown);
        if (v !== '') {
          const last = col + cell.repeat - 1;
          if (last >= limits.maxColumns) throw new ImportRefused('imports.refused.sheetTooWide', { max: limits.maxColumns });
          for (let c = col; c <= last; c++) cells[c] = v;
        }
        if (cell.span > 1 && merges.length < 10_000) merges.push({ c0: col, c1: col + cell.span - 1, r0: row + 1, r1: row + 1 });
        col += cell.repeat;
        cell = null;
      } else if (n === 'table-row') {
        const filled = cells.some((c) => c !== undefined && c !== '');
        if (!filled) {
          // blank rows (LibreOffice repeats one to the sheet's end) only move the row number: the sink writes
          // blank lines for them when content follows
          row += rowRepeat;
          return;
        }
        for (let i = 0; i < rowRepeat; i++) {
          row++;
          sink(row, [...cells]);
        }
      }
    },
    text(s) {
      if (inP && cell) text += s;
    },
  }, flush);
  return { merges };
}

function odsCellText(type: string, value: string, shown: string): string {
  switch (type) {
    case 'float':
      return odsNumber(value, shown);
    case 'currency':
      return odsNumber(value, shown);
    case 'percentage':
      return shown || `${Number(value) * 100}%`;
    case 'date':
      return odsDate(value);
    case 'boolean':
      return value === 'true' ? 'TRUE' : value === 'false' ? 'FALSE' : shown;
    default:
      return shown;
  }
}

