// What a merge of people does with their shortlist entries, and how its undo puts them back: an entry moves to
// the kept person unless they are on that project's list already (then the kept person's entry wins and the
// other one, with its dated history, is kept in the merge's snapshot and restored on undo).
import type { Knex } from 'knex';

export interface ShortlistMergeSnapshot {
  /** entries of the merged-away people, as they were */
  entries: Record<string, unknown>[];
  events: Record<string, unknown>[];
  /** [entry id, the person it belonged to] of every entry moved to the kept person */
  moved: [number, number][];
}

/** Moves the merged-away people's entries to `keepId` where it can; returns what the undo needs. */
export async function mergeShortlistEntries(trx: Knex, others: number[], keepId: number): Promise<ShortlistMergeSnapshot> {
  const entries: { id: number; project_id: number; person_id: number }[] = await trx('shortlist_entries').whereIn('person_id', others).orderBy('id').select();
  const events = entries.length ? await trx('shortlist_events').whereIn('entry_id', entries.map((e) => e.id)).orderBy('id').select() : [];
  const taken = new Set((await trx('shortlist_entries').where({ person_id: keepId }).pluck('project_id')).map(Number));
  const moved: [number, number][] = [];
  for (const e of entries) {
    if (taken.has(e.project_id)) continue;
    taken.add(e.project_id);
    await trx('shortlist_entries').where({ id: e.id }).update({ person_id: keepId });
    moved.push([e.id, e.person_id]);
  }
  return { entries, events, moved };
}

/** Undo of mergeShortlistEntries, after the merged-away people are back. */
export async function unmergeShortlistEntries(trx: Knex, snap: ShortlistMergeSnapshot | undefined): Promise<void> {
  if (!snap) return;
  const movedIds = new Set(snap.moved.map(([id]) => id));
  for (const [id, owner] of snap.moved) await trx('shortlist_entries').where({ id }).update({ person_id: owner });
  const gone = snap.entries.filter((e) => !movedIds.has(e.id as number));
  if (!gone.length) return;
  const goneIds = new Set(gone.map((e) => e.id as number));
  await trx('shortlist_entries').insert(gone);
  const events = snap.events.filter((ev) => goneIds.has(ev.entry_id as number));
  if (events.length) await trx('shortlist_events').insert(events);
}
