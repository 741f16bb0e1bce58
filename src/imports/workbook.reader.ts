// Reading .xlsx and .ods workbooks: yauzl opens the ZIP (checking every entry's real size against the one its
// directory declares), saxes parses the sheet's XML as a stream, and the chosen sheet is written out as a UTF-8
// CSV file, row for row (blank rows kept, so row numbers are the spreadsheet's). Everything after that —
// detection, mapping, preview, dedupe, undo — is the one path CSV files take. Memory stays bounded: shared
// strings and styles are capped by the expanded-size limit, rows stream.
import { createWriteStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { stringify } from 'csv-stringify';
import { ImportRefused } from './decode.domain.js';
import {
  chooseSheet, classifyFormat, columnIndex, formatNumber, odsDate, odsNumber, parseRange, type CellFormat,
} from './workbook.domain.js';

export type WorkbookKind = 'xlsx' | 'ods';

export interface SheetInfo {
  name: string;
  hidden: boolean;
  /** the entry of its XML (xlsx) or its position among the tables (ods) */
  ref: string;
}

export interface WorkbookLimits {
  /** the most bytes all entries read may expand to (a zip bomb is refused before it is inflated) */
  maxExpanded: number;
  /** the most columns a row may fill */
  maxColumns: number;
  /** the most entries the archive may hold */
  maxEntries: number;
}

export const WORKBOOK_LIMITS: WorkbookLimits = { maxExpanded: 512 * 1024 * 1024, maxColumns: 1024, maxEntries: 10_000 };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Whether a file is a workbook, by its first bytes: 'zip' (xlsx or ods, told apart when opened), 'ole' (a legacy
 * .xls or a password-protected xlsx, which Office wraps in the same container), or null.
 */
export async function sniffWorkbook(file: string): Promise<'zip' | 'ole' | null> {
  const fh = await openFile(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const starts = (m: number[]) => bytesRead >= m.length && m.every((b, i) => head[i] === b);
    if (starts(OLE)) return 'ole';
    if (starts(ZIP)) return 'zip';
    return null;
  } finally {
    await fh.close();
  }
}

/** An OLE file holding "EncryptionInfo" is an encrypted (password-protected) Office file; otherwise a legacy .xls. */
async function oleProblem(file: string): Promise<ImportRefused> {
  const fh = await openFile(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const encrypted = buf.subarray(0, bytesRead).includes(Buffer.from('EncryptionInfo', 'utf16le'));
    return new ImportRefused(encrypted ? 'imports.refused.password' : 'imports.refused.xls');
  } finally {
    await fh.close();
  }
}

function refuseBroken(): ImportRefused {
  return new ImportRefused('imports.refused.brokenZip');
}

/** An opened workbook archive: its entries by name, read with a shared expanded-size budget. */
class Archive {
  private expanded = 0;
  private constructor(private readonly zip: yauzl.ZipFile, readonly entries: Map<string, yauzl.Entry>, private readonly limits: WorkbookLimits) {}

  static async open(file: string, limits: WorkbookLimits): Promise<Archive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(refuseBroken()) : resolve(z!)));
    });
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (e: yauzl.Entry) => {
          if (entries.size >= limits.maxEntries) return reject(new ImportRefused('imports.refused.expandsTooLarge'));
          entries.set(e.fileName.replace(/^\/+/, ''), e);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', () => reject(refuseBroken()));
        zip.readEntry();
      });
    } catch (err) {
      zip.close();
      throw err;
    }
    return new Archive(zip, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Streams an entry's bytes; refuses when the entries read so far would expand past the limit. */
  async stream(name: string): Promise<Readable> {
    const e = this.entries.get(name);
    if (!e) throw refuseBroken();
    if (e.isEncrypted()) throw new ImportRefused('imports.refused.password');
    this.expanded += e.uncompressedSize;
    if (this.expanded > this.limits.maxExpanded) throw new ImportRefused('imports.refused.expandsTooLarge');
    return new Promise<Readable>((resolve, reject) => {
      this.zip.openReadStream(e, (err, s) => (err ? reject(refuseBroken()) : resolve(s!)));
    });
  }

  /** A whole (small) entry as text. */
  async text(name: string): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of await this.stream(name)) chunks.push(c as Buffer);
    } catch (err) {
      throw err instanceof ImportRefused ? err : refuseBroken();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses XML from a stream; `onChunk` runs after each chunk's events (for backpressure downstream). */
async function parseXml(stream: Readable, handlers: {
  open?(tag: SaxesTagPlain): void; close?(name: string): void; text?(t: string): void;
}, onChunk?: () => Promise<void>): Promise<void> {
  const p = new SaxesParser({ xmlns: false });
  let failure: Error | null = null;
  p.on('error', (e) => { failure ??= e; });
  if (handlers.open) p.on('opentag', (t) => handlers.open!(t as SaxesTagPlain));
  if (handlers.close) p.on('closetag', (t) => handlers.close!(local(t.name)));
  if (handlers.text) {
    p.on('text', handlers.text);
    p.on('cdata', handlers.text);
  }
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) {
      p.write(chunk as string);
      if (failure) throw failure;
      if (onChunk) await onChunk();
    }
    p.close();
  } catch (err) {
    stream.destroy();
    if (err instanceof ImportRefused) throw err;
    throw refuseBroken();
  }
  if (failure) throw refuseBroken();
}

function attr(t: SaxesTagPlain, name: string): string | undefined {
  for (const [k, v] of Object.entries(t.attributes)) if (local(k) === name) return v as string;
  return undefined;
}

/** The sheet rows, each a row number and its cells, handed on in order. */
type RowSink = (row: number, cells: string[]) => void;

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

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
  });
}

/** The tables of an ODS file, with hidden ones (table:display="false" in their style) marked. Stops at the first rows. */
async function odsSheets(archive: Archive): Promise<SheetInfo[]> {
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

interface SheetResult {
  /** merged ranges (0-based columns, 1-based rows), for header labels */
  merges: { c0: number; r0: number; c1: number; r1: number }[];
}

/** Streams an xlsx sheet's rows: cell values as the user sees them; formulas give their cached value. */
async function xlsxRows(archive: Archive, sheet: SheetInfo, date1904: boolean, limits: WorkbookLimits, sink: RowSink, flush: () => Promise<void>): Promise<SheetResult> {
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
          if (cell.col >= limits.maxColumns) throw new ImportRefused('imports.refused.tooManyColumns', { max: limits.maxColumns });
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
async function odsRows(archive: Archive, sheet: SheetInfo, limits: WorkbookLimits, sink: RowSink, flush: () => Promise<void>): Promise<SheetResult> {
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
          if (last >= limits.maxColumns) throw new ImportRefused('imports.refused.tooManyColumns', { max: limits.maxColumns });
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
