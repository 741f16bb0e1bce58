// Streams rows as an OpenDocument spreadsheet (.ods, ISO/IEC 26300) for LibreOffice: no well-kept library
// writes ODS as a stream, so this writes the few XML parts itself into a ZIP made by yazl (the mimetype first
// and stored, as the format requires). Typed cells as in the Excel export (text stays text, numbers are
// floats, days are dates), a bold header row that stays put when scrolling, a filter on it, column widths.
import { PassThrough, type Writable } from 'node:stream';
import { once } from 'node:events';
import yazl from 'yazl';
import { isReceiverGone, type CsvStreamResult } from './csv.writer.js';
import type { ColumnKind, TypedCell } from './columns.domain.js';

export interface OdsStreamOptions {
  headers: string[];
  kinds: ColumnKind[];
  sheetName: string;
  end?: boolean;
}

const WIDTH_CM: Record<ColumnKind, number> = { text: 4.5, long: 9, int: 1.8, decimal: 2, day: 2.6, label: 3.4 };
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Anything xmlText changes: most cells have none of it and are returned as they are (a workbook has millions). */
const XML_SPECIAL = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function xmlText(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A cell's text as paragraphs (one text:p per line), spaces kept. */
function paragraphs(s: string): string {
  return s.split(/\r\n|\r|\n/).map((line) => `<text:p>${xmlText(line).replace(/ {2,}/g, (sp) => ` <text:s text:c="${sp.length - 1}"/>`)}</text:p>`).join('');
}

function cell(v: TypedCell, kind: ColumnKind): string {
  if (v === null || v === '') return '<table:table-cell/>';
  if (v instanceof Date) {
    const iso = v.toISOString().slice(0, 10);
    return `<table:table-cell table:style-name="day" office:value-type="date" office:date-value="${iso}"><text:p>${iso}</text:p></table:table-cell>`;
  }
  if (typeof v === 'number') return `<table:table-cell office:value-type="float" office:value="${v}"><text:p>${v}</text:p></table:table-cell>`;
  void kind;
  return `<table:table-cell office:value-type="string">${paragraphs(v)}</table:table-cell>`;
}

/** "A", "B", … "AA": the column letters of an ODS cell address. */
export function columnName(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
  + 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
  + 'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
  + 'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`;

/** settings.xml: the first row frozen in the named sheet. */
function settings(sheet: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><office:document-settings ${NS} office:version="1.2"><office:settings>`
    + '<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
    + `<config:config-item config:name="ViewId" config:type="string">view1</config:config-item><config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="${xmlText(sheet)}">`
    + '<config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item>'
    + '<config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item>'
    + '<config:config-item config:name="ActiveSplitRange" config:type="short">2</config:config-item>'
    + '<config:config-item config:name="PositionBottom" config:type="int">1</config:config-item>'
    + '</config:config-item-map-entry></config:config-item-map-named></config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>'
    + '</office:settings></office:document-settings>';
}

/** Writes the header, then the rows (read lazily) as one table; waits for the destination to drain. */
export async function streamOds<T>(
  rows: Iterable<T> | AsyncIterable<T>, toRecord: (row: T) => TypedCell[], out: Writable, o: OdsStreamOptions,
): Promise<CsvStreamResult> {
  const sheet = o.sheetName.replace(/[[\]*?:/\\']/g, ' ').slice(0, 31) || 'Sheet1';
  const zip = new yazl.ZipFile();
  const content = new PassThrough();
  zip.addBuffer(Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), 'mimetype', { compress: false });
  zip.addBuffer(Buffer.from(MANIFEST), 'META-INF/manifest.xml');
  zip.addReadStream(content, 'content.xml');
  zip.addBuffer(Buffer.from(settings(sheet)), 'settings.xml');
  zip.end();
  let gone = false;
  out.on('error', (err) => {
    if (isReceiverGone(err)) gone = true;
  });
  out.on('close', () => {
    if (!out.writableFinished) gone = true;
  });
  const piped = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out, { end: o.end ?? true });
    zip.outputStream.on('end', () => resolve());
  });
  // one listener for the receiver going away, shared by every wait (a listener per wait would pile up)
  const closed = once(out, 'close').catch(() => undefined);
  const write = async (s: string) => {
    if (!content.write(s)) await Promise.race([once(content, 'drain'), closed]).catch(() => undefined);
  };
  const n = o.headers.length;
  await write(`<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.2"><office:automatic-styles>`
    + '<number:date-style style:name="iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>'
    + '<style:style style:name="day" style:family="table-cell" style:data-style-name="iso"/>'
    + '<style:style style:name="head" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>'
    + o.kinds.map((k, i) => `<style:style style:name="co${i}" style:family="table-column"><style:table-column-properties style:column-width="${Math.max(WIDTH_CM[k], (o.headers[i]?.length ?? 0) * 0.25)}cm"/></style:style>`).join('')
    + `</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="${xmlText(sheet)}">`
    + o.kinds.map((_, i) => `<table:table-column table:style-name="co${i}"/>`).join('')
    + `<table:table-header-rows><table:table-row>${o.headers.map((h) => `<table:table-cell table:style-name="head" office:value-type="string"><text:p>${xmlText(h)}</text:p></table:table-cell>`).join('')}</table:table-row></table:table-header-rows>`);
  let count = 0;
  let failure: unknown = null;
  try {
    for await (const row of rows) {
      if (gone) break;
      const rec = toRecord(row);
      count++;
      await write(`<table:table-row>${rec.map((v, i) => cell(v, o.kinds[i] ?? 'text')).join('')}</table:table-row>`);
    }
  } catch (err) {
    failure = err;
  }
  const last = `'${sheet.replace(/'/g, "''")}'`;
  content.end(`</table:table><table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="${xmlText(`${last}.A1:${last}.${columnName(Math.max(0, n - 1))}${count + 1}`)}" table:display-filter-buttons="true"/></table:database-ranges></office:spreadsheet></office:body></office:document-content>`);
  if (failure) {
    zip.outputStream.unpipe(out);
    out.destroy(failure as Error);
    throw failure;
  }
  if (gone) return { rows: count, complete: false };
  await piped.catch((err: unknown) => {
    if (!isReceiverGone(err)) throw err;
    gone = true;
  });
  if (o.end !== false && !out.writableFinished && !gone) await Promise.race([once(out, 'finish'), once(out, 'close')]).catch(() => undefined);
  return { rows: count, complete: !gone };
}
