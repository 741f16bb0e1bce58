// The queries of a history import (engagements with their organisations and projects), through knex. Like
// ImportWriter: `q` is the current step's transaction; a dry run writes nothing and numbers what it would
// create with negative ids.
import type { Knex } from 'knex';
import { auditRow, insertAuditRows, type Actor } from '../audit/audit.queries.js';
import { foldText } from '../shared/normalise.js';
import { reindexPeople } from '../search/index.queries.js';
import { listKey } from './mapping.domain.js';
import { insertRows } from './imports.write.queries.js';

export const ENGAGEMENT_FIELDS = ['role', 'start_date', 'end_date', 'hours', 'paid', 'rate', 'outcome', 'feedback', 'rating', 'handover'] as const;
export type EngagementField = (typeof ENGAGEMENT_FIELDS)[number];
type Existing = Record<string, string | number | null> & { id: number };

async function insertId(q: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await q(table).insert(row).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

export class EngagementWriter {
  q: Knex;
  batchId: number | null = null;
  private fake = 0;
  private changes: Record<string, unknown>[] = [];
  private audits: Record<string, unknown>[] = [];
  private readonly people = new Map<string, number | null>();
  /** the review tag's id (undefined: not looked up yet), the people flagged so far, and those the step re-indexes */
  private reviewTagId: number | null | undefined;
  private readonly flagged = new Set<number>();
  private touched = new Set<number>();

  constructor(db: Knex, private readonly now: string, private readonly actor: Actor, private readonly dryRun: boolean) {
    this.q = db;
  }

  private record(action: string, personId: number | null, before: unknown, after: unknown): void {
    this.changes.push({ batch_id: this.batchId, person_id: personId, action, before: before === null ? null : JSON.stringify(before), after: JSON.stringify(after), applied_at: this.now });
  }

  private audit(action: string, type: string, id: number, changes: object): void {
    this.audits.push(auditRow({ ...this.actor, source: 'import' }, { action, entityType: type, entityId: id, changes: { batch: this.batchId, ...changes } }, this.now));
  }

  async flush(): Promise<void> {
    const [changes, audits, touched] = [this.changes, this.audits, this.touched];
    this.changes = [];
    this.audits = [];
    this.touched = new Set();
    if (this.dryRun) return;
    await insertRows(this.q, 'import_changes', changes);
    await insertAuditRows(this.q, audits);
    if (touched.size) await reindexPeople(this.q, [...touched]);
  }

  /**
   * Tags a person for review (a row of theirs was taken without a bad field), once per person and run; the tag
   * is created when new. Both are recorded on the batch, so an undo takes them back.
   */
  async flagForReview(personId: number, tag: string): Promise<void> {
    if (this.flagged.has(personId)) return;
    this.flagged.add(personId);
    const key = listKey(tag);
    if (this.reviewTagId === undefined) {
      const row = await this.q('tags').where({ name_norm: key }).first('id');
      this.reviewTagId = row ? Number(row.id) : null;
    }
    if (this.reviewTagId === null) {
      this.reviewTagId = this.dryRun ? --this.fake : await insertId(this.q, 'tags', { name: tag.trim(), name_norm: key });
      this.record('tag', null, null, { tag_id: this.reviewTagId, name: tag });
    }
    const tagId = this.reviewTagId;
    if (tagId > 0 && (await this.q('person_tags').where({ person_id: personId, tag_id: tagId }).first('tag_id'))) return;
    if (!this.dryRun) {
      await this.q('person_tags').insert({ person_id: personId, tag_id: tagId });
      this.touched.add(personId);
    }
    this.record('person_tag', personId, null, { person_id: personId, tag_id: tagId });
    this.audit('import', 'person', personId, { action: 'tag', tag });
  }

  async finishBatch(c: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errors: number }): Promise<void> {
    const { rows, created, updated, unchanged, skipped, errors } = c;
    await this.q('import_batches').where({ id: this.batchId }).update({ status: 'committed', rows, created, updated, unchanged, skipped, errors });
  }

  async personByEmail(emailNorm: string): Promise<number | undefined> {
    if (!this.people.has(emailNorm)) {
      if (this.people.size > 50_000) this.people.clear();
      const row = emailNorm ? await this.q('people').where({ email_norm: emailNorm }).first('id') : undefined;
      this.people.set(emailNorm, row ? Number(row.id) : null);
    }
    return this.people.get(emailNorm) ?? undefined;
  }

  async findOrganisation(nameNorm: string): Promise<number | undefined> {
    const row = await this.q('organisations').where({ name_norm: nameNorm }).first('id');
    return row ? Number(row.id) : undefined;
  }

  async createOrganisation(name: string, nameNorm: string): Promise<number> {
    const id = this.dryRun ? --this.fake : await insertId(this.q, 'organisations', { name: name.trim(), name_norm: nameNorm, created_at: this.now, updated_at: this.now });
    this.record('organisation', null, null, { id });
    this.audit('create', 'organisation', id, { name });
    return id;
  }

  /** The projects of an organisation by folded title. */
  async projectsOf(orgId: number): Promise<Map<string, number>> {
    if (orgId < 0) return new Map();
    const rows = await this.q('projects').where({ organisation_id: orgId }).select('id', 'title');
    return new Map(rows.map((x) => [foldText(x.title), Number(x.id)]));
  }

  async createProject(orgId: number, title: string, kind: string, status: string, start: string | null, end: string | null): Promise<number> {
    const id = this.dryRun ? --this.fake : await insertId(this.q, 'projects', {
      organisation_id: orgId, title, kind, status, start_date: start, end_date: end, created_at: this.now, updated_at: this.now,
    });
    this.record('project', null, null, { id });
    this.audit('create', 'project', id, { title });
    return id;
  }

  async findEngagement(personId: number, projectId: number, start: string, role: string): Promise<Existing | undefined> {
    if (projectId < 0) return undefined;
    return this.q('engagements').where({ person_id: personId, project_id: projectId })
      .whereRaw('coalesce(start_date, ?) = ?', ['', start]).whereRaw('coalesce(role, ?) = ?', ['', role])
      .orderBy('id').first(['id', ...ENGAGEMENT_FIELDS]);
  }

  async createEngagement(personId: number, projectId: number, cols: Record<string, unknown>): Promise<number> {
    const values = Object.fromEntries(ENGAGEMENT_FIELDS.map((f) => [f, cols[f] ?? (f === 'paid' ? 0 : null)]));
    const id = this.dryRun ? --this.fake : await insertId(this.q, 'engagements', { person_id: personId, project_id: projectId, ...values, created_at: this.now, updated_at: this.now });
    this.record('engagement', personId, null, { id });
    this.audit('import', 'engagement', id, { action: 'create', person_id: personId, project_id: projectId });
    return id;
  }

  async updateEngagement(personId: number, existing: Existing, changed: EngagementField[], cols: Record<string, unknown>): Promise<void> {
    const next = { ...existing } as Record<string, unknown>;
    for (const f of changed) next[f] = cols[f] ?? null;
    if (!this.dryRun) await this.q('engagements').where({ id: existing.id }).update({ ...Object.fromEntries(changed.map((f) => [f, next[f]])), updated_at: this.now });
    const before = Object.fromEntries(changed.map((f) => [f, existing[f]]));
    const after = Object.fromEntries(changed.map((f) => [f, next[f]]));
    this.record('engagement_update', personId, before, { id: existing.id, fields: after });
    this.audit('import', 'engagement', existing.id, { action: 'update', ...Object.fromEntries(changed.map((f) => [f, { from: existing[f], to: next[f] }])) });
  }
}
