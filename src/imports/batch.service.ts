// runBatch: the skeleton both imports share. It reads the file, hands each row to the import's row handler
// and writes in short transactions (a few tens of milliseconds each), so other users' pages, logins and
// saves interleave with a long import. For the user it stays all or nothing: the batch is marked running
// until its last step commits it, and a batch that fails or is interrupted is rolled back (by this run, or
// by the next holder of the import lock after a crash). A dry run reads only and writes nothing.
import type { Knex } from 'knex';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit.queries.js';
import { readBatches, type CsvRecord, type Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { dbErrorKey, errorKeyOf } from '../http/db-errors.js';
import { log, logError } from '../log.js';
import { batchStatus, findJob, insertJob, insertRunningBatch, updateJob } from './imports.jobs.queries.js';
import { isConnectionError, stepCost, waitForDatabase, writeStepMs } from '../db.js';
import { ImportConnectionLost, ImportInterrupted, OWNER, acquireImportLock, heartbeat, jobSignal, recoverIfIdle, releaseImportLock, type LockWaitInfo } from './jobs.service.js';
import { rollbackBatchSteps, type RollbackMode, type StepRunner } from './imports.rollback.queries.js';
import type { ImportCounts } from './rows.domain.js';
import { queueWebhookEvent } from '../webhooks/events.queries.js';

/**
 * How long one write transaction of an import may run on SQLite before it commits and lets others in (writeStepMs):
 * a form saved meanwhile waits at most about this long. 120 ms, not 40: each commit writes the step's pages (and the
 * search index's) to the WAL, and with three times fewer commits 100,000 rows took 1.52× the bare insert instead of
 * 1.87× (`npm run bench -- --only import`, quiet machine), while pages and saves during the import stayed as fast
 * (page p99 52 ms, 0 failed saves; 50 connections during a 50,000-row import: p99 345 ms). 240 ms gained nothing more.
 */
export const STEP_MS = 120;

export interface BatchRun {
  file: string;
  filename: string;
  detection: Pick<Detection, 'encoding' | 'delimiter' | 'headerRow' | 'headers'> & { size?: number };
  entity: 'people' | 'engagements';
  policy: string;
  mapping: unknown;
  dryRun: boolean;
  actor: Actor;
  /** the batch's time: its created_at and every row it writes (undo tells later edits by it) */
  now: string;
  /** the job this run reports to (the wizard makes one first); a commit without one gets its own */
  jobId?: number | null;
  onProgress?: (bytesRead: number) => void;
  /** called once when another import holds the lock and this one waits */
  onWait?: (info: LockWaitInfo) => void;
  signal?: AbortSignal;
}

/** What a row handler gets: the step's query builder (a transaction, or the database in a dry run). */
export interface RowHandler {
  /** the batch exists (commits only): its id and the step's query builder */
  start?(batchId: number, q: Knex): Promise<void>;
  /** before each step: the step's query builder */
  step(q: Knex): void;
  /** before the rows of a step: look up what they will need in bulk */
  prefetch?(recs: CsvRecord[]): Promise<void>;
  row(rec: CsvRecord): Promise<void>;
  /** at the end of each step, still inside its transaction */
  flush(): Promise<void>;
  /** inside the last step: the counts to store on the batch */
  finish(q: Knex): Promise<void>;
}

/** Runs one short transaction: the lock's heartbeat first (which also takes the write lock at once), then fn. */
export function stepRunner(db: Knex, jobId: number | null): StepRunner {
  return (fn) => db.transaction(async (trx) => {
    await heartbeat(trx, jobId);
    return fn(trx);
  });
}

/**
 * Reads the file and feeds every row after the header to the handler, in steps; returns the batch id
 * (null for a dry run). `counts.rows` is kept here. Throws ImportRefused for a file with no rows.
 */
export async function runBatch(db: Knex, run: BatchRun, counts: ImportCounts, handler: RowHandler): Promise<number | null> {
  const signals = [jobSignal(), ...(run.signal ? [run.signal] : [])];
  const aborted = () => signals.some((s) => s.aborted);
  let bytes = 0;
  const reader = () => readBatches(run.file, { ...run.detection, onBytes: (n) => { bytes += n; run.onProgress?.(bytes); } });
  // rows per step, adjusted after each step so that one takes about stepMs
  const stepMs = writeStepMs(db, STEP_MS);
  const spent = stepCost(db, stepMs);
  let size = 50;
  const slices = async function* () {
    for await (const batch of reader()) {
      const rows = batch.filter((r) => r.row > run.detection.headerRow);
      for (let i = 0; i < rows.length;) {
        const slice = rows.slice(i, i + size);
        i += slice.length;
        const started = spent.start();
        yield slice;
        size = Math.max(10, Math.min(2000, Math.round(size * Math.min(2, stepMs / Math.max(1, spent.since(started))))));
      }
    }
  };
  const stepRows = async (slice: CsvRecord[]) => {
    await handler.prefetch?.(slice);
    for (const rec of slice) {
      counts.rows++;
      await handler.row(rec);
    }
    await handler.flush();
  };
  if (run.dryRun) {
    handler.step(db);
    if (run.jobId) await updateJob(db, run.jobId, { status: 'running', started: true });
    let last = Date.now();
    for await (const slice of slices()) {
      if (aborted()) throw new ImportInterrupted();
      await stepRows(slice);
      if (Date.now() - last > 500 && run.jobId) {
        last = Date.now();
        await updateJob(db, run.jobId, { status: 'running', bytes, rows_done: counts.rows });
      }
    }
    if (counts.rows === 0) throw new ImportRefused('imports.refused.headerOnly', { row: run.detection.headerRow });
    return null;
  }
  const jobId = run.jobId ?? await insertJob(db, {
    kind: 'commit', entity: run.entity, source: run.actor.source === 'cli' ? 'cli' : 'web', filename: run.filename, userId: run.actor.userId,
    total: run.detection.size ?? 0, owner: OWNER,
  });
  const signal = AbortSignal.any(signals);
  const started = Date.now();
  await acquireImportLock(db, jobId, { onWait: run.onWait, signal, rollback: async (id, status) => { await rollbackBatch(db, id, status === 'undoing' ? 'undo' : 'abort', SYSTEM_ACTOR, jobId); } });
  let batchId: number | null = null;
  try {
    await updateJob(db, jobId, { status: 'running', started: true });
    const step = stepRunner(db, jobId);
    batchId = await step(async (trx) => {
      handler.step(trx);
      const n = await insertRunningBatch(trx, {
        userId: run.actor.userId, source: run.actor.source === 'cli' ? 'cli' : 'web', entity: run.entity, filename: run.filename,
        policy: run.policy, mapping: run.mapping, createdAt: run.now,
      });
      await updateJob(trx, jobId, { batch_id: n });
      await handler.start?.(n, trx);
      return n;
    });
    for await (const slice of slices()) {
      if (aborted()) throw new ImportInterrupted();
      await step(async (trx) => {
        handler.step(trx);
        await stepRows(slice);
        await updateJob(trx, jobId, { bytes, rows_done: counts.rows });
      });
    }
    if (counts.rows === 0) throw new ImportRefused('imports.refused.headerOnly', { row: run.detection.headerRow });
    await step(async (trx) => {
      handler.step(trx);
      await handler.finish(trx);
      log().info({ job: jobId, batch: batchId, entity: run.entity, rows: counts.rows, ms: Date.now() - started }, 'import committed');
      await updateJob(trx, jobId, { status: 'done', bytes, rows_done: counts.rows, finished: true });
      await queueWebhookEvent(trx, 'import.finished', { batch: batchId, entity: run.entity, ...counts });
    });
    return batchId;
  } catch (err) {
    if (isConnectionError(err)) {
      const outcome = await afterLostConnection(db, jobId, batchId, signal);
      if (outcome === 'committed') return batchId ?? (await findJob(db, jobId))?.batch_id ?? null;
      throw new ImportConnectionLost(outcome === 'rolled back');
    }
    const interrupted = err instanceof ImportInterrupted;
    log().warn({ job: jobId, batch: batchId, entity: run.entity, rows: counts.rows, ms: Date.now() - started, outcome: interrupted ? 'interrupted' : 'failed', reason: err instanceof ImportRefused ? err.key : errorKeyOf(err) }, 'import rolled back');
    if (!interrupted && !(err instanceof ImportRefused) && !dbErrorKey(err)) logError(err, { job: jobId }, 'import failed');
    try {
      if (batchId !== null) await rollbackBatch(db, batchId, 'abort', SYSTEM_ACTOR, jobId);
    } finally {
      await updateJob(db, jobId, {
        status: interrupted ? 'interrupted' : 'failed', finished: true,
        error: err instanceof ImportRefused ? { key: err.key, vars: err.vars } : { key: interrupted ? 'imports.interrupted' : errorKeyOf(err), vars: {} },
      }).catch(() => undefined);
    }
    throw err;
  } finally {
    await releaseImportLock(db).catch(() => undefined);
  }
}

/** How long an import whose database connection was lost waits for the database to come back. */
export const RECONNECT_MS = 60_000;

/**
 * The connection was lost in the middle of a commit: wait for the database, then find out what happened.
 * The step that was in flight either committed or not (PostgreSQL rolls back an open transaction whose
 * connection ends), so the batch in the database is the truth: committed when the last step got through,
 * else it is rolled back here. When the database stays away, the batch stays marked running and the next
 * holder of the import lock (or the next start of Skillnet) rolls it back.
 */
async function afterLostConnection(db: Knex, jobId: number, known: number | null, signal: AbortSignal): Promise<'committed' | 'rolled back' | 'left'> {
  log().warn({ job: jobId, batch: known }, 'import lost its database connection; waiting for the database');
  if (!(await waitForDatabase(db, RECONNECT_MS, signal))) {
    log().warn({ job: jobId, batch: known }, 'the database did not come back; the batch is rolled back by the next import or start-up');
    return 'left';
  }
  try {
    // the first step writes the batch and the job's batch_id together: if it got through, the job says so
    const batchId = known ?? (await findJob(db, jobId))?.batch_id ?? null;
    const status = batchId === null ? null : await batchStatus(db, batchId);
    if (status === 'committed') {
      log().info({ job: jobId, batch: batchId }, 'import committed before the connection was lost');
      await updateJob(db, jobId, { status: 'done', finished: true });
      return 'committed';
    }
    if (batchId !== null && status !== null) await rollbackBatch(db, batchId, 'abort', SYSTEM_ACTOR, jobId);
    await updateJob(db, jobId, { status: 'interrupted', finished: true, error: { key: 'imports.connectionLost', vars: {} } });
    log().warn({ job: jobId, batch: batchId }, 'import rolled back after a lost database connection');
    return 'rolled back';
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    return 'left';
  }
}

/** Takes a batch back in short steps (the caller holds the import lock, as `jobId`). */
export function rollbackBatch(db: Knex, batchId: number, mode: RollbackMode, actor: Actor, jobId: number | null): Promise<{ deleted: number; restored: number }> {
  return rollbackBatchSteps(db, stepRunner(db, jobId), batchId, mode, actor);
}

/** At start-up: rolls back batches that a crashed or killed process left half written (see recoverIfIdle). */
export function recoverImports(db: Knex): Promise<number> {
  return recoverIfIdle(db, async (id, status) => {
    await rollbackBatch(db, id, status === 'undoing' ? 'undo' : 'abort', SYSTEM_ACTOR, null);
  });
}
