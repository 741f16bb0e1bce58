// The audit log's row is made in one place (auditRow) and inserted in one place (insertAuditRows): forms,
// imports, their undo and rollback all go through it, so an entry's columns cannot drift between writers.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { auditRow, insertAuditRows, recordAudit, SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { testDb } from '../support/app.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the audit log insert', () => {
  it('is written once: no module but audit.queries.ts inserts into audit_log or builds its rows', () => {
    const INSERTS = [/\(\s*['"]audit_log['"]\s*\)\s*\.insert\(/, /insertRows\([^,]+,\s*['"]audit_log['"]/, /entity_type:\s*\w+,\s*entity_id:/];
    const offenders = sources(SRC).filter((f) => !f.endsWith(path.join('audit', 'audit.queries.ts')))
      .filter((f) => INSERTS.some((re) => re.test(readFileSync(f, 'utf8'))))
      .map((f) => path.relative(SRC, f));
    expect(offenders).to.deep.equal([]);
  });

  it('one row shape for single entries and batches, written in slices', async () => {
    const db = await testDb();
    try {
      await recordAudit(db, { userId: null, label: 'cli', source: 'cli' }, { action: 'create', entityType: 'person', entityId: 7, changes: { a: 1 } });
      const rows = Array.from({ length: 1234 }, (_, i) => auditRow(SYSTEM_ACTOR, { action: 'import', entityType: 'person', entityId: i + 1, changes: { batch: 3 } }, '2026-01-01T00:00:00.000Z'));
      await insertAuditRows(db, rows);
      expect(await db('audit_log').count({ n: '*' })).to.deep.equal([{ n: 1235 }]);
      expect(await db('audit_log').where({ entity_id: 7 }).first('actor', 'action', 'entity_type', 'source', 'changes'))
        .to.deep.equal({ actor: 'cli', action: 'create', entity_type: 'person', source: 'cli', changes: '{"a":1}' });
      expect(await db('audit_log').where({ entity_id: 1234 }).first('actor', 'source', 'changes', 'created_at'))
        .to.deep.equal({ actor: 'system', source: 'system', changes: '{"batch":3}', created_at: '2026-01-01T00:00:00.000Z' });
    } finally {
      await db.destroy();
    }
  });
});
