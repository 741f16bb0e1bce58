// The whole network in: loads the files of `skillnet export all` into an EMPTY Skillnet, ids kept, in one
// transaction (a problem anywhere leaves the database as it was), then writes every person's search document.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { allPersonIds } from '../people/people.queries.js';
import type { Knex } from 'knex';
import type { Actor } from '../audit/audit.queries.js';
import { dbErrorText, nowIso, resetIdSequences } from '../db.js';
import { personDocs, reindexPeople, searchDocWriterSqlite } from '../search/index.queries.js';
import {
  beginConnTx, commitConnTx, isSqliteConn, NetworkRowError, rollbackConnTx, networkInsert, networkRowCounts, searchDocRows, withExportConnection, type ExportConn,
} from './exports.queries.js';
import { NETWORK_TABLES, derivedColumns, headerProblem, parseNetworkCell, type NetworkTable } from './network.domain.js';

/** Why a folder cannot be loaded; the message is one line for the user. */
export class NetworkImportRefused extends Error {}

export interface NetworkImportResult {
  files: Record<string, number>;
  rows: number;
}

/** The tables that must be empty before a load (users and settings may exist: someone runs the load). */
const LOADED_TABLES = NETWORK_TABLES.map((t) => t.table);

const SEARCH_CHUNK = 1000;

/** Loads a network folder. Refuses a folder without every file, and a database that holds any network data. */
export async function importNetwork(db: Knex, dir: string, actor: Actor): Promise<NetworkImportResult> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NetworkImportRefused(`${dir}: no such folder`);
  const missing = NETWORK_TABLES.filter((t) => !existsSync(path.join(dir, t.file))).map((t) => t.file);
  if (missing.length) throw new NetworkImportRefused(`${dir}: missing ${missing.join(', ')} (a folder written by "skillnet export all")`);
  return withExportConnection(db, async (conn) => {
    // PostgreSQL: withExportConnection's transaction; a throw rolls it back
    beginConnTx(conn, 'write');
    try {
      const counts = await networkRowCounts(db, conn, LOADED_TABLES);
      const filled = Object.entries(counts).filter(([, n]) => n > 0);
      if (filled.length) {
        throw new NetworkImportRefused(`this Skillnet is not empty (${filled.map(([t, n]) => `${n} ${t}`).join(', ')}); import all needs an empty database`);
      }
      const result: NetworkImportResult = { files: {}, rows: 0 };
      for (const spec of NETWORK_TABLES) {
        const n = await loadFile(db, conn, spec, path.join(dir, spec.file));
        result.files[spec.file] = n;
        result.rows += n;
      }
      if (isSqliteConn(conn)) writeSearchDocs(db, conn);
      else {
        await resetIdSequences(conn, LOADED_TABLES);
        await reindexPeople(conn, await allPersonIds(conn));
      }
      const audit = networkInsert(db, conn, 'audit_log', ['user_id', 'actor', 'action', 'entity_type', 'entity_id', 'source', 'changes', 'created_at']);
      await audit.run([
        actor.userId, actor.label, 'import', 'network', null, actor.source, JSON.stringify({ format: 'csv', folder: path.basename(path.resolve(dir)), files: result.files, rows: result.rows }), nowIso(),
      ]);
      await audit.flush();
      commitConnTx(conn);
      return result;
    } catch (err) {
      rollbackConnTx(conn);
      throw err;
    }
  });
}

function rowRefusal(spec: NetworkTable, line: number, err: unknown): NetworkImportRefused {
  const at = err instanceof NetworkRowError && err.tag !== undefined ? err.tag : line;
  return new NetworkImportRefused(`${spec.file} row ${at}: ${dbErrorText(err)}`);
}

async function loadFile(db: Knex, conn: ExportConn, spec: NetworkTable, file: string): Promise<number> {
  const extra = Object.keys(derivedColumns(spec.table, {}));
  const insert = networkInsert(db, conn, spec.table, [...spec.columns.map(([c]) => c), ...extra]);
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_quotes: false }));
  let index: number[] = [];
  let line = 0;
  let rows = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      line++;
      if (line === 1) {
        const problem = headerProblem(spec, cells);
        if (problem) throw new NetworkImportRefused(`${spec.file}: the header row does not fit (${problem})`);
        index = spec.columns.map(([c]) => cells.indexOf(c));
        continue;
      }
      const row: Record<string, unknown> = {};
      const values: unknown[] = [];
      spec.columns.forEach(([c, type], i) => {
        const r = parseNetworkCell(cells[index[i]!] ?? '', type);
        if (!r.ok) throw new NetworkImportRefused(`${spec.file} row ${line}: ${c} ${r.problem}`);
        row[c] = r.value;
        values.push(r.value);
      });
      const derived = derivedColumns(spec.table, row);
      for (const c of extra) values.push(derived[c]);
      try {
        await insert.run(values, line);
      } catch (err) {
        throw rowRefusal(spec, line, err);
      }
      rows++;
    }
    try {
      await insert.flush();
    } catch (err) {
      throw rowRefusal(spec, line, err);
    }
  } catch (err) {
    parser.destroy();
    if (err instanceof NetworkImportRefused) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('CSV_')) throw new NetworkImportRefused(`${spec.file}: ${(err as Error).message}`);
    throw err;
  }
  if (line === 0) throw new NetworkImportRefused(`${spec.file}: empty file (a header row is needed)`);
  return rows;
}

/** Every person's search document (people_fts), from what was just loaded. */
function writeSearchDocs(db: Knex, conn: import('better-sqlite3').Database): void {
  const write = searchDocWriterSqlite(conn);
  let after = 0;
  for (;;) {
    const chunk = searchDocRows(db, conn, after, SEARCH_CHUNK);
    if (!chunk.people.length) return;
    for (const d of personDocs(chunk.people, chunk.skills, chunk.tags)) write(d.rowid, d.doc);
    after = chunk.people[chunk.people.length - 1]!.id;
  }
}
