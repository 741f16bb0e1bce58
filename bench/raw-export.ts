// The bare side of the CLI export figure: the people whose text matches WORD (FTS5, as a prefix), in one
// statement, iterated into csv-stringify (same options as the bare /people.csv) and written to OUT. Prints the
// row count. Usage: node --import tsx bench/raw-export.ts FILE WORD OUT
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import { peopleCsvSql } from './raw-queries.js';
import { CSV_COLUMNS } from './raw-columns.js';

const [file, word, out] = process.argv.slice(2) as [string, string, string];
const conn = new Database(file, { readonly: true });
const match = `"${word.replace(/"/g, '')}"*`;
let rows = 0;
const source = conn.prepare(peopleCsvSql('WHERE p.id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)')).raw().iterate(match) as Iterable<unknown[]>;
const counted = (function* () {
  for (const r of source) {
    rows++;
    yield r;
  }
})();
const csv = stringify({ bom: true, header: true, columns: CSV_COLUMNS, delimiter: ',', record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/ });
await pipeline(Readable.from(counted), csv, createWriteStream(out));
conn.close();
console.log(JSON.stringify({ rows }));
