// Import jobs and the one-writer lock, in the database so every process and instance sees them.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';

export type JobKind = 'preview' | 'commit' | 'undo';
export type JobStatus = 'waiting' | 'running' | 'done' | 'failed' | 'interrupted';

export interface JobRow {
  id: number;
  kind: JobKind;
  entity: string;
  source: string;
  draft_key: string | null;
  filename: string;
  user_id: number | null;
  status: JobStatus;
  batch_id: number | null;
  bytes: number;
  total: number;
  /** rows handled so far, and the rows in all when known (a commit knows them from its preview) */
  rows_done: number;
  rows_total: number | null;
  /** when the job began to run (not counting a wait for another import): the rate behind the time left */
  started_at: string | null;
  error: { key: string; vars: Record<string, string | number> } | null;
  owner: string;
  heartbeat_at: string;
  created_at: string;
  finished_at: string | null;
}

export interface LockRow {
  job_id: number | null;
  owner: string | null;
  heartbeat_at: string | null;
}

function parseJob(r: Record<string, unknown>): JobRow {
  let error: JobRow['error'] = null;
  try {
    error = r.error ? JSON.parse(String(r.error)) : null;
  } catch {
    error = { key: 'errors.500', vars: {} };
  }
  return {
    ...(r as unknown as JobRow), bytes: Number(r.bytes), total: Number(r.total), rows_done: Number(r.rows_done ?? 0),
    rows_total: r.rows_total === null || r.rows_total === undefined ? null : Number(r.rows_total), started_at: (r.started_at as string | null) ?? null, error,
  };
}

/** A new job, waiting. */
export async function insertJob(db: Knex, j: { kind: JobKind; entity: string; source: string; draftKey?: string | null; filename: string; userId: number | null; total: number; rowsTotal?: number | null; owner: string }): Promise<number> {
  const now = nowIso();
  const [row] = await db('import_jobs').insert({
    kind: j.kind, entity: j.entity, source: j.source, draft_key: j.draftKey ?? null, filename: j.filename.slice(0, 255), user_id: j.userId,
    status: 'waiting', bytes: 0, total: j.total, rows_total: j.rowsTotal ?? null, owner: j.owner, heartbeat_at: now, created_at: now,
  }).returning('id');
  return typeof row === 'object' ? row.id : row;
}

export async function findJob(db: Knex, id: number): Promise<JobRow | undefined> {
  const r = await db('import_jobs').where({ id }).first();
  return r ? parseJob(r) : undefined;
}

/** The newest job of a wizard draft. */
export async function latestJobOfDraft(db: Knex, draftKey: string): Promise<JobRow | undefined> {
  const r = await db('import_jobs').where({ draft_key: draftKey }).orderBy('id', 'desc').first();
  return r ? parseJob(r) : undefined;
}

/** `started`: the job begins to run now (its rate is measured from here). */
export async function updateJob(db: Knex, id: number, fields: Partial<{ status: JobStatus; batch_id: number | null; bytes: number; rows_done: number; error: JobRow['error']; started: boolean; finished: boolean }>): Promise<void> {
  const { finished, started, error, ...rest } = fields;
  const now = nowIso();
  await db('import_jobs').where({ id }).update({
    ...rest, heartbeat_at: now, ...(error !== undefined ? { error: error ? JSON.stringify(error) : null } : {}), ...(started ? { started_at: now } : {}), ...(finished ? { finished_at: now } : {}),
  });
}

/** The batch an import commit writes into, marked running until its last step (in that step's transaction). */
export async function insertRunningBatch(trx: Knex, b: { userId: number | null; source: 'cli' | 'web'; entity: string; filename: string; policy: string; mapping: unknown; createdAt: string }): Promise<number> {
  const [row] = await trx('import_batches').insert({
    user_id: b.userId, source: b.source, entity: b.entity, filename: b.filename.slice(0, 255),
    policy: b.policy, mapping: JSON.stringify(b.mapping), status: 'running', created_at: b.createdAt,
  }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** A batch's status (running, committed, undoing, undone), or null when there is no such batch. */
export async function batchStatus(db: Knex, id: number): Promise<string | null> {
  const r = await db('import_batches').where({ id }).first('status');
  return r ? String(r.status) : null;
}

/** Jobs that have not finished (waiting or running), oldest first. */
export async function unfinishedJobs(db: Knex): Promise<JobRow[]> {
  const rows = await db('import_jobs').whereIn('status', ['waiting', 'running']).orderBy('id');
  return rows.map(parseJob);
}

/** Running and waiting jobs plus the latest finished ones, newest first (the imports page shows them). */
export async function recentJobs(db: Knex, limit: number): Promise<JobRow[]> {
  const rows = await db('import_jobs').whereNot({ kind: 'preview' }).orderBy('id', 'desc').limit(limit);
  return rows.map(parseJob);
}

export async function readLock(db: Knex): Promise<LockRow> {
  return (await db('import_lock').where({ id: 1 }).first('job_id', 'owner', 'heartbeat_at')) ?? { job_id: null, owner: null, heartbeat_at: null };
}

/** Takes the lock when it is free, or when it still is exactly as `expected` (a dead holder's); true when taken. */
export async function takeLock(db: Knex, owner: string, jobId: number | null, expected: LockRow | null): Promise<boolean> {
  const q = db('import_lock').where({ id: 1 });
  if (expected) q.where({ owner: expected.owner, heartbeat_at: expected.heartbeat_at });
  else q.whereNull('owner');
  const n = await q.update({ owner, job_id: jobId, heartbeat_at: nowIso() });
  return Number(n) === 1;
}

/** Moves the holder's heartbeat on; false when the lock is no longer this owner's. */
export async function beatLock(db: Knex, owner: string, jobId: number | null): Promise<boolean> {
  const n = await db('import_lock').where({ id: 1, owner }).update({ heartbeat_at: nowIso(), job_id: jobId });
  return Number(n) === 1;
}

export async function releaseLock(db: Knex, owner: string): Promise<void> {
  await db('import_lock').where({ id: 1, owner }).update({ owner: null, job_id: null, heartbeat_at: null });
}

/** Batches left half done (running) or half undone (undoing): only a lock holder may find them. */
export function unfinishedBatches(db: Knex): Promise<{ id: number; status: string }[]> {
  return db('import_batches').whereIn('status', ['running', 'undoing']).orderBy('id').select('id', 'status');
}
