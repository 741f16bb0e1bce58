// A small streaming ZIP writer: deflated entries with data descriptors and UTF-8 names, written one after
// another straight into the destination (a download), so a large export never sits in memory or on disk.
// No ZIP64: every entry and the whole archive must stay below 4 GiB (a network of millions of people does).
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';

const MAX32 = 0xffffffff;
const FLAGS = 0x0808; // bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8
const DEFLATE = 8;
const VERSION = 20;
const BATCH = 64 * 1024;

interface Entry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS time and date of a moment (local time, two-second steps; years before 1980 become 1980). */
export function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipTooLarge extends Error {}

export class ZipWriter {
  private offset = 0;
  private readonly entries: Entry[] = [];
  private readonly stamp: { time: number; date: number };

  constructor(private readonly out: Writable, when: Date = new Date()) {
    this.stamp = dosDateTime(when);
  }

  /** Adds one entry: `fill` writes the content into the stream it is given and ends it. */
  async add<T>(name: string, fill: (sink: Writable) => Promise<T>): Promise<T> {
    const nameBuf = Buffer.from(name, 'utf8');
    const offset = this.offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(this.stamp.time, 10);
    local.writeUInt16LE(this.stamp.date, 12);
    // CRC and sizes (14..25) stay 0: the data descriptor after the data carries them
    local.writeUInt16LE(nameBuf.length, 26);
    await this.write(Buffer.concat([local, nameBuf]));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    // CSV arrives a record at a time; zlib works on the thread pool per write, so hand it 64 KiB at a time
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const take = () => {
      const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      crc = crc32(buf, crc);
      size += buf.length;
      return buf;
    };
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        done(null, pendingBytes >= BATCH ? take() : undefined);
      },
      flush(done) {
        done(null, pendingBytes ? take() : undefined);
      },
    });
    const forward = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        compressed += chunk.length;
        this.write(chunk).then(() => done(), done);
      },
    });
    const [filled, flowed] = await Promise.allSettled([fill(meter), pipeline(meter, createDeflateRaw(), forward)]);
    if (flowed.status === 'rejected') throw flowed.reason;
    if (filled.status === 'rejected') throw filled.reason;
    if (size > MAX32 || compressed > MAX32) throw new ZipTooLarge(`${name} is larger than 4 GiB`);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write(descriptor);
    this.entries.push({ name: nameBuf, crc: crc >>> 0, compressed, size, offset });
    return filled.value;
  }

  /** Writes the central directory; the caller ends the destination. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk, internal and external attributes: 0
      h.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
  }

  /** Writes with backpressure; rejects when the destination went away (a download cancelled). */
  private write(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    if (this.offset > MAX32) return Promise.reject(new ZipTooLarge('the archive is larger than 4 GiB'));
    const out = this.out;
    if (out.destroyed || out.writableEnded) return Promise.reject(gone());
    if (out.write(buf)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        out.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        out.off('drain', onDrain);
        reject(gone());
      };
      out.once('drain', onDrain);
      out.once('close', onClose);
    });
  }
}

function gone(): Error {
  return Object.assign(new Error('the receiver closed the connection'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}
