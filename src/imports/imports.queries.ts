// Import history, change records and saved column mappings (reads and small writes through knex).
import type { Knex } from 'knex';
import { nowIso, rawRows } from '../db.js';
import { isTarget, type Target } from './mapping.domain.js';
import type { ImportCounts } from './rows.domain.js';

export interface BatchRow extends ImportCounts {
  id: number;
  user_id: number | null;
  user_email: string | null;
  user_name: string | null;
  source: string;
  entity: string;
  filename: string;
  policy: string;
  mapping: { headers: string[]; targets: Target[] } | null;
  status: string;
  created_at: string;
  undone_at: string | null;
}

function parseBatch(r: Record<string, unknown>): BatchRow {
  let mapping: BatchRow['mapping'] = null;
  try {
    mapping = r.mapping ? JSON.parse(String(r.mapping)) : null;
  } catch {
    mapping = null;
  }
  return { ...(r as unknown as BatchRow), mapping };
}

const BATCH_COLS = ['b.id', 'b.user_id', 'u.email as user_email', 'u.name as user_name', 'b.source', 'b.entity', 'b.filename', 'b.policy',
  'b.mapping', 'b.status', 'b.rows', 'b.created', 'b.updated', 'b.unchanged', 'b.skipped', 'b.errors', 'b.created_at', 'b.undone_at'];

/** Committed batches, newest first, with who ran them. */
export async function listBatches(db: Knex, opts: { limit: number; offset: number }): Promise<{ rows: BatchRow[]; total: number }> {
  const total = await db('import_batches').whereNot({ status: 'running' }).count<{ n: number }[]>({ n: '*' });
  const rows = await db('import_batches as b').leftJoin('users as u', 'u.id', 'b.user_id').whereNot('b.status', 'running')
    .orderBy('b.id', 'desc').limit(opts.limit).offset(opts.offset).select(BATCH_COLS);
  return { rows: rows.map(parseBatch), total: Number(total[0]?.n ?? 0) };
}

/** One batch with who ran it, or undefined. */
export async function findBatch(db: Knex, id: number): Promise<BatchRow | undefined> {
  const r = await db('import_batches as b').leftJoin('users as u', 'u.id', 'b.user_id').where('b.id', id).first(BATCH_COLS);
  return r ? parseBatch(r) : undefined;
}

export interface BatchPerson {
  person_id: number;
  action: 'create' | 'update';
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  fields: string[];
}

/** The people a batch created (people.created_by_batch_id) or changed (its change records), created first. */
export async function batchPeople(db: Knex, batchId: number, opts: { limit: number; offset: number }): Promise<{ rows: BatchPerson[]; total: number }> {
  const sql = `
    select p.id as person_id, 'create' as action, p.first_name, p.last_name, p.email, null as after, 0 as grp, p.id as ord
    from people p where p.created_by_batch_id = ?
    union all
    select c.person_id, 'update', p.first_name, p.last_name, p.email, c.after, 1, c.id
    from import_changes c left join people p on p.id = c.person_id where c.batch_id = ? and c.action = 'update'`;
  const total = await rawRows<{ n: number }>(db, `select count(*) as n from (${sql}) as t`, [batchId, batchId]);
  const rows = await rawRows<BatchPerson & { after: string | null }>(db, `${sql} order by grp, ord limit ? offset ?`, [batchId, batchId, opts.limit, opts.offset]);
  return {
    total: Number(total[0]?.n ?? 0),
    rows: rows.map((r) => {
      let fields: string[] = [];
      try {
        fields = r.action === 'update' && r.after ? Object.keys(JSON.parse(r.after).fields ?? {}) : [];
      } catch {
        fields = [];
      }
      return { person_id: r.person_id, action: r.action, first_name: r.first_name, last_name: r.last_name, email: r.email, fields };
    }),
  };
}

/** The batches that created or changed a person, newest first (a person's page links to them). */
export function personBatches(db: Knex, personId: number): Promise<{ batch_id: number; action: string; filename: string; created_at: string }[]> {
  return rawRows(db, `
    select b.id as batch_id, 'create' as action, b.filename, b.created_at from people p join import_batches b on b.id = p.created_by_batch_id
    where p.id = ? and b.undone_at is null
    union all
    select b.id, 'update', b.filename, b.created_at from import_changes c join import_batches b on b.id = c.batch_id
    where c.person_id = ? and c.action = 'update' and b.undone_at is null
    order by 1 desc`, [personId, personId]);
}

export interface SavedMapping {
  id: number;
  name: string;
  targets: Target[];
}

/** Mappings saved for files with exactly these headers, newest first. */
export async function mappingsForSignature(db: Knex, signature: string, isValid: (t: unknown) => boolean = isTarget): Promise<SavedMapping[]> {
  const rows = await db('import_mappings').where({ header_signature: signature }).orderBy('id', 'desc').select('id', 'name', 'mapping');
  return rows.flatMap((r) => {
    try {
      const targets = JSON.parse(r.mapping) as unknown[];
      return Array.isArray(targets) && targets.every(isValid) ? [{ id: r.id, name: r.name, targets: targets as Target[] }] : [];
    } catch {
      return [];
    }
  });
}

/** Saves a mapping under a name for this header signature; a mapping of the same name and signature is replaced. */
export async function saveMapping(db: Knex, m: { name: string; signature: string; targets: Target[]; userId: number | null }): Promise<number> {
  return db.transaction(async (trx) => {
    await trx('import_mappings').where({ header_signature: m.signature, name: m.name }).del();
    const [row] = await trx('import_mappings').insert({
      name: m.name, header_signature: m.signature, mapping: JSON.stringify(m.targets), user_id: m.userId, created_at: nowIso(),
    }).returning('id');
    return typeof row === 'object' ? row.id : row;
  });
}
