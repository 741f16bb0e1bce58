// Bulk changes to the people a search chose: add or remove a tag, set do-not-contact, delete. Each runs in one
// transaction with one audit entry, keeps the search index in step, and (except delete) records the people it
// changed in bulk_changes so its result page can undo exactly that.
import type { Knex } from 'knex';
import { idList, nowIso, withLargeWriteCache } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { deleteSearchDocs, reindexPeople } from '../search/index.queries.js';
import { forgetMergeTraces } from '../duplicates/merge.queries.js';
import { nameKey } from '../shared/normalise.js';
import { tagIds } from './people.queries.js';
import type { BulkAction } from './bulk.domain.js';
import { addToShortlist, removeFromShortlist } from '../shortlists/shortlists.queries.js';

const CHUNK = 500;

export interface BulkChange {
  id: number;
  action: BulkAction;
  user_id: number | null;
  tag_id: number | null;
  project_id: number | null;
  label: string | null;
  chosen: number;
  changed_ids: string;
  query: string | null;
  created_at: string;
  undone_at: string | null;
}

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Of these people, those for whom `test` holds (read in chunks). */
async function peopleWhere(trx: Knex, ids: readonly number[], read: (trx: Knex, chunk: number[]) => Promise<number[]>): Promise<number[]> {
  const out: number[] = [];
  for (const chunk of chunks(ids)) out.push(...(await read(trx, chunk)));
  return out;
}

/**
 * Marks people changed (their edit forms see a newer version) and rewrites their search documents, in id order:
 * FTS5 writes rows in ascending rowid order several times faster than in the order a search returned them.
 */
async function touch(trx: Knex, unordered: number[], indexToo: boolean): Promise<void> {
  const ids = [...unordered].sort((a, b) => a - b);
  const list = idList(trx, ids);
  await trx('people').whereRaw(`id in ${list.sql}`, [list.binding]).update({ updated_at: nowIso() });
  // the update above logged each of them in the change feed (its trigger): the re-index need not log them again
  if (indexToo) await reindexPeople(trx, ids, { logged: true });
}

async function recordChange(trx: Knex, actor: Actor, row: Omit<BulkChange, 'id' | 'created_at' | 'undone_at' | 'changed_ids'> & { changed: number[] }): Promise<number> {
  const { changed, ...rest } = row;
  const [ins] = await trx('bulk_changes').insert({ ...rest, changed_ids: JSON.stringify(changed), created_at: nowIso() }).returning('id');
  const id: number = typeof ins === 'object' ? ins.id : ins;
  await recordAudit(trx, actor, {
    action: `bulk_${row.action}`, entityType: 'bulk_change', entityId: id,
    changes: { chosen: row.chosen, changed: changed.length, label: row.label, query: row.query, people: changed.slice(0, 1000) },
  });
  return id;
}

/** Adds (or removes) one tag for these people; returns the bulk change's id. */
export async function bulkTag(db: Knex, actor: Actor, ids: readonly number[], tagName: string, add: boolean, query: string): Promise<number> {
  return db.transaction((trx) => withLargeWriteCache(trx, async () => {
    const [tagId] = add ? await tagIds(trx, [tagName]) : await existingTagIds(trx, tagName);
    let changed: number[] = [];
    if (tagId !== undefined) {
      // one statement each, however many people (a list of 50,000 in chunks of 500 took several times longer)
      const list = idList(trx, ids);
      const having = new Set<number>(await trx('person_tags').where({ tag_id: tagId }).whereRaw(`person_id in ${list.sql}`, [list.binding]).pluck('person_id'));
      const existing: number[] = await trx('people').whereRaw(`id in ${list.sql}`, [list.binding]).orderBy('id').pluck('id');
      changed = existing.filter((id) => (add ? !having.has(id) : having.has(id)));
      const chosen = idList(trx, changed);
      if (add) await trx.raw(`insert into person_tags (person_id, tag_id) select id, cast(? as integer) from ${chosen.sql} as c`, [tagId, chosen.binding]);
      else await trx('person_tags').where({ tag_id: tagId }).whereRaw(`person_id in ${chosen.sql}`, [chosen.binding]).del();
      await touch(trx, changed, true);
    }
    return recordChange(trx, actor, {
      action: add ? 'tag_add' : 'tag_remove', user_id: actor.userId, tag_id: tagId ?? null, project_id: null, label: tagName, chosen: ids.length, changed, query,
    });
  }));
}

async function existingTagIds(trx: Knex, name: string): Promise<number[]> {
  return trx('tags').where({ name_norm: nameKey(name) }).pluck('id');
}

/** Marks these people do-not-contact; returns the bulk change's id. */
export async function bulkDoNotContact(db: Knex, actor: Actor, ids: readonly number[], query: string): Promise<number> {
  return db.transaction(async (trx) => {
    const rows = await peopleWhere(trx, ids, async (k, chunk) =>
      (await k('people').whereIn('id', chunk).select('id', 'do_not_contact')).filter((r: { do_not_contact: unknown }) => !r.do_not_contact).map((r: { id: number }) => r.id));
    const now = nowIso();
    for (const chunk of chunks(rows)) await trx('people').whereIn('id', chunk).update({ do_not_contact: 1, updated_at: now });
    return recordChange(trx, actor, { action: 'dnc', user_id: actor.userId, tag_id: null, project_id: null, label: null, chosen: ids.length, changed: rows, query });
  });
}

/**
 * Puts these people on a project's shortlist through the shortlist module (which audits it), and records the
 * change for its undo, in one transaction. Returns the bulk change's id and the module's answer.
 */
export async function bulkShortlist(db: Knex, actor: Actor, project: { id: number; title: string }, ids: readonly number[], query: string) {
  return db.transaction(async (trx) => {
    const result = await addToShortlist(trx, actor, project.id, ids, { via: 'people-search' });
    const id = await recordChange(trx, actor, {
      action: 'shortlist', user_id: actor.userId, tag_id: null, project_id: project.id, label: project.title, chosen: ids.length, changed: result.added, query,
    });
    return { id, result };
  });
}

/** Projects whose title holds the words (for choosing the shortlist), newest first; staff see their organisation's only. */
export async function projectsTitled(db: Knex, q: string, organisationId: number | null, limit = 20): Promise<{ id: number; title: string; organisation_name: string }[]> {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  return db('projects as p').join('organisations as o', 'o.id', 'p.organisation_id')
    .modify((qb) => {
      for (const w of words) qb.whereRaw('lower(p.title) like ?', [`%${w.replace(/[%_\\]/g, '')}%`]);
      if (organisationId !== null) qb.where('p.organisation_id', organisationId);
    })
    .orderBy([{ column: 'p.created_at', order: 'desc' }, { column: 'p.id', order: 'desc' }]).limit(limit)
    .select('p.id', 'p.title', 'o.name as organisation_name');
}

/** How many engagements these people have (deleting them removes organisations' history). */
export async function engagementCount(db: Knex, ids: readonly number[]): Promise<number> {
  let n = 0;
  for (const chunk of chunks(ids)) {
    const row = await db('engagements').whereIn('person_id', chunk).count<{ n: number }>({ n: '*' }).first();
    n += Number(row?.n ?? 0);
  }
  return n;
}

/** Deletes these people in one transaction with one audit entry (ids and names); returns how many existed. */
export async function bulkDelete(db: Knex, actor: Actor, ids: readonly number[], query: string): Promise<number> {
  return db.transaction(async (trx) => {
    const deleted: { id: number; name: string }[] = [];
    for (const chunk of chunks(ids)) {
      const rows = await trx('people').whereIn('id', chunk).select('id', 'first_name', 'last_name');
      for (const r of rows) {
        await forgetMergeTraces(trx, r.id);
        deleted.push({ id: r.id, name: `${r.first_name} ${r.last_name}`.trim() });
      }
      await trx('people').whereIn('id', rows.map((r: { id: number }) => r.id)).del();
      await deleteSearchDocs(trx, rows.map((r: { id: number }) => r.id));
    }
    await recordAudit(trx, actor, { action: 'bulk_delete', entityType: 'person', entityId: null, changes: { chosen: ids.length, deleted: deleted.length, query, people: deleted.slice(0, 1000) } });
    return deleted.length;
  });
}

export function findBulkChange(db: Knex, id: number): Promise<BulkChange | undefined> {
  return db('bulk_changes').where({ id }).first();
}

export function changedIds(change: BulkChange): number[] {
  return JSON.parse(change.changed_ids) as number[];
}

/**
 * Takes a bulk change back (tags, do-not-contact, a shortlist), in one transaction with
 * one audit entry. False when it was undone already.
 */
export async function undoBulkChange(db: Knex, actor: Actor, change: BulkChange): Promise<boolean> {
  return db.transaction((trx) => withLargeWriteCache(trx, async () => {
    const claimed = await trx('bulk_changes').where({ id: change.id }).whereNull('undone_at').update({ undone_at: nowIso() });
    if (!claimed) return false;
    const ids = idList(trx, changedIds(change));
    const alive: number[] = await trx('people').whereRaw(`id in ${ids.sql}`, [ids.binding]).orderBy('id').pluck('id');
    const living = idList(trx, alive);
    if (change.action === 'tag_add' && change.tag_id !== null) {
      await trx('person_tags').where({ tag_id: change.tag_id }).whereRaw(`person_id in ${living.sql}`, [living.binding]).del();
      await touch(trx, alive, true);
    } else if (change.action === 'tag_remove' && change.tag_id !== null) {
      const having = new Set<number>(await trx('person_tags').where({ tag_id: change.tag_id }).whereRaw(`person_id in ${living.sql}`, [living.binding]).pluck('person_id'));
      const back = idList(trx, alive.filter((id) => !having.has(id)));
      await trx.raw(`insert into person_tags (person_id, tag_id) select id, cast(? as integer) from ${back.sql} as b`, [change.tag_id, back.binding]);
      await touch(trx, alive.filter((id) => !having.has(id)), true);
    } else if (change.action === 'dnc') {
      const now = nowIso();
      for (const chunk of chunks(alive)) await trx('people').whereIn('id', chunk).update({ do_not_contact: 0, updated_at: now });
    } else if (change.action === 'shortlist' && change.project_id !== null) {
      // only entries nobody has asked or decided yet come off the list again
      await removeFromShortlist(trx, actor, change.project_id, alive);
    }
    await recordAudit(trx, actor, { action: 'bulk_undo', entityType: 'bulk_change', entityId: change.id, changes: { action: change.action, people: alive.length } });
    return true;
  }));
}
