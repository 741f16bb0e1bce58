// Reading an uploaded CSV file as a stream: file → decoder → csv-parse, one record at a time, memory flat.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import {
  ColumnGuard, EncodingSniffer, ImportRefused, checkNotBinary, cleanCell, findHeaderRow, headerLabels, isBlankRecord, sniffDelimiter, widestRecord,
  type Delimiter, type Encoding,
} from './decode.domain.js';

/** What the wizard's "detect" step found out about a file. */
export interface Detection {
  encoding: Encoding;
  delimiter: Delimiter;
  /** 1-based row number (as a spreadsheet counts) of the header */
  headerRow: number;
  headers: string[];
  /** the first data rows, for the mapping screen */
  sample: string[][];
  size: number;
}

/** Records longer than this are not contact data; the file is refused rather than read into memory. */
export const MAX_RECORD_CHARS = 2_000_000;
/** More columns than this are no contact list a person could map column by column: refused with a clear message. */
export const MAX_COLUMNS = 250;
const HEAD_BYTES = 256 * 1024;
const SAMPLE_RECORDS = 60;

function decoderFor(encoding: Encoding): { write(b: Buffer): string; end(): string } {
  if (encoding === 'windows-1252') {
    const d = iconv.getDecoder('windows-1252');
    return { write: (b) => d.write(b), end: () => d.end() ?? '' };
  }
  const d = new TextDecoder(encoding);
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

async function* decodeChunks(file: string, encoding: Encoding, onBytes?: (n: number) => void, end?: number): AsyncGenerator<string> {
  const dec = decoderFor(encoding);
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024, end })) {
    onBytes?.((chunk as Buffer).length);
    const s = dec.write(chunk as Buffer);
    if (s) yield s;
  }
  const tail = dec.end();
  if (tail) yield tail;
}

/** Passes the text on, refusing the file as soon as a record passes MAX_COLUMNS (before csv-parse builds that record). */
async function* guardColumns(chunks: AsyncIterable<string>, delimiter: Delimiter): AsyncGenerator<string> {
  const guard = new ColumnGuard(delimiter, MAX_COLUMNS);
  for await (const s of chunks) {
    if (guard.push(s)) throw new ImportRefused('imports.refused.tooManyColumns', { count: `${MAX_COLUMNS}+`, max: MAX_COLUMNS });
    yield s;
  }
}

export interface CsvRecord {
  /** 1-based row number as a spreadsheet shows it (blank lines count) */
  row: number;
  cells: string[];
}

const BATCH = 1000;

/**
 * The non-blank records of the file with their row numbers, in batches (a promise per batch, not per
 * record: at 100,000 rows that matters). Throws ImportRefused for a broken file.
 */
export async function* readBatches(
  file: string, opts: { encoding: Encoding; delimiter: Delimiter; onBytes?: (n: number) => void; headBytes?: number },
): AsyncGenerator<CsvRecord[]> {
  const source = Readable.from(guardColumns(decodeChunks(file, opts.encoding, opts.onBytes, opts.headBytes), opts.delimiter));
  const parser = parse({
    delimiter: opts.delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', poke);
  parser.on('end', () => { ended = true; poke(); });
  parser.on('error', (err) => { failure = err; poke(); });
  // pipe() does not pass errors on: a read error must end the parse, not leave it waiting
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let row = 0;
  try {
    for (;;) {
      if (failure) throw failure;
      const out: CsvRecord[] = [];
      let rec: string[] | null;
      while (out.length < BATCH && (rec = parser.read() as string[] | null) !== null) {
        row++;
        if (rec.length > MAX_COLUMNS) throw new ImportRefused('imports.refused.tooManyColumns', { count: rec.length, max: MAX_COLUMNS });
        if (isBlankRecord(rec)) continue;
        for (let i = 0; i < rec.length; i++) rec[i] = cleanCell(rec[i]!);
        out.push({ row, cells: rec });
      }
      if (out.length) {
        // a turn of the event loop per batch: other requests (the progress page) are served while a big file runs
        await new Promise<void>((resolve) => setImmediate(resolve));
        yield out;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new ImportRefused('imports.refused.unclosedQuote', { row: row + 1 });
    if (code === 'CSV_MAX_RECORD_SIZE') throw new ImportRefused('imports.refused.recordTooLong', { row: row + 1 });
    if (code && code.startsWith('CSV_')) throw new ImportRefused('imports.refused.malformed', { row: row + 1, reason: (err as Error).message });
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** The same records one at a time (for small reads: detection, tests). */
export async function* readRecords(
  file: string, opts: { encoding: Encoding; delimiter: Delimiter; onBytes?: (n: number) => void; headBytes?: number },
): AsyncGenerator<CsvRecord> {
  for await (const batch of readBatches(file, opts)) yield* batch;
}

/** Reads the file once to check it is text and to choose between UTF-8 and Windows-1252. */
export async function detectEncoding(file: string): Promise<{ encoding: Encoding; size: number }> {
  const { size } = await stat(file);
  if (size === 0) throw new ImportRefused('imports.refused.empty');
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await fh.read(head, 0, head.length, 0);
    checkNotBinary(head);
  } finally {
    await fh.close();
  }
  const sniffer = new EncodingSniffer();
  // small chunks: each is checked synchronously, and other requests are served between them
  for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) sniffer.push(chunk as Buffer);
  const encoding = sniffer.end();
  if (sniffer.sawNul) throw new ImportRefused('imports.refused.binary');
  return { encoding, size };
}

/** Encoding, delimiter, header row and a few sample rows; throws ImportRefused when the file cannot be imported. */
export async function detectFile(file: string): Promise<Detection> {
  const { encoding, size } = await detectEncoding(file);
  let headText = '';
  for await (const s of decodeChunks(file, encoding, undefined, HEAD_BYTES - 1)) headText += s;
  if (!headText.replace(/^\uFEFF/, '').trim()) throw new ImportRefused('imports.refused.empty');
  const delimiter = sniffDelimiter(headText.replace(/^\uFEFF/, ''));
  await new Promise<void>((resolve) => setImmediate(resolve));
  // refused before csv-parse sees it: parsing a 100,000-column line alone holds the event loop for a second
  const widest = widestRecord(headText, delimiter, SAMPLE_RECORDS);
  if (widest > MAX_COLUMNS) throw new ImportRefused('imports.refused.tooManyColumns', { count: widest, max: MAX_COLUMNS });
  const records: CsvRecord[] = [];
  const all: string[][] = [];
  let brokenAt: ImportRefused | null = null;
  try {
    for await (const rec of readRecords(file, { encoding, delimiter })) {
      records.push(rec);
      if (records.length >= SAMPLE_RECORDS) break;
    }
  } catch (err) {
    // a problem further down the file is reported when the rows are read; the header must be readable
    if (!(err instanceof ImportRefused) || !records.length) throw err;
    brokenAt = err;
  }
  // findHeaderRow works on the records as a spreadsheet shows them, blank lines included
  let last = 0;
  for (const r of records) {
    while (++last < r.row) all.push([]);
    all.push(r.cells);
  }
  const headerIndex = findHeaderRow(all);
  const headers = headerLabels(all[headerIndex]!);
  const sample = records.filter((r) => r.row > headerIndex + 1).slice(0, 5).map((r) => r.cells);
  if (!records.some((r) => r.row > headerIndex + 1)) throw brokenAt ?? new ImportRefused('imports.refused.headerOnly', { row: headerIndex + 1 });
  return { encoding, delimiter, headerRow: headerIndex + 1, headers, sample, size };
}
