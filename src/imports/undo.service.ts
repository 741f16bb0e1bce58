// Undoing an import batch: created people removed, updated people restored from the change records,
// skills and tags the batch created removed when nothing uses them any more. In short steps
// (imports.rollback.queries.ts); a crash half way is finished by the next holder of the import lock.
import type { Knex } from 'knex';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit.queries.js';
import { rollbackBatch } from './batch.service.js';
import { OWNER, acquireImportLock, releaseImportLock } from './jobs.service.js';
import { insertJob, updateJob } from './imports.jobs.queries.js';
import { batchChangeCounts, batchForUndo, undoConflicts, type UndoConflictRow } from './imports.undo.queries.js';

/** A person changed since the batch; reason: 'edited' (changed after the import) or 'engagements' (work recorded since). */
export type UndoConflict = UndoConflictRow;

export interface UndoImpact {
  created: number;
  updated: number;
  engagements: number;
  engagementUpdates: number;
  conflicts: UndoConflict[];
  conflictCount: number;
}

/** What undoing a batch would do, and which of its people were changed since (those need a confirmation). */
export async function undoImpact(db: Knex, batchId: number, limit = 200): Promise<UndoImpact> {
  const counts = await batchChangeCounts(db, batchId);
  const { rows, total } = await undoConflicts(db, batchId, limit);
  return {
    created: counts.created, updated: counts.update, engagements: counts.engagement, engagementUpdates: counts.engagement_update,
    conflicts: rows, conflictCount: total,
  };
}

export class UndoConflictError extends Error {
  constructor(public readonly impact: UndoImpact) {
    super('people were changed after the import');
  }
}

/**
 * Undoes a batch, in short steps under the import lock (it waits for a running import). Without `force`,
 * throws UndoConflictError when people were changed since; with it, the import's fields are restored over
 * those later edits. Returns how many people were removed and restored.
 */
export async function undoBatch(db: Knex, actor: Actor, batchId: number, opts: { force: boolean; onWait?: () => void }): Promise<{ deleted: number; restored: number }> {
  const batch = await batchForUndo(db, batchId);
  if (!batch || batch.undone_at || batch.status !== 'committed') throw new Error('batch not found or already undone');
  if (!opts.force) {
    const impact = await undoImpact(db, batchId);
    if (impact.conflictCount > 0) throw new UndoConflictError(impact);
  }
  const jobId = await insertJob(db, { kind: 'undo', entity: batch.entity, source: actor.source === 'cli' ? 'cli' : 'web', filename: batch.filename, userId: actor.userId, total: 0, owner: OWNER });
  await acquireImportLock(db, jobId, { onWait: opts.onWait, rollback: async (id, status) => { await rollbackBatch(db, id, status === 'undoing' ? 'undo' : 'abort', SYSTEM_ACTOR, jobId); } });
  try {
    await updateJob(db, jobId, { status: 'running', batch_id: batchId });
    const fresh = await batchForUndo(db, batchId);
    if (fresh?.status !== 'committed') throw new Error('batch not found or already undone');
    const done = await rollbackBatch(db, batchId, 'undo', actor, jobId);
    await updateJob(db, jobId, { status: 'done', finished: true });
    return done;
  } catch (err) {
    await updateJob(db, jobId, { status: 'failed', finished: true, error: { key: 'errors.500', vars: {} } }).catch(() => undefined);
    throw err;
  } finally {
    await releaseImportLock(db).catch(() => undefined);
  }
}
