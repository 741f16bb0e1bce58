// Lost-update protection for every edit form (people, organisations, projects, engagements): the form carries
// the record's version (its updated_at when the form was opened), and the save happens only while the record
// still has that version. Otherwise nothing is written and the form shows both values (src/shared/conflicts.ts).
import type { Knex } from 'knex';
import { nowIso } from '../db.js';

/** Someone saved the record after the form was opened: its version (updated_at) is not the one the form edited. */
export class VersionConflict extends Error {
  constructor() {
    super('the record was changed since the form was opened');
  }
}

/**
 * Updates row `id` of `table` with `columns` and a new updated_at. With `version` only while the row still has
 * that updated_at: otherwise it throws VersionConflict and writes nothing (call it first in the transaction).
 */
export async function updateVersioned(trx: Knex, table: string, id: number, columns: Record<string, unknown>, version?: string): Promise<void> {
  const q = trx(table).where({ id });
  if (version !== undefined) q.where({ updated_at: version });
  const n = await q.update({ ...columns, updated_at: nowIso() });
  if (version !== undefined && Number(n) === 0) throw new VersionConflict();
}
