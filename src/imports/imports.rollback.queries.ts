// Taking a batch back, in short steps: an undo the user asked for (recorded in the audit log), or the
// roll-back of a batch that never finished (a failure, a restart, a shutdown), which leaves no trace but the
// job that says it was interrupted. Each step is one short transaction, so the server keeps answering; a
// step repeated after a crash does no harm (every step reads what is left to do from the database).
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { auditRow, insertAuditRows, type Actor } from '../audit/audit.queries.js';
import { personColumns, type PersonFields } from '../people/people.domain.js';
import { reindexPeople } from '../search/index.queries.js';
import { IMPORT_FIELDS } from './rows.domain.js';

const STEP = 500;

export type RollbackMode = 'undo' | 'abort';

interface UpdateBefore {
  fields: Record<string, string | null>;
  levels: { skill_id: number; level: number }[];
}

interface UpdateAfter {
  fields: Record<string, string>;
  added_skills: number[];
  levels: { skill_id: number; level: number }[];
  added_tags: number[];
}

/** Runs fn in one short transaction; `beat` (the import lock's heartbeat) goes first so the step takes the write lock at once. */
export type StepRunner = <T>(fn: (trx: Knex) => Promise<T>) => Promise<T>;

function auditRows(actor: Actor, action: string, type: string, ids: number[], changes: Record<string, unknown>, now: string) {
  return ids.map((id) => auditRow(actor, { action, entityType: type, entityId: id, changes }, now));
}

function parse<T>(text: string | null): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

/**
 * Takes batch `batchId` back. `undo` restores updated people over later edits and audits every step;
 * `abort` restores a field only where the import's value is still there, then removes the batch and its
 * records altogether. Returns how many people were removed and restored.
 */
export async function rollbackBatchSteps(db: Knex, step: StepRunner, batchId: number, mode: RollbackMode, actor: Actor): Promise<{ deleted: number; restored: number }> {
  const now = nowIso();
  if (mode === 'undo') await step((trx) => trx('import_batches').where({ id: batchId }).update({ status: 'undoing' }));
  let deleted = 0;
  // people the batch created (their links, consents and engagements cascade)
  for (;;) {
    const ids: number[] = (await db('people').where({ created_by_batch_id: batchId }).orderBy('id').limit(STEP).pluck('id')).map(Number);
    if (!ids.length) break;
    await step(async (trx) => {
      if (mode === 'undo') await insertAuditRows(trx, auditRows(actor, 'undo', 'person', ids, { batch: batchId, deleted: true }, now));
      await trx('people').whereIn('id', ids).del();
      await reindexPeople(trx, ids);
    });
    deleted += ids.length;
  }
  // people the batch updated: newest change first, so a person changed twice ends at the oldest value
  let restored = 0;
  let cursor: number | null = null; // no bound at first: a sentinel beyond PostgreSQL's integer range is an error there
  for (;;) {
    const below = cursor;
    const changes = await db('import_changes').where({ batch_id: batchId, action: 'update' }).modify((q) => { if (below !== null) q.where('id', '<', below); })
      .orderBy('id', 'desc').limit(STEP / 5).select('id', 'person_id', 'before', 'after');
    if (!changes.length) break;
    cursor = Number(changes[changes.length - 1].id);
    restored += await step(async (trx) => {
      let n = 0;
      const touched: number[] = [];
      for (const ch of changes) {
        const person = await trx('people').where({ id: ch.person_id }).first(['id', ...IMPORT_FIELDS]);
        const before = parse<UpdateBefore>(ch.before);
        const after = parse<UpdateAfter>(ch.after);
        if (!person || !before || !after) continue;
        // undo (confirmed by the user) restores every field; an abort only those still holding the import's value
        const restore = Object.keys(before.fields).filter((f) => (IMPORT_FIELDS as readonly string[]).includes(f) && (mode === 'undo' || (person[f] ?? null) === (after.fields[f] ?? null)));
        const fields = { ...person, ...Object.fromEntries(restore.map((f) => [f, before.fields[f] ?? null])) } as unknown as PersonFields;
        const cols = personColumns(fields);
        await trx('people').where({ id: person.id }).update({
          ...Object.fromEntries(IMPORT_FIELDS.map((f) => [f, cols[f] ?? null])),
          email_norm: cols.email_norm, name_norm: cols.name_norm, phone_norm: cols.phone_norm, city_norm: cols.city_norm, updated_at: now,
        });
        if (after.added_skills.length) await trx('person_skills').where({ person_id: person.id }).whereIn('skill_id', after.added_skills).del();
        for (const l of before.levels) await trx('person_skills').where({ person_id: person.id, skill_id: l.skill_id }).update({ level: l.level });
        if (after.added_tags.length) await trx('person_tags').where({ person_id: person.id }).whereIn('tag_id', after.added_tags).del();
        if (mode === 'undo') {
          const diff = Object.fromEntries(restore.map((k) => [k, { from: after.fields[k] ?? null, to: before.fields[k] ?? null }]));
          await insertAuditRows(trx, auditRows(actor, 'undo', 'person', [person.id], { batch: batchId, ...diff }, now));
        }
        touched.push(person.id);
        n++;
      }
      await reindexPeople(trx, touched);
      return n;
    });
  }
  // history imports: created engagements go, changed ones get their earlier values back
  const records = async (action: string) => (await db('import_changes').where({ batch_id: batchId, action }).orderBy('id', 'desc').select('before', 'after'))
    .map((r) => ({ before: parse<Record<string, unknown>>(r.before), after: parse<Record<string, unknown>>(r.after) ?? {} }));
  const idsOf = (rows: { after: Record<string, unknown> }[], key: string) => rows.map((r) => Number(r.after[key])).filter((n) => Number.isInteger(n));
  const inSteps = async (ids: number[], fn: (trx: Knex, part: number[]) => Promise<unknown>) => {
    for (let i = 0; i < ids.length; i += STEP) {
      const part = ids.slice(i, i + STEP);
      await step((trx) => fn(trx, part));
    }
  };
  await inSteps(idsOf(await records('engagement'), 'id'), (trx, part) => trx('engagements').whereIn('id', part).del());
  const engagementUpdates = await records('engagement_update');
  for (let i = 0; i < engagementUpdates.length; i += STEP) {
    const part = engagementUpdates.slice(i, i + STEP);
    await step(async (trx) => {
      for (const r of part) {
        const cols = Object.keys(r.before ?? {}).filter((k) => /^[a-z_]+$/.test(k));
        if (cols.length && Number.isInteger(Number(r.after.id))) {
          await trx('engagements').where({ id: Number(r.after.id) }).update({ ...Object.fromEntries(cols.map((c) => [c, r.before![c] ?? null])), updated_at: now });
        }
      }
    });
  }
  await inSteps(idsOf(await records('project'), 'id'), (trx, part) => trx('projects').whereIn('id', part)
    .whereNotExists(trx('engagements').whereRaw('engagements.project_id = projects.id').select(trx.raw('1'))).del());
  await inSteps(idsOf(await records('organisation'), 'id'), (trx, part) => trx('organisations').whereIn('id', part)
    .whereNotExists(trx('projects').whereRaw('projects.organisation_id = organisations.id').select(trx.raw('1'))).del());
  // the review tag a history import put on people (tagged rows taken without a bad field)
  const tagged = (await records('person_tag')).map((r) => ({ person: Number(r.after.person_id), tag: Number(r.after.tag_id) }))
    .filter((x) => Number.isInteger(x.person) && Number.isInteger(x.tag));
  for (let i = 0; i < tagged.length; i += STEP) {
    const part = tagged.slice(i, i + STEP);
    await step(async (trx) => {
      for (const x of part) await trx('person_tags').where({ person_id: x.person, tag_id: x.tag }).del();
      await reindexPeople(trx, [...new Set(part.map((x) => x.person))]);
    });
  }
  // skills and tags the batch created, unless something uses them by now
  await inSteps(idsOf(await records('skill'), 'skill_id'), (trx, part) => trx('skills').whereIn('id', part)
    .whereNotExists(trx('person_skills').whereRaw('person_skills.skill_id = skills.id').select(trx.raw('1')))
    .whereNotExists(trx('project_skills').whereRaw('project_skills.skill_id = skills.id').select(trx.raw('1'))).del());
  await inSteps(idsOf(await records('tag'), 'tag_id'), (trx, part) => trx('tags').whereIn('id', part)
    .whereNotExists(trx('person_tags').whereRaw('person_tags.tag_id = tags.id').select(trx.raw('1'))).del());
  if (mode === 'undo') {
    await step(async (trx) => {
      await trx('import_batches').where({ id: batchId }).update({ status: 'undone', undone_at: now });
      await insertAuditRows(trx, auditRows(actor, 'undo', 'import_batch', [batchId], { deleted, restored }, now));
    });
    return { deleted, restored };
  }
  // an aborted batch never happened: its audit entries, change records and the batch itself go
  const prefix = `{"batch":${batchId},%`;
  for (;;) {
    const ids = await db('audit_log').where({ source: 'import' }).where('changes', 'like', prefix).limit(STEP * 4).pluck('id');
    if (!ids.length) break;
    await step((trx) => trx('audit_log').whereIn('id', ids).del());
  }
  for (;;) {
    const ids = await db('import_changes').where({ batch_id: batchId }).limit(STEP * 4).pluck('id');
    if (!ids.length) break;
    await step((trx) => trx('import_changes').whereIn('id', ids).del());
  }
  await step((trx) => trx('import_batches').where({ id: batchId }).del());
  return { deleted, restored };
}
