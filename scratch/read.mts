import { workbookToCsv } from '../src/imports/workbook.reader.js';
import { readFileSync } from 'node:fs';
const c = await workbookToCsv(process.argv[2]!, '/tmp/wb/out.csv', process.argv[3]);
console.log(JSON.stringify(c));
console.log(readFileSync('/tmp/wb/out.csv', 'utf8'));
