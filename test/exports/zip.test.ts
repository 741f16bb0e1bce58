import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { ZipWriter } from '../../src/exports/zip.writer.js';
import { readZip } from './helpers.js';

function collect(): { out: PassThrough; bytes: () => Buffer } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, bytes: () => Buffer.concat(chunks) };
}

async function fillWith(sink: Writable, parts: (string | Buffer)[]): Promise<number> {
  for (const p of parts) if (!sink.write(p)) await new Promise((r) => sink.once('drain', r));
  sink.end();
  return parts.length;
}

const BIG = Array.from({ length: 20000 }, (_, i) => `${i},Jürgen Müller,=not a formula,"line\nbreak"\r\n`);

async function sampleZip(): Promise<Buffer> {
  const { out, bytes } = collect();
  const zip = new ZipWriter(out, new Date(2026, 10, 27, 14, 30, 10));
  expect(await zip.add('people.csv', (s) => fillWith(s, BIG))).to.equal(20000);
  await zip.add('leer.csv', (s) => fillWith(s, []));
  await zip.add('Übersicht.csv', (s) => fillWith(s, ['\uFEFFa;b\r\n']));
  await zip.finish();
  return bytes();
}

describe('exports: ZIP writer (yazl)', () => {
  it('writes deflated UTF-8 entries a reader takes apart again, CRCs and sizes checked', async () => {
    const file = await sampleZip();
    const entries = await readZip(file);
    expect(entries.map((e) => e.name)).to.deep.equal(['people.csv', 'leer.csv', 'Übersicht.csv']);
    expect(entries[0]!.data.toString('utf8')).to.equal(BIG.join(''));
    expect(entries[1]!.data.length).to.equal(0);
    expect(entries[2]!.data.toString('utf8')).to.equal('\uFEFFa;b\r\n');
    expect(file.length).to.be.lessThan(Buffer.byteLength(BIG.join('')) / 5);
  });

  it('Info-ZIP unzip tests the archive without errors and lists the names', async function () {
    if (spawnSync('unzip', ['-v'], { encoding: 'utf8' }).status !== 0) this.skip(); // shown as skipped, not passed
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-zip-'));
    try {
      writeFileSync(path.join(dir, 'x.zip'), await sampleZip());
      const test = spawnSync('unzip', ['-t', path.join(dir, 'x.zip')], { encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).to.equal(0);
      expect(test.stdout).to.contain('No errors detected');
      for (const name of ['people.csv', 'leer.csv', 'Übersicht.csv']) expect(test.stdout).to.contain(`testing: ${name}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty archive is valid too', async () => {
    const { out, bytes } = collect();
    const zip = new ZipWriter(out);
    await zip.finish();
    expect(bytes().length).to.equal(22);
    expect(await readZip(bytes())).to.deep.equal([]);
  });

  it('stops with an error when the receiver goes away', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const zip = new ZipWriter(out);
    setTimeout(() => out.destroy(), 10);
    let err: unknown = null;
    try {
      await zip.add('x.csv', (s) => fillWith(s, Array.from({ length: 200000 }, (_, i) => `${i} ${Math.random()}\n`)));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.an('error');
    expect((err as { code?: string }).code).to.equal('ERR_STREAM_PREMATURE_CLOSE');
    let again: unknown = null;
    await zip.add('y.csv', (s) => fillWith(s, ['a'])).catch((e: unknown) => (again = e));
    expect(again, 'a writer whose receiver left refuses more entries').to.be.an('error');
  });

  it('keeps the time stamp given (as MS-DOS time in the headers)', async () => {
    const entries: { mtime: Date }[] = [];
    const { default: yauzl } = await import('yauzl');
    const file = await sampleZip();
    await new Promise<void>((resolve, reject) => yauzl.fromBuffer(file, { lazyEntries: false }, (err, z) => {
      if (err) return reject(err);
      z.on('entry', (e: import('yauzl').Entry) => entries.push({ mtime: e.getLastModDate() }));
      z.on('end', () => resolve());
    }));
    expect(entries).to.have.length(3);
    for (const e of entries) expect(e.mtime.getTime()).to.equal(new Date(2026, 10, 27, 14, 30, 10).getTime());
  });
});
