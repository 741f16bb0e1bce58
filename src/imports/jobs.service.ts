// One import writes at a time, across processes and instances: the lock row in the database says who. A
// waiting job polls (asynchronously) and says so; a holder that died (its process is gone, or its heartbeat
// stopped) loses the lock, and whoever takes it over first rolls back what the dead one left half written.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { beatLock, readLock, releaseLock, takeLock, unfinishedBatches, unfinishedJobs, updateJob, type LockRow } from './imports.jobs.queries.js';

/** This process: host, pid and a random part (several app instances may share a host). */
export const OWNER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** A holder whose heartbeat is older than this is taken for dead (other hosts; same-host holders are checked by pid). */
export const STALE_MS = 60_000;
const POLL_MS = 250;

export class ImportInterrupted extends Error {
  constructor() {
    super('the import was interrupted');
  }
}

/** The database connection was lost during a commit; `rolledBack`: it came back and the batch was taken back. */
export class ImportConnectionLost extends Error {
  constructor(readonly rolledBack: boolean) {
    super(rolledBack ? 'the database connection was lost; the import was rolled back' : 'the database connection was lost and did not come back');
  }
}

/** Whether the process that wrote `owner` still runs (by pid on this host, by heartbeat elsewhere). */
export function ownerAlive(owner: string | null, heartbeatAt: string | null, now = Date.now()): boolean {
  if (!owner) return false;
  if (owner === OWNER) return true;
  const [host, pid] = owner.split(':');
  if (host === os.hostname() && pid && /^\d+$/.test(pid)) {
    if (Number(pid) === process.pid) return false; // an earlier life of this pid's owner string: not us
    try {
      process.kill(Number(pid), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    }
    return true;
  }
  return heartbeatAt !== null && now - Date.parse(heartbeatAt) < STALE_MS;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ImportInterrupted());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ImportInterrupted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface LockWaitInfo {
  holder: LockRow;
}

/**
 * Waits (polling, never blocking the event loop) until this process holds the import lock for `jobId`; calls
 * onWait once when it has to wait. Having taken it, it first rolls back batches a dead holder left behind.
 */
export async function acquireImportLock(db: Knex, jobId: number | null, opts: { onWait?: (info: LockWaitInfo) => void; signal?: AbortSignal; rollback: (batchId: number, status: string) => Promise<void> }): Promise<void> {
  let told = false;
  for (;;) {
    if (opts.signal?.aborted) throw new ImportInterrupted();
    const lock = await readLock(db);
    const free = lock.owner === null;
    const dead = !free && !ownerAlive(lock.owner, lock.heartbeat_at);
    if ((free || dead) && (await takeLock(db, OWNER, jobId, free ? null : lock))) break;
    if (!told) {
      told = true;
      opts.onWait?.({ holder: lock });
    }
    if (jobId !== null) await updateJob(db, jobId, { status: 'waiting' });
    await sleep(POLL_MS, opts.signal);
  }
  try {
    await recoverUnderLock(db, jobId, opts.rollback);
  } catch (err) {
    await releaseLock(db, OWNER);
    throw err;
  }
}

/** Holding the lock: jobs of dead processes are marked interrupted, and half-written batches rolled back. */
async function recoverUnderLock(db: Knex, jobId: number | null, rollback: (batchId: number, status: string) => Promise<void>): Promise<void> {
  for (const job of await unfinishedJobs(db)) {
    if (job.id === jobId || ownerAlive(job.owner, job.heartbeat_at)) continue;
    await updateJob(db, job.id, { status: 'interrupted', finished: true });
  }
  // whoever holds the lock is the only writer of batches: any batch still running or undoing was left by a dead one
  for (const b of await unfinishedBatches(db)) {
    await rollback(b.id, b.status);
    await beatLock(db, OWNER, jobId);
  }
}

/**
 * At start-up: when no live process holds the import lock, take it, mark the jobs of dead processes as
 * interrupted and roll back what they left half written; then let go. Returns how many batches it rolled back.
 */
export async function recoverIfIdle(db: Knex, rollback: (batchId: number, status: string) => Promise<void>): Promise<number> {
  const lock = await readLock(db);
  if (lock.owner !== null && ownerAlive(lock.owner, lock.heartbeat_at)) return 0;
  if (!(await takeLock(db, OWNER, null, lock.owner === null ? null : lock))) return 0;
  let n = 0;
  try {
    await recoverUnderLock(db, null, async (id, status) => {
      n++;
      await rollback(id, status);
    });
  } finally {
    await releaseLock(db, OWNER);
  }
  return n;
}

export async function releaseImportLock(db: Knex): Promise<void> {
  await releaseLock(db, OWNER);
}

/** Moves the heartbeat on; throws ImportInterrupted when another process took the lock over (we were taken for dead). */
export async function heartbeat(q: Knex, jobId: number | null): Promise<void> {
  if (!(await beatLock(q, OWNER, jobId))) throw new ImportInterrupted();
}

/**
 * Background jobs of this process, so shutdown can stop them: each gets an AbortSignal that ends it at its
 * next step (a commit then rolls its batch back), and shutdown waits for them to finish.
 */
const running = new Set<Promise<unknown>>();
let stopping = new AbortController();

export function jobSignal(): AbortSignal {
  return stopping.signal;
}

export function trackJob<T>(p: Promise<T>): Promise<T> {
  running.add(p);
  const done = () => running.delete(p);
  p.then(done, done);
  return p;
}

/** Stops this process's import jobs (at their next step) and waits for them, at most `waitMs`. */
export async function stopImportJobs(waitMs = 20_000): Promise<void> {
  stopping.abort();
  const all = Promise.allSettled([...running]);
  await Promise.race([all, new Promise((r) => setTimeout(r, waitMs).unref())]);
  stopping = new AbortController();
}
