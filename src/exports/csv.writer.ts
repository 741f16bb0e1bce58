// Streams rows as CSV into a destination with backpressure: rows are read only as fast as the receiver takes
// them, so memory stays flat however long the file. A receiver that goes away ends the export early.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { stringifyOptions, type CsvFormat } from './csv.domain.js';

export interface CsvStreamOptions {
  format: CsvFormat;
  /** the header row (records are arrays in the same order) */
  headers: string[];
  /** end the destination when done (default); not for standard output */
  end?: boolean;
}

export interface CsvStreamResult {
  rows: number;
  /** false when the receiver went away before the end */
  complete: boolean;
}

/** True for the errors of a destination that closed early (a cancelled download, a closed pipe). */
export function isReceiverGone(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || (err as Error)?.name === 'AbortError';
}

/**
 * Writes the header, then the rows (read lazily; a database iterator stays open only while rows are wanted) as CSV records.
 * Zero rows give a header-only file. Throws what reading the rows throws; a receiver going away is not an
 * error but an incomplete result.
 */
export async function streamCsv<T>(
  rows: Iterable<T> | AsyncIterable<T>, toRecord: (row: T) => unknown[], out: Writable, o: CsvStreamOptions,
): Promise<CsvStreamResult> {
  const csv = stringify(stringifyOptions(o.format));
  // the header goes out at once, before the first row is read
  csv.write(o.headers);
  const stop = new AbortController();
  let count = 0;
  const flowing = pipeline(csv, out, { end: o.end ?? true }).catch((err: unknown) => {
    stop.abort();
    throw err;
  });
  const feeding = (async () => {
    try {
      for await (const row of rows) {
        if (stop.signal.aborted) break;
        const record = toRecord(row);
        count++;
        if (!csv.write(record)) await once(csv, 'drain', { signal: stop.signal }).catch(() => undefined);
      }
    } catch (err) {
      // the receiver must not take a cut-off file for a whole one: the pipeline destroys it too
      csv.destroy(err as Error);
      throw err;
    }
    if (!csv.destroyed) csv.end();
  })();
  const [fed, flowed] = await Promise.allSettled([feeding, flowing]);
  if (fed.status === 'rejected') throw fed.reason;
  if (flowed.status === 'rejected') {
    if (isReceiverGone(flowed.reason)) return { rows: count, complete: false };
    throw flowed.reason;
  }
  return { rows: count, complete: !stop.signal.aborted };
}
