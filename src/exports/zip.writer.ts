// The whole-network ZIP, written by yazl: deflated entries with UTF-8 names and data descriptors (so an entry
// streams without its size being known first), and ZIP64 records as soon as an entry or the archive passes
// 4 GiB. This wrapper feeds yazl one entry at a time with backpressure from the receiver (a download), so a
// large export never sits in memory or on disk, and stops when the receiver goes away.
import { Transform, type Writable } from 'node:stream';
import yazl from 'yazl';

/** zlib works on the thread pool per write; CSV arrives a record at a time, so hand it 64 KiB at a time. */
const BATCH = 64 * 1024;

function batcher(): Transform {
  let pending: Buffer[] = [];
  let bytes = 0;
  const take = () => {
    const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, bytes);
    pending = [];
    bytes = 0;
    return buf;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      pending.push(chunk);
      bytes += chunk.length;
      done(null, bytes >= BATCH ? take() : undefined);
    },
    flush(done) {
      done(null, bytes ? take() : undefined);
    },
  });
}

function gone(): Error {
  return Object.assign(new Error('the receiver closed the connection'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private failure: Error | null = null;
  private readonly failed: Promise<never>;
  private fail: (err: Error) => void = () => undefined;
  private current: Transform | null = null;
  private finished = false;

  constructor(out: Writable, private readonly when: Date = new Date()) {
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = (err) => {
        if (this.failure) return;
        this.failure = err;
        this.current?.destroy(err);
        reject(err);
      };
    });
    this.failed.catch(() => undefined); // observed by add/finish; never an unhandled rejection
    this.zip.on('error', (err: Error) => this.fail(err));
    this.zip.outputStream.on('error', (err: Error) => this.fail(err));
    this.zip.outputStream.pipe(out, { end: false });
    out.once('close', () => {
      if (!this.finished) this.fail(gone());
    });
    out.once('error', (err: Error) => this.fail(err));
  }

  /** Adds one entry: `fill` writes the content into the stream it is given and ends it. */
  async add<T>(name: string, fill: (sink: Writable) => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure;
    const sink = batcher();
    // yazl listens to no errors on an entry's stream; ours are reported through `failed` (and fill's own pipeline)
    sink.on('error', () => undefined);
    this.current = sink;
    this.zip.addReadStream(sink, name, { mtime: this.when, compress: true });
    try {
      return await Promise.race([fill(sink), this.failed]);
    } finally {
      this.current = null;
    }
  }

  /** Writes the central directory and waits until all of the archive went to the destination; the caller ends it. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    const ended = new Promise<void>((resolve) => this.zip.outputStream.once('end', resolve));
    this.zip.end();
    await Promise.race([ended, this.failed]);
    this.finished = true;
  }
}
