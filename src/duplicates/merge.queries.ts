// Merging people into the one who stays, in one audited transaction, and undoing it from the history.
// Everything that hangs on a person moves (skills combined, tags, engagements, consents, import records,
// audit history, e-mail aliases); the others' e-mails become aliases of the kept person, so imports match them.
import type { Knex } from 'knex';
import { nowIso, PreparedRead } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { normaliseEmail } from '../shared/normalise.js';
import { personColumns, displayName } from '../people/people.domain.js';
import { reindexPeople } from '../search/index.queries.js';
import { mergedFields, type Choices, type MergeRecord } from './merge.domain.js';
import { mergeShortlistEntries, unmergeShortlistEntries, type ShortlistMergeSnapshot } from '../shortlists/shortlists.merge.queries.js';

export type MergeProblem = 'tooFew' | 'missing' | 'changed' | 'undone' | 'changedSince' | 'idTaken';

/** A merge or undo that was refused; nothing was written. */
export class MergeRefused extends Error {
  constructor(readonly problem: MergeProblem, readonly vars: Record<string, string | number> = {}) {
    super(`merge refused: ${problem} ${JSON.stringify(vars)}`);
  }
}

export interface MergeRequest {
  keepId: number;
  ids: number[];
  choices?: Partial<Choices>;
  /** updated_at of each record as the manager saw it: a record changed since is a refusal */
  versions?: Record<number, string>;
}

interface Snapshot {
  people: Record<string, unknown>[];
  skills: Record<string, unknown>[];
  tags: Record<string, unknown>[];
  /** per table, [row id, the person it belonged to] of every row moved to the kept person */
  moved: Record<string, [number, number][]>;
  /** campaign_recipients rows of the merged-away people (keyed by campaign and person, not by id) */
  recipients: Record<string, unknown>[];
  keptRecipients?: { campaign_id: number; person_id: number }[];
  dismissals: Record<string, unknown>[];
  /** project shortlists (src/shortlists/shortlists.merge.queries.ts) */
  shortlists?: ShortlistMergeSnapshot;
  merge_audit_id: number;
  /** the kept person's engagements and consents right after the merge (an addition since blocks the undo) */
  after: { engagements: number; consents: number };
}

/** Tables whose rows hang on a person by `person_id` and move to the kept person (all have an `id`). */
export const MOVED_TABLES = ['engagements', 'consents', 'import_changes', 'person_email_aliases', 'mail_outbox', 'person_links', 'person_requests', 'join_applications', 'language_reviews'] as const;

/** Every table that refers to people and how a merge treats it (a test holds the schema to this list). */
export const MERGE_HANDLES: Record<string, string> = {
  ...Object.fromEntries(MOVED_TABLES.map((t) => [t, 'moved'])),
  person_skills: 'combined', person_tags: 'combined', duplicate_dismissals: 'kept in the snapshot, restored on undo',
  campaign_recipients: 'moved unless the kept person has a row for the campaign',
  shortlist_entries: 'moved unless the kept person is on that shortlist; restored on undo',
};

/** People records as the merge form shows and the merge reads them. */
export async function mergeRecords(db: Knex, ids: number[]): Promise<MergeRecord[]> {
  const rows = await db('people').whereIn('id', ids).select();
  return ids.map((id) => rows.find((r) => r.id === id)).filter(Boolean).map((r) => ({ ...r, do_not_contact: Boolean(r.do_not_contact) }));
}

async function moveRows(trx: Knex, table: string, column: string, from: number[], to: number, extra?: (q: Knex.QueryBuilder) => void): Promise<[number, number][]> {
  const q = trx(table).whereIn(column, from).select('id', `${column} as owner`);
  if (extra) extra(q);
  const rows: { id: number; owner: number }[] = await q;
  for (let i = 0; i < rows.length; i += 500) {
    await trx(table).whereIn('id', rows.slice(i, i + 500).map((r) => r.id)).update({ [column]: to });
  }
  return rows.map((r) => [r.id, r.owner]);
}

/** Merges `ids` into `keepId`; returns the merge's id (for undo). Throws MergeRefused when a record changed or is gone. */
export async function mergePeople(db: Knex, actor: Actor, req: MergeRequest): Promise<number> {
  const ids = [...new Set([req.keepId, ...req.ids])];
  if (ids.length < 2) throw new MergeRefused('tooFew');
  const others = ids.filter((id) => id !== req.keepId);
  return db.transaction(async (trx) => {
    const records = await mergeRecords(trx, ids);
    if (records.length !== ids.length) throw new MergeRefused('missing', { ids: ids.filter((id) => !records.some((r) => r.id === id)).join(', ') });
    const now = nowIso();
    // compare-and-set on every record: an edit that landed since the form was shown refuses the merge
    for (const r of records) {
      const seen = req.versions?.[r.id] ?? r.updated_at;
      const n = await trx('people').where({ id: r.id, updated_at: seen }).update({ updated_at: now });
      if (n !== 1) throw new MergeRefused('changed', { name: displayName(r), id: r.id });
    }
    const people = await trx('people').whereIn('id', ids).select();
    const snapshot: Snapshot = {
      people: people.map((p) => ({ ...p, updated_at: records.find((r) => r.id === p.id)!.updated_at })),
      skills: await trx('person_skills').whereIn('person_id', ids).select(),
      tags: await trx('person_tags').whereIn('person_id', ids).select(),
      dismissals: await trx('duplicate_dismissals').whereIn('person_low', others).orWhereIn('person_high', others).select(),
      recipients: await trx('campaign_recipients').whereIn('person_id', others).select(),
      keptRecipients: await trx('campaign_recipients').where({ person_id: req.keepId }).select('campaign_id', 'person_id'),
      moved: {},
      merge_audit_id: 0,
      after: { engagements: 0, consents: 0 },
    };
    // skills: the higher level and the later last use win
    const best = new Map<number, { level: number; last_used_at: string | null }>();
    for (const s of snapshot.skills as { skill_id: number; level: number; last_used_at: string | null }[]) {
      const b = best.get(s.skill_id);
      const last = [b?.last_used_at, s.last_used_at].filter((d): d is string => Boolean(d)).sort().pop() ?? null;
      best.set(s.skill_id, { level: Math.max(b?.level ?? 0, s.level), last_used_at: last });
    }
    const tagIds = new Set((snapshot.tags as { tag_id: number }[]).map((t) => t.tag_id));
    await trx('person_skills').whereIn('person_id', ids).del();
    await trx('person_tags').whereIn('person_id', ids).del();
    if (best.size) await trx('person_skills').insert([...best].map(([skill_id, s]) => ({ person_id: req.keepId, skill_id, ...s })));
    if (tagIds.size) await trx('person_tags').insert([...tagIds].map((tag_id) => ({ person_id: req.keepId, tag_id })));
    const moved = snapshot.moved;
    for (const table of MOVED_TABLES) moved[table] = await moveRows(trx, table, 'person_id', others, req.keepId);
    moved.audit_log = await moveRows(trx, 'audit_log', 'entity_id', others, req.keepId, (q) => q.where('entity_type', 'person'));
    // campaign mails: the kept person's own row for a campaign wins; the others' go with them (restored on undo)
    const keptCampaigns = new Set(await trx('campaign_recipients').where({ person_id: req.keepId }).pluck('campaign_id'));
    for (const r of snapshot.recipients as { campaign_id: number; person_id: number }[]) {
      if (keptCampaigns.has(r.campaign_id)) continue;
      keptCampaigns.add(r.campaign_id);
      await trx('campaign_recipients').where({ campaign_id: r.campaign_id, person_id: r.person_id }).update({ person_id: req.keepId });
    }
    snapshot.shortlists = await mergeShortlistEntries(trx, others, req.keepId);
    const fields = mergedFields(records, req.keepId, req.choices ?? {});
    await trx('people').whereIn('id', others).del();
    const [merge] = await trx('person_merges').insert({
      kept_id: req.keepId, merged_ids: JSON.stringify(others), snapshot: '{}', kept_version: now, user_id: actor.userId, created_at: now,
    }).returning('id');
    const mergeId: number = typeof merge === 'object' ? merge.id : merge;
    await trx('people').where({ id: req.keepId }).update({ ...personColumns(fields), updated_at: now });
    // every e-mail of the group that the kept person does not carry now stays findable as an alias
    const keptEmail = normaliseEmail(fields.email);
    const taken = new Set((await trx('person_email_aliases').where({ person_id: req.keepId }).pluck('email_norm')) as string[]);
    for (const r of records) {
      const norm = normaliseEmail(r.email);
      if (!norm || norm === keptEmail || taken.has(norm)) continue;
      taken.add(norm);
      await trx('person_email_aliases').insert({ person_id: req.keepId, email: r.email!.trim(), email_norm: norm, merge_id: mergeId, created_at: now });
    }
    if (keptEmail) await trx('person_email_aliases').where({ email_norm: keptEmail }).del();
    await reindexPeople(trx, ids);
    await recordAudit(trx, actor, {
      action: 'merge', entityType: 'person', entityId: req.keepId,
      changes: {
        merge_id: mergeId,
        merged: records.filter((r) => r.id !== req.keepId).map((r) => `${displayName(r)} (#${r.id})`).join(', '),
        engagements: moved.engagements!.length, consents: moved.consents!.length, audit: moved.audit_log!.length,
      },
    });
    snapshot.merge_audit_id = Number((await trx('audit_log').max({ id: 'id' }).first())?.id ?? 0);
    snapshot.after = { engagements: await countOf(trx, 'engagements', req.keepId), consents: await countOf(trx, 'consents', req.keepId) };
    await trx('person_merges').where({ id: mergeId }).update({ snapshot: JSON.stringify(snapshot) });
    return mergeId;
  });
}

export interface MergeRow {
  id: number;
  kept_id: number;
  merged_ids: number[];
  created_at: string;
  undone_at: string | null;
}

export async function findMerge(db: Knex, id: number): Promise<MergeRow | undefined> {
  const row = await db('person_merges').where({ id }).first('id', 'kept_id', 'merged_ids', 'created_at', 'undone_at');
  return row ? { ...row, merged_ids: JSON.parse(row.merged_ids) } : undefined;
}

/** Whether a merge can still be undone: not undone yet, and the kept person unchanged since (no edit, no new history). */
export async function undoProblem(db: Knex, mergeId: number): Promise<MergeProblem | null> {
  const m = await db('person_merges').where({ id: mergeId }).first();
  if (!m) return 'missing';
  if (m.undone_at) return 'undone';
  const kept = await db('people').where({ id: m.kept_id }).first('updated_at');
  if (!kept || kept.updated_at !== m.kept_version) return 'changedSince';
  const snap = JSON.parse(m.snapshot) as Snapshot;
  const later = await db('audit_log').where({ entity_type: 'person', entity_id: m.kept_id }).where('id', '>', snap.merge_audit_id).first('id');
  if (later) return 'changedSince';
  if (await countOf(db, 'engagements', m.kept_id) !== snap.after.engagements) return 'changedSince';
  if (await countOf(db, 'consents', m.kept_id) !== snap.after.consents) return 'changedSince';
  return null;
}

/** The campaigns the kept person was a recipient of before the merge (their own rows stay on undo). */
function keptCampaignsBefore(snap: Snapshot, keptId: number): number[] {
  return (snap.keptRecipients ?? []).filter((r) => r.person_id === keptId).map((r) => r.campaign_id);
}

async function countOf(db: Knex, table: 'engagements' | 'consents', personId: number): Promise<number> {
  return Number((await db(table).where({ person_id: personId }).count<{ n: number }>({ n: '*' }).first())?.n ?? 0);
}

/** Undoes a merge exactly: the merged-away people come back with their ids, links, history and e-mails. */
export async function undoMerge(db: Knex, actor: Actor, mergeId: number): Promise<MergeRow> {
  return db.transaction(async (trx) => {
    const problem = await undoProblem(trx, mergeId);
    if (problem) throw new MergeRefused(problem);
    const m = await trx('person_merges').where({ id: mergeId }).first();
    const snap = JSON.parse(m.snapshot) as Snapshot;
    const others: number[] = JSON.parse(m.merged_ids);
    const ids = [m.kept_id, ...others];
    for (const id of others) if (await trx('people').where({ id }).first('id')) throw new MergeRefused('idTaken', { id });
    await trx('person_email_aliases').where({ merge_id: mergeId }).del();
    const keptBefore = snap.people.find((p) => p.id === m.kept_id)!;
    const { id: _id, ...keptColumns } = keptBefore;
    await trx('people').where({ id: m.kept_id }).update(keptColumns);
    for (const p of snap.people) if (p.id !== m.kept_id) await trx('people').insert(p);
    const back = async (table: string, column: string, pairs: [number, number][]) => {
      for (const [rowId, owner] of pairs) await trx(table).where({ id: rowId }).update({ [column]: owner });
    };
    for (const table of MOVED_TABLES) await back(table, 'person_id', snap.moved[table] ?? []);
    await back('audit_log', 'entity_id', snap.moved.audit_log ?? []);
    if (snap.recipients.length) {
      const campaigns = snap.recipients.map((r) => r.campaign_id as number);
      await trx('campaign_recipients').where({ person_id: m.kept_id }).whereIn('campaign_id', campaigns).whereNotIn('campaign_id', keptCampaignsBefore(snap, m.kept_id)).del();
      await trx('campaign_recipients').insert(snap.recipients).onConflict(['campaign_id', 'person_id']).ignore();
    }
    await trx('person_skills').whereIn('person_id', ids).del();
    await trx('person_tags').whereIn('person_id', ids).del();
    if (snap.skills.length) await trx('person_skills').insert(snap.skills);
    if (snap.tags.length) await trx('person_tags').insert(snap.tags);
    await unmergeShortlistEntries(trx, snap.shortlists);
    if (snap.dismissals.length) await trx('duplicate_dismissals').insert(snap.dismissals).onConflict(['person_low', 'person_high']).ignore();
    await trx('person_merges').where({ id: mergeId }).update({ undone_at: nowIso() });
    await reindexPeople(trx, ids);
    for (const id of ids) {
      await recordAudit(trx, actor, { action: 'unmerge', entityType: 'person', entityId: id, changes: { merge_id: mergeId } });
    }
    return { id: mergeId, kept_id: m.kept_id, merged_ids: others, created_at: m.created_at, undone_at: nowIso() };
  });
}

/** The latest merge into this person that can still be undone, with the names merged away; undefined when none. */
export async function undoableMerge(db: Knex, personId: number): Promise<{ id: number; created_at: string; names: string } | undefined> {
  return undoableMergeOf(db, await LAST_MERGE.run(db, personId));
}

/** The latest merge into a person not undone yet (undoableMerge checks whether it can still be undone). */
export const LAST_MERGE = new PreparedRead<[number], { id: number; created_at: string; snapshot: string; merged_ids: string } | undefined>((db, personId) =>
  db('person_merges').where({ kept_id: personId }).whereNull('undone_at').orderBy('id', 'desc').first('id', 'created_at', 'snapshot', 'merged_ids'));

/** undoableMerge from the row LAST_MERGE read. */
export async function undoableMergeOf(db: Knex, m: { id: number; created_at: string; snapshot: string; merged_ids: string } | undefined): Promise<{ id: number; created_at: string; names: string } | undefined> {
  if (!m || (await undoProblem(db, m.id))) return undefined;
  const snap = JSON.parse(m.snapshot) as Snapshot;
  const merged: number[] = JSON.parse(m.merged_ids);
  const names = snap.people.filter((p) => merged.includes(p.id as number))
    .map((p) => `${displayName(p as { first_name: string; last_name: string })} (#${p.id})`).join(', ');
  return { id: m.id, created_at: m.created_at, names };
}

/**
 * For erasure and anonymisation: removes what merges keep about a person (the merged-away records' copies in
 * the undo snapshots, the e-mail aliases) and returns the alias e-mails, so erasure can suppress them too.
 */
export async function forgetMergeTraces(trx: Knex, personId: number): Promise<string[]> {
  const emails: string[] = await trx('person_email_aliases').where({ person_id: personId }).pluck('email');
  await trx('person_email_aliases').where({ person_id: personId }).del();
  await trx('person_merges').where({ kept_id: personId }).del();
  return emails;
}
