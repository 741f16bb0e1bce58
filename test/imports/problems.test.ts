// The failed-rows file opens in spreadsheets: every cell that would run as a formula is guarded, the header too.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { testDb } from '../support/app.js';
import { importCsv } from './helpers.js';

describe('failed-rows CSV', () => {
  it('guards formula-looking header cells as well as data cells', async () => {
    const db = await testDb();
    const out = path.join(os.tmpdir(), `skillnet-problems-${process.pid}.csv`);
    try {
      const csv = 'email,first name,"=HYPERLINK(""http://evil.example"",""click"")",@SUM(1)\r\nnot-an-email,Ann,=1+1,x\r\nok@example.org,Bob,y,z\r\n';
      const summary = await importCsv(db, csv, { problemRowsFile: out });
      expect(summary.errors).to.equal(1);
      const [header, row] = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
      expect(header).to.contain(`'=HYPERLINK`);
      expect(header).to.contain(`'@SUM(1)`);
      expect(header).to.not.match(/(^|,)"?=/);
      expect(row).to.contain(`'=1+1`);
    } finally {
      await db.destroy();
    }
  });
});
