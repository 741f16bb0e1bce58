// What a CSV file is before anyone reads it as contacts: its encoding, delimiter and header row (pure logic).
import { createHash } from 'node:crypto';
import { foldText } from '../shared/normalise.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Why a file cannot be imported at all; `key` is a message key, `vars` its values. */
export class ImportRefused extends Error {
  constructor(public readonly key: string, public readonly vars: Record<string, string | number> = {}) {
    super(key);
  }
}

/** A UTF-16 byte-order mark, or null. */
export function utf16Bom(head: Uint8Array): Encoding | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** Refuses files that are not text: spreadsheets saved as workbooks, images, archives, anything with NUL bytes. */
export function checkNotBinary(head: Uint8Array): void {
  const starts = (m: number[]) => m.every((b, i) => head[i] === b);
  if (starts(ZIP_MAGIC) || starts(OLE_MAGIC)) throw new ImportRefused('imports.refused.workbook');
  if (utf16Bom(head)) return;
  let controls = 0;
  for (const b of head) {
    if (b === 0) throw new ImportRefused('imports.refused.binary');
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (head.length > 0 && controls / head.length > 0.02) throw new ImportRefused('imports.refused.binary');
}

/**
 * Validates UTF-8 chunk by chunk; call `push` for every chunk and `end` at the end. Decides between UTF-8
 * (with or without BOM) and Windows-1252, which is what German Excel saves.
 */
export class EncodingSniffer {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private valid = true;
  private first = true;
  private bom: Encoding | null = null;
  sawNul = false;

  push(chunk: Uint8Array): void {
    if (this.first) {
      this.first = false;
      this.bom = utf16Bom(chunk);
    }
    if (!this.bom && chunk.includes(0)) this.sawNul = true;
    if (!this.valid || this.bom) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  end(): Encoding {
    if (this.bom) return this.bom;
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return this.valid ? 'utf-8' : 'windows-1252';
  }
}

/** Counts a delimiter outside quotes in each of the first records of some text. */
function delimiterCounts(text: string, d: string, maxRecords: number): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let n = 0;
  let hasContent = false;
  for (let i = 0; i < text.length && counts.length < maxRecords; i++) {
    const c = text[i]!;
    if (c === '"') {
      // a quote opens only at the start of a field; "" inside quotes is an escaped quote
      if (inQuotes) {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (i === 0 || text[i - 1] === d || text[i - 1] === '\n' || text[i - 1] === '\r' || /\s/.test(text[i - 1]!)) inQuotes = true;
      hasContent = true;
    } else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (hasContent) counts.push(n);
      n = 0;
      hasContent = false;
    } else if (!inQuotes && c === d) {
      n++;
      hasContent = true;
    } else if (c.trim()) hasContent = true;
  }
  if (hasContent && counts.length < maxRecords) counts.push(n);
  return counts;
}

/**
 * Picks the delimiter that splits the first records most consistently, ignoring what is quoted
 * (csv-parse's own detection ignores quotes). Preamble lines without any delimiter do not count.
 */
/** The most columns any of the first records has, counted without a full parse (cheap on a 100,000-column line). */
export function widestRecord(text: string, delimiter: Delimiter, maxRecords = 60): number {
  let widest = 0;
  for (const n of delimiterCounts(text, delimiter, maxRecords)) if (n + 1 > widest) widest = n + 1;
  return widest;
}

/**
 * Counts the columns of each record as the text streams by, without parsing it (quotes respected: a delimiter
 * inside a quoted field does not count, `""` is an escaped quote, even split across pieces), so a row with
 * 100,000 columns anywhere in a file is refused once it passes `max`, before csv-parse builds it.
 */
export class ColumnGuard {
  private inQuotes = false;
  /** the last piece ended on a quote inside a quoted field: a closing quote, or the first half of `""` */
  private quotePending = false;
  private delimiters = 0;
  private prev = '\n';
  private readonly specials: RegExp;

  constructor(private readonly delimiter: Delimiter, private readonly max: number) {
    this.specials = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]`, 'g');
  }

  /** Feeds the next piece of text; true as soon as a record has more than `max` columns. */
  push(text: string): boolean {
    let i = 0;
    if (this.quotePending && text.length) {
      this.quotePending = false;
      if (text[0] === '"') i = 1;
      else this.inQuotes = false;
    }
    while (i < text.length) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) break;
        if (q + 1 === text.length) {
          this.quotePending = true;
          break;
        }
        if (text[q + 1] === '"') i = q + 2;
        else {
          this.inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      this.specials.lastIndex = i;
      const m = this.specials.exec(text);
      if (!m) break;
      const c = m[0];
      if (c === '"') {
        // a quote opens a quoted field only at the field's start (as delimiterCounts reads it)
        const before = m.index > 0 ? text[m.index - 1]! : this.prev;
        if (before === this.delimiter || before === '\n' || before === '\r' || /\s/.test(before)) this.inQuotes = true;
      } else if (c === '\n' || c === '\r') this.delimiters = 0;
      else if (++this.delimiters >= this.max) return true;
      i = m.index + 1;
    }
    if (text.length) this.prev = text[text.length - 1]!;
    return false;
  }
}

export function sniffDelimiter(text: string, maxRecords = 30): Delimiter {
  let best: { d: Delimiter; score: number; mode: number } = { d: ',', score: 0, mode: 0 };
  for (const d of DELIMITERS) {
    const counts = delimiterCounts(text, d, maxRecords).filter((n) => n > 0);
    if (!counts.length) continue;
    const freq = new Map<number, number>();
    for (const n of counts) freq.set(n, (freq.get(n) ?? 0) + 1);
    let mode = 0;
    let modeFreq = 0;
    for (const [n, f] of freq) if (f > modeFreq || (f === modeFreq && n > mode)) [mode, modeFreq] = [n, f];
    // records that agree on the mode, weighted a little by how many columns they make
    const score = modeFreq + Math.min(mode, 50) / 100;
    if (score > best.score) best = { d, score, mode };
  }
  return best.d;
}

const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const NUMBER_LIKE = /^[-+]?[\d\s.,']*\d[\d\s.,']*%?$/;
const DATE_LIKE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}/;

/** Why these cells are data rather than column names, or null when they look like a header. */
export function dataLikeCell(cells: string[]): string | null {
  for (const raw of cells) {
    const c = raw.trim();
    if (!c) continue;
    if (EMAIL_LIKE.test(c) || NUMBER_LIKE.test(c) || DATE_LIKE.test(c) || /^https?:\/\//i.test(c) || c.length > 120) return c;
  }
  return null;
}

export function nonEmptyCount(cells: string[]): number {
  let n = 0;
  for (const c of cells) if (c.trim()) n++;
  return n;
}

/** The number of columns up to the last named one (a trailing delimiter makes an empty last header). */
export function significantWidth(cells: string[]): number {
  let w = cells.length;
  while (w > 0 && !cells[w - 1]!.trim()) w--;
  return w;
}

/**
 * Finds the header among the first records: skips blank lines and preambles (lines with fewer than two
 * filled cells, like the notes at the top of a LinkedIn export), then takes the first record that looks
 * like column names. Returns its index, or throws ImportRefused naming the row.
 */
export function findHeaderRow(records: string[][]): number {
  const wide = records.some((r) => nonEmptyCount(r) >= 2);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const filled = nonEmptyCount(r);
    if (filled === 0 || (wide && filled < 2)) continue;
    const data = dataLikeCell(r);
    if (data !== null) throw new ImportRefused('imports.refused.noHeader', { row: i + 1, value: data.slice(0, 60) });
    return i;
  }
  throw new ImportRefused(records.some((r) => nonEmptyCount(r) > 0) ? 'imports.refused.noHeader' : 'imports.refused.empty', { row: 1, value: '' });
}

/** The header cells as shown to people: trimmed, with blank ones named by their column number. */
export function headerLabels(cells: string[]): string[] {
  return cells.slice(0, significantWidth(cells)).map((c, i) => c.trim() || `#${i + 1}`);
}

/** A stable key for a set of headers, so a saved mapping is offered again for a file laid out the same way. */
export function headerSignature(headers: string[]): string {
  return createHash('sha256').update(headers.map((h) => foldText(h)).join('\u0001')).digest('hex');
}

/**
 * Cleans a parsed cell: spaces around a quoted value (`"Column 1" ,`) leave the quotes in the value with
 * relaxed parsing; unwrap those. Quotes that belong to the value are left alone.
 */
export function cleanCell(cell: string): string {
  if (!cell.includes('"')) return cell;
  const m = /^(\s*)"((?:[^"]|"")*)"(\s*)$/s.exec(cell);
  if (m && (m[1] || m[3])) return m[2]!.replace(/""/g, '"');
  return cell;
}

/** A row whose cells are all blank (a blank line, or a line of delimiters). */
export function isBlankRecord(cells: string[]): boolean {
  for (const c of cells) if (c.trim()) return false;
  return true;
}
