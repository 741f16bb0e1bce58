// The audit log: every write records who, when, what, and the old and new values.
import type { Knex } from 'knex';
import { nowIso, PreparedRead } from '../db.js';
import { diffRecords, type Changes } from './audit.domain.js';
import { queueEventOfWrite } from '../webhooks/events.queries.js';

/** Who is acting: a logged-in user, the CLI, or an import batch. */
export interface Actor {
  userId: number | null;
  label: string;
  source: 'web' | 'cli' | 'import' | 'system' | 'self' | 'api';
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system', source: 'system' };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: number | null;
  changes?: Changes | Record<string, unknown>;
}

/** An audit_log row as stored: the one place its columns are filled (forms, imports, undo alike). */
export function auditRow(actor: Actor, entry: AuditEntry, at: string = nowIso()): Record<string, unknown> {
  return {
    user_id: actor.userId,
    actor: actor.label,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    source: actor.source,
    changes: entry.changes ? JSON.stringify(entry.changes) : null,
    created_at: at,
  };
}

/** Rows per INSERT: well below SQLite's 32,766 bound parameters (8 columns a row). */
const AUDIT_SLICE = 500;

/** The one insert into audit_log: rows made by auditRow, written in slices (an import step writes thousands). */
export async function insertAuditRows(db: Knex, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += AUDIT_SLICE) await db('audit_log').insert(rows.slice(i, i + AUDIT_SLICE));
}

export async function recordAudit(db: Knex, actor: Actor, entry: AuditEntry): Promise<void> {
  await insertAuditRows(db, [auditRow(actor, entry)]);
  // the webhook event of this write (person created, updated …), queued in the same transaction
  await queueEventOfWrite(db, { ...entry, changes: entry.changes as Record<string, unknown> | undefined });
}

/** Records an update only when something changed; returns the changes. */
export async function recordUpdate(
  db: Knex, actor: Actor, entityType: string, entityId: number,
  before: Record<string, unknown>, after: Record<string, unknown>,
): Promise<Changes> {
  const changes = diffRecords(before, after);
  if (Object.keys(changes).length > 0) await recordAudit(db, actor, { action: 'update', entityType, entityId, changes });
  return changes;
}

export interface AuditRow {
  id: number;
  actor: string | null;
  action: string;
  entity_type: string;
  entity_id: number | null;
  source: string;
  changes: Record<string, unknown> | null;
  created_at: string;
}

/** A record's history, newest first. */
export async function auditHistory(db: Knex, entityType: string, entityId: number): Promise<AuditRow[]> {
  return historyRows(await HISTORY.run(db, entityType, entityId));
}

/** A record's latest 50 audit rows as stored (changes still JSON text): read with others by readTogether. */
export const HISTORY = new PreparedRead((db, entityType: string, entityId: number) => db('audit_log')
  .where({ entity_type: entityType, entity_id: entityId })
  .orderBy('id', 'desc')
  .limit(50)
  .select('id', 'actor', 'action', 'entity_type', 'entity_id', 'source', 'changes', 'created_at'));

/** Audit rows as read by HISTORY, their changes parsed. */
export function historyRows(rows: unknown): AuditRow[] {
  return (rows as (AuditRow & { changes: string | null })[]).map((r) => ({ ...r, changes: r.changes ? JSON.parse(r.changes) : null }));
}
