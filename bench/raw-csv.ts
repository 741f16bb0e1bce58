// The bare imports' (SQLite and PostgreSQL) reading of the bench CSV: csv-parse/sync, timed, and the columns by name.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export function readPeopleCsv(csvFile: string) {
  const t0 = performance.now();
  const records = parse(readFileSync(csvFile), { bom: true, relax_column_count: true }) as string[][];
  const parseSeconds = (performance.now() - t0) / 1000;
  const header = records[0] ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing`);
    return i;
  };
  const C = {
    first: col('First name'), last: col('Last name'), email: col('Email'), phone: col('Phone'), city: col('City'),
    postcode: col('Postcode'), country: col('Country'), languages: col('Languages'), kind: col('Kind'),
    availability: col('Availability'), organisation: col('Organisation'), job: col('Job title'), notes: col('Notes'),
    tags: col('Tags'), skills: col('Skills'),
  };
  return { records, parseSeconds, C };
}
