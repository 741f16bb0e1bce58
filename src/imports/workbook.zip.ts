// The ZIP and XML layer of the workbook reader: yauzl opens the archive (every entry's real size checked against
// the one its directory declares; a budget for how far entries may expand), saxes parses XML as a stream.
import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { ImportRefused } from './decode.domain.js';

export type WorkbookKind = 'xlsx' | 'ods';

export interface SheetInfo {
  name: string;
  hidden: boolean;
  /** the entry of its XML (xlsx) or its position among the tables (ods) */
  ref: string;
}

export interface WorkbookLimits {
  /** the most bytes all entries read may expand to (a zip bomb is refused before it is inflated) */
  maxExpanded: number;
  /** the most columns a row may fill */
  maxColumns: number;
  /** the most entries the archive may hold */
  maxEntries: number;
  /** the most bytes the parts held in memory (shared strings, styles, the workbook) may expand to */
  maxInMemory?: number;
}

export const WORKBOOK_LIMITS: WorkbookLimits = { maxExpanded: 512 * 1024 * 1024, maxColumns: 1024, maxEntries: 10_000, maxInMemory: 64 * 1024 * 1024 };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Whether a file is a workbook, by its first bytes: 'zip' (xlsx or ods, told apart when opened), 'ole' (a legacy
 * .xls or a password-protected xlsx, which Office wraps in the same container), or null.
 */
export async function sniffWorkbook(file: string): Promise<'zip' | 'ole' | null> {
  const fh = await openFile(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const starts = (m: number[]) => bytesRead >= m.length && m.every((b, i) => head[i] === b);
    if (starts(OLE)) return 'ole';
    if (starts(ZIP)) return 'zip';
    return null;
  } finally {
    await fh.close();
  }
}

/** An OLE file holding "EncryptionInfo" is an encrypted (password-protected) Office file; otherwise a legacy .xls. */
export async function oleProblem(file: string): Promise<ImportRefused> {
  const fh = await openFile(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const encrypted = buf.subarray(0, bytesRead).includes(Buffer.from('EncryptionInfo', 'utf16le'));
    return new ImportRefused(encrypted ? 'imports.refused.password' : 'imports.refused.xls');
  } finally {
    await fh.close();
  }
}

export function refuseBroken(): ImportRefused {
  return new ImportRefused('imports.refused.brokenZip');
}

/** An opened workbook archive: its entries by name, read with a shared expanded-size budget. */
export class Archive {
  private expanded = 0;
  private constructor(private readonly zip: yauzl.ZipFile, readonly entries: Map<string, yauzl.Entry>, private readonly limits: WorkbookLimits) {}

  static async open(file: string, limits: WorkbookLimits): Promise<Archive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(refuseBroken()) : resolve(z!)));
    });
    const entries = new Map<string, yauzl.Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (e: yauzl.Entry) => {
          if (entries.size >= limits.maxEntries) return reject(new ImportRefused('imports.refused.expandsTooLarge'));
          entries.set(e.fileName.replace(/^\/+/, ''), e);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', () => reject(refuseBroken()));
        zip.readEntry();
      });
    } catch (err) {
      zip.close();
      throw err;
    }
    return new Archive(zip, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Streams an entry's bytes; refuses when the entries read so far would expand past the limit. */
  async stream(name: string): Promise<Readable> {
    const e = this.entries.get(name);
    if (!e) throw refuseBroken();
    if (e.isEncrypted()) throw new ImportRefused('imports.refused.password');
    this.expanded += e.uncompressedSize;
    if (this.expanded > this.limits.maxExpanded) throw new ImportRefused('imports.refused.expandsTooLarge');
    return new Promise<Readable>((resolve, reject) => {
      this.zip.openReadStream(e, (err, s) => (err ? reject(refuseBroken()) : resolve(s!)));
    });
  }

  /** Refuses an entry that would be held in memory whole and expands past the limit for that. */
  checkInMemory(name: string): void {
    const e = this.entries.get(name);
    if (e && e.uncompressedSize > (this.limits.maxInMemory ?? Infinity)) throw new ImportRefused('imports.refused.expandsTooLarge');
  }

  /** A whole (small) entry as text. */
  async text(name: string): Promise<string> {
    this.checkInMemory(name);
    const chunks: Buffer[] = [];
    try {
      for await (const c of await this.stream(name)) chunks.push(c as Buffer);
    } catch (err) {
      throw err instanceof ImportRefused ? err : refuseBroken();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}

export const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses XML from a stream; `onChunk` runs after each chunk's events (for backpressure downstream). */
export async function parseXml(stream: Readable, handlers: {
  open?(tag: SaxesTagPlain): void; close?(name: string): void; text?(t: string): void;
}, onChunk?: () => Promise<void>): Promise<void> {
  const p = new SaxesParser({ xmlns: false });
  let failure: Error | null = null;
  p.on('error', (e) => { failure ??= e; });
  if (handlers.open) p.on('opentag', (t) => handlers.open!(t as SaxesTagPlain));
  if (handlers.close) p.on('closetag', (t) => handlers.close!(local(t.name)));
  if (handlers.text) {
    p.on('text', handlers.text);
    p.on('cdata', handlers.text);
  }
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) {
      p.write(chunk as string);
      if (failure) throw failure;
      if (onChunk) await onChunk();
    }
    p.close();
  } catch (err) {
    stream.destroy();
    if (err instanceof ImportRefused) throw err;
    throw refuseBroken();
  }
  if (failure) throw refuseBroken();
}

export function attr(t: SaxesTagPlain, name: string): string | undefined {
  for (const [k, v] of Object.entries(t.attributes)) if (local(k) === name) return v as string;
  return undefined;
}

/** XML character references and the five named entities, decoded (attribute values read by regular expression). */
export function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
  });
}

