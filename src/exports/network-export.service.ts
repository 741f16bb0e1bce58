// The whole network out: every NETWORK_TABLES file, read in one snapshot, streamed into a folder (the CLI) or
// a ZIP (the download at /exports).
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { streamCsv } from './csv.writer.js';
import { beginConnTx, commitConnTx, networkRows, withExportConnection, type ExportConn } from './exports.queries.js';
import { NETWORK_TABLES, networkCell, type NetworkTable } from './network.domain.js';
import { ZipWriter } from './zip.writer.js';

/** Machine-readable, still spreadsheet-safe: `,`, BOM, CRLF, formula guard; headers are the column names. */
const NETWORK_FORMAT = { delimiter: ',', bom: true } as const;

export interface NetworkExportResult {
  /** rows per file */
  files: Record<string, number>;
  rows: number;
  complete: boolean;
}

/** Gives each file's content to `add(file, fill)`, which runs `fill` on where the file goes. */
async function eachFile(db: Knex, add: (file: string, fill: (out: Writable) => Promise<{ rows: number; complete: boolean }>) => Promise<{ rows: number; complete: boolean }>): Promise<NetworkExportResult> {
  return withExportConnection(db, async (conn) => {
    const result: NetworkExportResult = { files: {}, rows: 0, complete: true };
    // one read transaction: the files agree with each other even while the app keeps writing (PostgreSQL:
    // withExportConnection's REPEATABLE READ transaction)
    beginConnTx(conn, 'read');
    try {
      for (const spec of NETWORK_TABLES) {
        const r = await add(spec.file, (out) => writeTable(db, conn, spec, out));
        result.files[spec.file] = r.rows;
        result.rows += r.rows;
        if (!r.complete) {
          result.complete = false;
          break;
        }
      }
    } finally {
      commitConnTx(conn);
    }
    return result;
  });
}

function writeTable(db: Knex, conn: ExportConn, spec: NetworkTable, out: Writable) {
  const names = spec.columns.map(([c]) => c);
  const toRecord = (row: Record<string, unknown>) => names.map((c) => networkCell(row[c]));
  return streamCsv(networkRows(db, conn, spec), toRecord, out, { format: NETWORK_FORMAT, headers: names });
}

/** Writes the network into a folder (created if missing; the files in it are replaced). */
export async function exportNetworkToDir(db: Knex, dir: string): Promise<NetworkExportResult> {
  await mkdir(dir, { recursive: true });
  return eachFile(db, (file, fill) => fill(createWriteStream(path.join(dir, file))));
}

/** Writes the network as a ZIP into `out` (left open: the caller ends it). */
export async function exportNetworkToZip(db: Knex, out: Writable): Promise<NetworkExportResult> {
  const zip = new ZipWriter(out);
  const result = await eachFile(db, (file, fill) => zip.add(file, fill));
  if (result.complete) await zip.finish();
  return result;
}
