import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { ZipWriter, dosDateTime } from '../../src/exports/zip.writer.js';
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

describe('exports: ZIP writer', () => {
  it('writes deflated UTF-8 entries a reader (and unzip) takes apart again', async () => {
    const { out, bytes } = collect();
    const zip = new ZipWriter(out, new Date(2026, 10, 27, 14, 30, 10));
    const big = Array.from({ length: 20000 }, (_, i) => `${i},Jürgen Müller,=not a formula,"line\nbreak"\r\n`);
    expect(await zip.add('people.csv', (s) => fillWith(s, big))).to.equal(20000);
    await zip.add('leer.csv', (s) => fillWith(s, []));
    await zip.add('Übersicht.csv', (s) => fillWith(s, ['\uFEFFa;b\r\n']));
    await zip.finish();
    const file = bytes();
    const entries = readZip(file);
    expect(entries.map((e) => e.name)).to.deep.equal(['people.csv', 'leer.csv', 'Übersicht.csv']);
    expect(entries[0]!.data.toString('utf8')).to.equal(big.join(''));
    expect(entries[1]!.data.length).to.equal(0);
    expect(entries[2]!.data.toString('utf8')).to.equal('\uFEFFa;b\r\n');
    expect(file.length).to.be.lessThan(Buffer.byteLength(big.join('')) / 5);

    const tool = spawnSync('unzip', ['-v'], { encoding: 'utf8' });
    if (tool.status !== 0) return; // unzip not installed: the reader above checked the structure
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-zip-'));
    try {
      writeFileSync(path.join(dir, 'x.zip'), file);
      const test = spawnSync('unzip', ['-t', path.join(dir, 'x.zip')], { encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).to.equal(0);
      expect(test.stdout).to.contain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty archive is valid too', async () => {
    const { out, bytes } = collect();
    const zip = new ZipWriter(out);
    await zip.finish();
    expect(bytes().length).to.equal(22);
    expect(readZip(bytes())).to.deep.equal([]);
  });

  it('stops with an error when the receiver goes away', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const zip = new ZipWriter(out);
    setTimeout(() => out.destroy(), 10);
    let err: unknown = null;
    try {
      await zip.add('x.csv', (s) => fillWith(s, Array.from({ length: 10000 }, (_, i) => `${i} ${Math.random()}\n`)));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.an('error');
  });

  it('MS-DOS time stamps', () => {
    expect(dosDateTime(new Date(2026, 10, 27, 14, 30, 11))).to.deep.equal({ time: (14 << 11) | (30 << 5) | 5, date: (46 << 9) | (11 << 5) | 27 });
    expect(dosDateTime(new Date(1970, 0, 1)).date >> 9).to.equal(0);
  });
});
