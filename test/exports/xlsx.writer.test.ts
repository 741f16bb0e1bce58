// The streaming workbook writer on its own: what exceljs and Skillnet's own import read back, backpressure,
// and a receiver that goes away half way.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { streamXlsx } from '../../src/exports/xlsx.writer.js';
import { prepareImportFile } from '../../src/imports/workbook.service.js';
import type { ColumnKind, TypedCell } from '../../src/exports/columns.domain.js';

const KINDS: ColumnKind[] = ['int', 'text', 'decimal', 'day', 'long'];
const HEADERS = ['ID', 'Postcode', 'Hours', 'Since', 'Notes'];

async function toBuffer(rows: TypedCell[][], slow = false): Promise<{ buf: Buffer; result: Awaited<ReturnType<typeof streamXlsx>> }> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      if (slow) setImmediate(cb);
      else cb();
    },
  });
  const result = await streamXlsx(rows, (r) => r, out, { headers: HEADERS, kinds: KINDS, sheetName: 'People: all [x]' });
  return { buf: Buffer.concat(chunks), result };
}

describe('xlsx writer', function () {
  this.timeout(60000);

  it('typed cells, text kept as written, header bold and frozen, filter over every row; exceljs and the import read it', async () => {
    const rows: TypedCell[][] = [
      [1, '01067', 12.5, new Date(Date.UTC(2024, 1, 29)), '  leading spaces\nand a second line '],
      [2, '=1+1', null, null, 'a & b < c > d "q" \u0007bell'],
      [3, '', 0, new Date(Date.UTC(1999, 11, 31)), 'x'.repeat(40_000)],
    ];
    const { buf, result } = await toBuffer(rows);
    expect(result).to.deep.equal({ rows: 3, complete: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).to.equal('People  all  x ');
    expect(ws.rowCount).to.equal(4);
    expect(ws.getRow(1).values).to.deep.equal([undefined, ...HEADERS]);
    expect(ws.getRow(1).getCell(1).font?.bold).to.equal(true);
    expect(ws.views[0]).to.include({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).to.equal('A1:E4');
    const r2 = ws.getRow(2);
    expect(r2.getCell(1).value).to.equal(1);
    expect(r2.getCell(1).numFmt).to.equal('0');
    expect(r2.getCell(2).value).to.equal('01067');
    expect(r2.getCell(2).type).to.equal(ExcelJS.ValueType.String);
    expect(r2.getCell(3).value).to.equal(12.5);
    expect(r2.getCell(4).type).to.equal(ExcelJS.ValueType.Date);
    expect((r2.getCell(4).value as Date).toISOString()).to.equal('2024-02-29T00:00:00.000Z');
    expect(r2.getCell(4).numFmt).to.equal('yyyy-mm-dd');
    expect(r2.getCell(5).value).to.equal('  leading spaces\nand a second line ');
    const r3 = ws.getRow(3);
    expect(r3.getCell(2).value, 'a formula-looking text is text').to.equal('=1+1');
    expect(r3.getCell(2).type).to.equal(ExcelJS.ValueType.String);
    expect(r3.getCell(3).value).to.equal(null);
    expect(r3.getCell(5).value, 'escaped; characters XML cannot hold left out').to.equal('a & b < c > d "q" bell');
    expect((ws.getRow(4).getCell(5).value as string).length, 'cut to Excel’s cell limit').to.equal(32767);
    expect(ws.getColumn(5).width).to.equal(45);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-xlsxw-'));
    writeFileSync(path.join(dir, 'w.xlsx'), buf);
    const p = await prepareImportFile(path.join(dir, 'w.xlsx'), path.join(dir, 'w.csv'));
    expect(p.detection.headers).to.deep.equal(HEADERS);
    expect(p.detection.sample[0]!.slice(0, 4)).to.deep.equal(['1', '01067', '12.5', '2024-02-29']);
  });

  it('a slow receiver slows the writer; every row arrives', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i): TypedCell[] => [i + 1, `p${i}`, i / 4, null, `note ${i}`]);
    const { buf, result } = await toBuffer(rows, true);
    expect(result).to.deep.equal({ rows: 20_000, complete: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).to.equal(20_001);
    expect(wb.worksheets[0]!.getRow(20_001).getCell(2).value).to.equal('p19999');
  });

  it('rows across many chunks, multi-byte text at every chunk edge and rows larger than a chunk arrive whole', async () => {
    // the writer fills pieces of 256 KiB: 3,000 rows of varying length put a row on every edge; rows 500 and 2,000
    // carry five cells of 32,767 characters (about 160,000 characters, 480 KB in UTF-8: more than a piece)
    const big = (c: string) => c.repeat(32_767);
    const rows = Array.from({ length: 3_000 }, (_, i): TypedCell[] => (i === 500 || i === 2_000
      ? [i, big('ß'), i, null, big('€')]
      : [i, `Gülşen ${'ä'.repeat(i % 97)}`, i / 2, null, `Nguyễn 😀 ${'x'.repeat((i * 37) % 500)}`]));
    const { buf, result } = await toBuffer(rows);
    expect(result).to.deep.equal({ rows: 3_000, complete: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).to.equal(3_001);
    for (let i = 0; i < 3_000; i++) {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value, `row ${i}`).to.equal(i);
      expect(row.getCell(2).value, `row ${i}`).to.equal(rows[i]![1]);
      expect(row.getCell(5).value, `row ${i}`).to.equal(rows[i]![4]);
    }
  });

  it('a receiver that goes away half way ends the export as incomplete, without an error', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    let read = 0;
    out.on('data', (c: Buffer) => {
      read += c.length;
      if (read > 20_000) out.destroy();
    });
    function* rows() {
      for (let i = 0; i < 1_000_000; i++) yield [i, `p${i}`, i, null, `some longer note text ${i} `.repeat(3)] as TypedCell[];
    }
    const result = await streamXlsx(rows(), (r) => r, out, { headers: HEADERS, kinds: KINDS, sheetName: 'x' });
    expect(result.complete).to.equal(false);
    expect(result.rows).to.be.below(1_000_000);
  });
});
