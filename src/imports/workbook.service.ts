// Where a workbook or a vCard file joins the CSV path: an uploaded or named file that is a workbook (.xlsx,
// .ods) is written out as CSV (workbook.reader), a .vcf file as one row per contact (vcard.domain); then it is
// detected like any CSV, with header labels under merged cells filled in.
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { CONTACT_HEADERS, contactRow, looksLikeVcard, parseVcards, type ContactRow } from './vcard.domain.js';
import { detectFile, type Detection } from './csv.reader.js';
import { mergedHeaderLabels } from './workbook.domain.js';
import { sniffWorkbook, workbookToCsv, type Conversion } from './workbook.reader.js';

export interface Prepared {
  /** the CSV file the import reads (the file itself when it was CSV) */
  csv: string;
  detection: Detection;
  /** set for a workbook: its sheets and the one read */
  workbook: Pick<Conversion, 'kind' | 'sheets' | 'sheet'> | null;
  /** set for a vCard file: how many contacts it held */
  vcards?: number;
}

/** True when the file starts like a vCard file (BEGIN:VCARD). */
export async function isVcardFile(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return looksLikeVcard(head.subarray(0, bytesRead).toString('latin1'));
  } finally {
    await fh.close();
  }
}

/** A vCard file as CSV: one row per contact in the columns of a people import (UTF-8, or Windows-1252 as found). */
async function vcardsToCsv(file: string, out: string): Promise<number> {
  const bytes = await readFile(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = iconv.decode(bytes, 'windows-1252');
  }
  const contacts = parseVcards(text);
  const keys = Object.keys(CONTACT_HEADERS) as (keyof ContactRow)[];
  const rows = contacts.map((c) => {
    const r = contactRow(c);
    return keys.map((k) => r[k]);
  });
  await writeFile(out, stringify([keys.map((k) => CONTACT_HEADERS[k]), ...rows], { quoted_match: /[,;\t"\r\n]/ }), { mode: 0o600 });
  return contacts.length;
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
  if (await isVcardFile(file)) {
    try {
      const vcards = await vcardsToCsv(file, csvOut);
      return { csv: csvOut, detection: await detectFile(csvOut), workbook: null, vcards };
    } catch (err) {
      await rm(csvOut, { force: true });
      throw err;
    }
  }
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
