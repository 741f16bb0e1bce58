// The change history a page may show: only to roles with audit.read (it holds earlier values, e.g. an old phone).
import type { Knex } from 'knex';
import { can, type Role } from '../users/roles.domain.js';
import { auditHistory, HISTORY, type AuditRow } from './audit.queries.js';
import type { BoundRead } from '../db.js';

/** A record's history for its page, or null when the reader may not see history (the page then omits it). */
export async function visibleHistory(db: Knex, role: Role | undefined, entityType: string, entityId: number): Promise<AuditRow[] | null> {
  return can(role, 'audit.read') ? auditHistory(db, entityType, entityId) : null;
}

/** visibleHistory as a read to run with others (readTogether; its rows go through historyRows), or null. */
export function visibleHistoryRead(role: Role | undefined, entityType: string, entityId: number): BoundRead<unknown> | null {
  return can(role, 'audit.read') ? HISTORY.with(entityType, entityId) : null;
}
