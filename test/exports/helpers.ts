// Shared by the export tests: a ZIP reader (yauzl, the reading half of yazl's author's pair) that checks what
// unzip checks: the central directory, each local header, sizes, and the CRC-32 of every entry's data.
import crc32 = require('buffer-crc32');
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Reads every entry of a ZIP held in memory; rejects anything malformed or any entry whose CRC-32 is wrong. */
export function readZip(zip: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, file) => {
      if (err) return reject(err);
      const out: ZipEntry[] = [];
      file.on('error', reject);
      file.on('end', () => resolve(out));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (err2, stream) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            const data = Buffer.concat(chunks);
            if (crc32.unsigned(data) !== entry.crc32) return reject(new Error(`${entry.fileName}: CRC mismatch`));
            out.push({ name: entry.fileName, data });
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

