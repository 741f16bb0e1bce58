// Undoing an import batch: created people removed, updated people restored from the change records,
// skills and tags the batch created removed when nothing uses them any more. One transaction.
import type { Knex } from 'knex';
import { nowIso, rawRows, withBatchConnection } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import type { PersonFields } from '../people/people.domain.js';
import { ImportStore } from './imports.store.js';

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

interface UpdateRecord {
  fields: Record<string, string | null>;
  levels: { skill_id: number; level: number }[];
}

interface UpdateAfter {
  fields: Record<string, string>;
  added_skills: number[];
  levels: { skill_id: number; level: number }[];
  added_tags: number[];
}

/**
 * Undoes a batch. Without `force`, throws UndoConflictError when people were changed since; with it,
 * the import's fields are restored over those later edits. Returns how many people were removed and restored.
 */
export async function undoBatch(db: Knex, actor: Actor, batchId: number, opts: { force: boolean }): Promise<{ deleted: number; restored: number }> {
  const batch = await db('import_batches').where({ id: batchId }).first();
  if (!batch || batch.undone_at) throw new Error('batch not found or already undone');
  if (!opts.force) {
    const impact = await undoImpact(db, batchId);
    if (impact.conflictCount > 0) throw new UndoConflictError(impact);
  }
  return withBatchConnection(db, (conn) => {
    const now = nowIso();
    const store = new ImportStore(conn, now, actor);
    return conn.transaction(() => {
      // people the batch created: audit, then delete (skills, tags, engagements cascade), index rows too
      const created = `select id from people where created_by_batch_id = ?`;
      conn.prepare(`insert into audit_log (user_id, actor, action, entity_type, entity_id, source, changes, created_at)
        select ?, ?, 'undo', 'person', id, ?, ?, ? from people where created_by_batch_id = ?`)
        .run(actor.userId, actor.label, actor.source, JSON.stringify({ batch: batchId, deleted: true }), now, batchId);
      conn.prepare(`delete from people_fts where rowid in (${created})`).run(batchId);
      const deleted = conn.prepare(`delete from people where id in (${created})`).run(batchId).changes;
      // people the batch updated: newest change first, so a person changed twice ends at the oldest value
      let restored = 0;
      const updates = conn.prepare(`select person_id, before, after from import_changes where batch_id = ? and action = 'update' order by id desc`).iterate(batchId) as IterableIterator<{ person_id: number; before: string; after: string }>;
      const rows = [...updates];
      for (const ch of rows) {
        const person = store.findById(ch.person_id);
        if (!person) continue;
        const before = JSON.parse(ch.before) as UpdateRecord;
        const after = JSON.parse(ch.after) as UpdateAfter;
        const fields = { ...(person as unknown as PersonFields), ...before.fields } as PersonFields;
        store.updatePerson(person.id, fields);
        for (const s of after.added_skills) store.removeSkill(person.id, s);
        for (const l of before.levels) store.setLevel(person.id, l.skill_id, l.level);
        for (const t of after.added_tags) store.removeTag(person.id, t);
        store.reindex(person.id, fields, store.personSkills(person.id).keys(), store.personTagIds(person.id));
        const changes = Object.fromEntries(Object.keys(before.fields).map((k) => [k, { from: after.fields[k] ?? null, to: before.fields[k] ?? null }]));
        store.audit('undo', 'person', person.id, { batch: batchId, ...changes });
        restored++;
      }
      // engagements (history imports): created ones go, changed ones get their earlier values back
      conn.prepare(`delete from engagements where id in (select json_extract(after, '$.id') from import_changes where batch_id = ? and action = 'engagement')`).run(batchId);
      for (const ch of conn.prepare(`select before, after from import_changes where batch_id = ? and action = 'engagement_update' order by id desc`).all(batchId) as { before: string; after: string }[]) {
        const before = JSON.parse(ch.before) as Record<string, unknown>;
        const cols = Object.keys(before).filter((k) => /^[a-z_]+$/.test(k));
        if (cols.length) conn.prepare(`update engagements set ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? where id = ?`).run(...cols.map((c) => before[c] ?? null), now, JSON.parse(ch.after).id);
      }
      conn.prepare(`delete from projects where id in (select json_extract(after, '$.id') from import_changes where batch_id = ? and action = 'project')
        and not exists (select 1 from engagements where project_id = projects.id)`).run(batchId);
      conn.prepare(`delete from organisations where id in (select json_extract(after, '$.id') from import_changes where batch_id = ? and action = 'organisation')
        and not exists (select 1 from projects where organisation_id = organisations.id)`).run(batchId);
      // skills and tags the batch created, unless something uses them by now
      conn.prepare(`delete from skills where id in (select json_extract(after, '$.skill_id') from import_changes where batch_id = ? and action = 'skill')
        and not exists (select 1 from person_skills where skill_id = skills.id) and not exists (select 1 from project_skills where skill_id = skills.id)`).run(batchId);
      conn.prepare(`delete from tags where id in (select json_extract(after, '$.tag_id') from import_changes where batch_id = ? and action = 'tag')
        and not exists (select 1 from person_tags where tag_id = tags.id)`).run(batchId);
      conn.prepare(`update import_batches set status = 'undone', undone_at = ? where id = ?`).run(now, batchId);
      store.audit('undo', 'import_batch', batchId, { deleted, restored });
      return { deleted, restored };
    })();
  });
}
