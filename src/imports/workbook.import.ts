// Where a workbook joins the CSV path: an uploaded or named file that is a workbook (.xlsx, .ods) is written
// out as CSV (workbook.reader), then detected like any CSV, with header labels under merged cells filled in.
import { rm } from 'node:fs/promises';
import { detectFile, type Detection } from './csv.reader.js';
import { mergedHeaderLabels } from './workbook.domain.js';
import { sniffWorkbook, workbookToCsv, type Conversion } from './workbook.reader.js';

export interface Prepared {
  /** the CSV file the import reads (the file itself when it was CSV) */
  csv: string;
  detection: Detection;
  /** set for a workbook: its sheets and the one read */
  workbook: Pick<Conversion, 'kind' | 'sheets' | 'sheet'> | null;
}

/** True when the file is a workbook (or an OLE container: a legacy .xls or a password-protected file). */
export async function isWorkbook(file: string): Promise<boolean> {
  return (await sniffWorkbook(file)) !== null;
}

/**
 * Detects a file for import. A workbook's chosen sheet is converted into `csvOut` first (removed again when the
 * workbook is refused); a CSV file is detected where it is. Throws ImportRefused with a one-line reason.
 */
export async function prepareImportFile(file: string, csvOut: string, sheet?: string | number): Promise<Prepared> {
  if (!(await isWorkbook(file))) return { csv: file, detection: await detectFile(file), workbook: null };
  try {
    const conv = await workbookToCsv(file, csvOut, sheet);
    const detection = await detectFile(csvOut);
    const atHeader = conv.merges.filter((m) => m.r0 <= detection.headerRow && m.r1 >= detection.headerRow);
    if (atHeader.length) detection.headers = mergedHeaderLabels(detection.headers, atHeader);
    return { csv: csvOut, detection, workbook: { kind: conv.kind, sheets: conv.sheets, sheet: conv.sheet } };
  } catch (err) {
    await rm(csvOut, { force: true });
    throw err;
  }
}
