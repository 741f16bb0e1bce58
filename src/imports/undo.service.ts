// Undoing an import batch: created people removed, updated people restored from the change records,
// skills and tags the batch created removed when nothing uses them any more. In short steps
// (imports.rollback.queries.ts); a crash half way is finished by the next holder of the import lock.
import type { Knex } from 'knex';
import { rawRows } from '../db.js';
import { SYSTEM_ACTOR, type Actor } from '../audit/audit.queries.js';
import { rollbackBatch } from './batch.service.js';
import { OWNER, acquireImportLock, releaseImportLock } from './jobs.service.js';
import { insertJob, updateJob } from './imports.jobs.queries.js';

export interface UndoConflict {
  person_id: number;
  first_name: string;
  last_name: string;
  action: 'create' | 'update';
  /** what happened since: 'edited' (changed after the import) or 'engagements' (work recorded since) */
  reason: 'edited' | 'engagements';
}

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
  const counts = await db('import_changes').where({ batch_id: batchId }).whereIn('action', ['update', 'engagement', 'engagement_update'])
    .groupBy('action').select('action', db.raw('count(*) as n'));
  const n = (a: string) => Number(counts.find((c) => c.action === a)?.n ?? 0);
  const created = await db('people').where({ created_by_batch_id: batchId }).count<{ n: number }[]>({ n: '*' });
  // created people (people.created_by_batch_id) edited since the batch or with work recorded since; updated people edited since
  const sql = `
    select p.id as person_id, p.first_name, p.last_name, 'create' as action,
      case when p.updated_at <> b.created_at then 'edited' else 'engagements' end as reason, p.id as ord
    from people p join import_batches b on b.id = p.created_by_batch_id
    where p.created_by_batch_id = ? and (p.updated_at <> b.created_at or exists (select 1 from engagements e where e.person_id = p.id))
    union all
    select p.id, p.first_name, p.last_name, 'update', 'edited', c.id
    from import_changes c join people p on p.id = c.person_id
    where c.batch_id = ? and c.action = 'update' and p.updated_at <> c.applied_at`;
  const rows = await rawRows<UndoConflict & { ord?: number }>(db, `${sql} order by action, ord limit ?`, [batchId, batchId, limit]);
  const total = await rawRows<{ n: number }>(db, `select count(*) as n from (${sql}) as t`, [batchId, batchId]);
  return {
    created: Number(created[0]?.n ?? 0), updated: n('update'), engagements: n('engagement'), engagementUpdates: n('engagement_update'),
    conflicts: rows.map(({ ord: _ord, ...r }) => r), conflictCount: Number(total[0]?.n ?? 0),
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
  const batch = await db('import_batches').where({ id: batchId }).first();
  if (!batch || batch.undone_at || batch.status !== 'committed') throw new Error('batch not found or already undone');
  if (!opts.force) {
    const impact = await undoImpact(db, batchId);
    if (impact.conflictCount > 0) throw new UndoConflictError(impact);
  }
  const jobId = await insertJob(db, { kind: 'undo', entity: batch.entity, source: actor.source === 'cli' ? 'cli' : 'web', filename: batch.filename, userId: actor.userId, total: 0, owner: OWNER });
  await acquireImportLock(db, jobId, { onWait: opts.onWait, rollback: async (id, status) => { await rollbackBatch(db, id, status === 'undoing' ? 'undo' : 'abort', SYSTEM_ACTOR, jobId); } });
  try {
    await updateJob(db, jobId, { status: 'running', batch_id: batchId });
    const fresh = await db('import_batches').where({ id: batchId }).first('status');
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
