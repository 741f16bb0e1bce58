// What undoing an import batch would touch: counts of its changes and the people changed since the batch
// (undo.service.ts decides what to do with them).
import type { Knex } from 'knex';
import { rawRows } from '../db.js';

export interface UndoConflictRow {
  person_id: number;
  first_name: string;
  last_name: string;
  action: 'create' | 'update';
  reason: 'edited' | 'engagements';
}

/** How many people the batch created and how many update / engagement changes it recorded. */
export async function batchChangeCounts(db: Knex, batchId: number): Promise<{ created: number; update: number; engagement: number; engagement_update: number }> {
  const counts = await db('import_changes').where({ batch_id: batchId }).whereIn('action', ['update', 'engagement', 'engagement_update'])
    .groupBy('action').select('action', db.raw('count(*) as n'));
  const n = (a: string) => Number(counts.find((c) => c.action === a)?.n ?? 0);
  const created = await db('people').where({ created_by_batch_id: batchId }).count<{ n: number }[]>({ n: '*' });
  return { created: Number(created[0]?.n ?? 0), update: n('update'), engagement: n('engagement'), engagement_update: n('engagement_update') };
}

// created people (people.created_by_batch_id) edited since the batch or with work recorded since; updated people edited since
const CONFLICTS_SQL = `
    select p.id as person_id, p.first_name, p.last_name, 'create' as action,
      case when p.updated_at <> b.created_at then 'edited' else 'engagements' end as reason, p.id as ord
    from people p join import_batches b on b.id = p.created_by_batch_id
    where p.created_by_batch_id = ? and (p.updated_at <> b.created_at or exists (select 1 from engagements e where e.person_id = p.id))
    union all
    select p.id, p.first_name, p.last_name, 'update', 'edited', c.id
    from import_changes c join people p on p.id = c.person_id
    where c.batch_id = ? and c.action = 'update' and p.updated_at <> c.applied_at`;

/** The first `limit` people changed since the batch, and how many there are in all. */
export async function undoConflicts(db: Knex, batchId: number, limit: number): Promise<{ rows: UndoConflictRow[]; total: number }> {
  const rows = await rawRows<UndoConflictRow & { ord?: number }>(db, `${CONFLICTS_SQL} order by action, ord limit ?`, [batchId, batchId, limit]);
  const total = await rawRows<{ n: number }>(db, `select count(*) as n from (${CONFLICTS_SQL}) as t`, [batchId, batchId]);
  return { rows: rows.map(({ ord: _ord, ...r }) => r), total: Number(total[0]?.n ?? 0) };
}

/** The batch's status and undo mark, read fresh (undo re-checks it under the import lock). */
export function batchForUndo(db: Knex, batchId: number): Promise<{ id: number; status: string; undone_at: string | null; entity: string; filename: string } | undefined> {
  return db('import_batches').where({ id: batchId }).first('id', 'status', 'undone_at', 'entity', 'filename');
}
