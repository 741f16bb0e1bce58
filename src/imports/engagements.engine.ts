// importEngagementsFile: a network's history (organisations, projects, engagements) from a CSV, matched
// to people by e-mail. Same rules as the people import: one transaction per batch, a dry run rolls back,
// loading the same file twice changes nothing, and the batch can be undone.
import type { Knex } from 'knex';
import { nowIso, withBatchConnection } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import { foldText, normaliseEmail } from '../shared/normalise.js';
import { readBatches } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { DEFAULT_PROJECT_KIND } from '../projects/projects.domain.js';
import { engagementColumns, mapEngagementRow, type EngagementTarget } from './engagements.domain.js';
import type { ImportOptions, ImportSummary, RowIssue } from './imports.engine.js';

export interface EngagementImportOptions extends Omit<ImportOptions, 'mapping' | 'newSkills' | 'skillChoices' | 'problemRowsFile' | 'describe' | 'reasonHeader'> {
  mapping: EngagementTarget[];
}

const FIELDS = ['role', 'start_date', 'end_date', 'hours', 'paid', 'rate', 'outcome', 'feedback', 'rating', 'handover'] as const;

export async function importEngagementsFile(db: Knex, o: EngagementImportOptions): Promise<ImportSummary> {
  for (const need of ['email', 'organisation', 'project'] as const) {
    if (!o.mapping.includes(need)) throw new ImportRefused('imports.refused.noEngagementColumns', { headers: o.detection.headers.slice(0, 12).join(', ') });
  }
  const sampleSize = o.sampleSize ?? 200;
  const sum: ImportSummary = {
    batch: null, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, duplicates: 0, nameMatches: 0, suppressed: 0, held: 0, dropped: 0,
    issues: [], changes: [], unknownSkills: [],
  };
  const issue = (i: RowIssue) => {
    if (sum.issues.length < sampleSize) sum.issues.push(i);
  };
  let bytes = 0;
  return withBatchConnection(db, async (conn) => {
    const now = nowIso();
    const today = now.slice(0, 10);
    const p = (sql: string) => conn.prepare(sql);
    const s = {
      person: p('select id from people where email_norm = ?'),
      org: p('select id from organisations where name_norm = ?'),
      insOrg: p('insert into organisations (name, name_norm, created_at, updated_at) values (?, ?, ?, ?)'),
      projects: p('select id, title from projects where organisation_id = ?'),
      insProject: p('insert into projects (organisation_id, title, kind, status, start_date, end_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)'),
      find: p(`select id, ${FIELDS.join(', ')} from engagements where person_id = ? and project_id = ? and coalesce(start_date, '') = ? and coalesce(role, '') = ? order by id limit 1`),
      insert: p(`insert into engagements (person_id, project_id, ${FIELDS.join(', ')}, created_at, updated_at) values (?, ?, ${FIELDS.map(() => '?').join(', ')}, ?, ?)`),
      update: p(`update engagements set ${FIELDS.map((f) => `${f} = ?`).join(', ')}, updated_at = ? where id = ?`),
      change: p('insert into import_changes (batch_id, person_id, action, before, after, applied_at) values (?, ?, ?, ?, ?, ?)'),
      audit: p(`insert into audit_log (user_id, actor, action, entity_type, entity_id, source, changes, created_at) values (?, ?, ?, ?, ?, 'import', ?, ?)`),
      batch: p(`insert into import_batches (user_id, source, entity, filename, policy, mapping, status, created_at) values (?, ?, 'engagements', ?, ?, ?, 'running', ?)`),
      finish: p(`update import_batches set status = 'committed', rows = ?, created = ?, updated = ?, unchanged = ?, skipped = ?, errors = ? where id = ?`),
    };
    const orgIds = new Map<string, number>();
    const projectIds = new Map<number, Map<string, number>>();
    const seen = new Map<number, number>(); // engagement id → first row that matched it
    conn.exec('BEGIN IMMEDIATE');
    try {
      const batchId = Number(s.batch.run(o.actor.userId, o.actor.source === 'cli' ? 'cli' : 'web', o.filename.slice(0, 255), o.policy,
        JSON.stringify({ headers: o.detection.headers, targets: o.mapping }), now).lastInsertRowid);
      const record = (action: string, personId: number | null, before: unknown, after: unknown) =>
        s.change.run(batchId, personId, action, before === null ? null : JSON.stringify(before), JSON.stringify(after), now);
      const audit = (action: string, type: string, id: number, changes: object) =>
        s.audit.run(o.actor.userId, o.actor.label, action, type, id, JSON.stringify({ batch: batchId, ...changes }), now);
      const orgId = (name: string): number => {
        const key = foldText(name);
        let id = orgIds.get(key) ?? (s.org.get(key) as { id: number } | undefined)?.id;
        if (id === undefined) {
          id = Number(s.insOrg.run(name.trim(), key, now, now).lastInsertRowid);
          record('organisation', null, null, { id });
          audit('create', 'organisation', id, { name });
        }
        orgIds.set(key, id);
        return id;
      };
      for await (const batch of readBatches(o.file, { ...o.detection, onBytes: (n) => { bytes += n; o.onProgress?.(bytes); } })) for (const rec of batch) {
        if (rec.row <= o.detection.headerRow) continue;
        sum.rows++;
        const mapped = mapEngagementRow(rec.cells, o.detection.headers, o.mapping);
        if (!mapped.ok) {
          sum.errors++;
          issue({ row: rec.row, type: 'error', ...mapped.problem });
          continue;
        }
        const r = mapped.row;
        const person = s.person.get(normaliseEmail(r.email)) as { id: number } | undefined;
        if (!person) {
          sum.errors++;
          issue({ row: rec.row, type: 'error', key: 'imports.row.noPerson', vars: { value: r.email } });
          continue;
        }
        const org = orgId(r.organisation);
        let titles = projectIds.get(org);
        if (!titles) {
          titles = new Map((s.projects.all(org) as { id: number; title: string }[]).map((x) => [foldText(x.title), x.id]));
          projectIds.set(org, titles);
        }
        let project = titles.get(foldText(r.project));
        if (project === undefined) {
          const status = r.end_date && r.end_date < today ? 'done' : 'running';
          project = Number(s.insProject.run(org, r.project, r.project_kind ?? DEFAULT_PROJECT_KIND, status, r.start_date, r.end_date, now, now).lastInsertRowid);
          titles.set(foldText(r.project), project);
          record('project', null, null, { id: project });
          audit('create', 'project', project, { title: r.project });
        }
        const cols = engagementColumns(r);
        const existing = s.find.get(person.id, project, r.start_date ?? '', r.role ?? '') as Record<string, string | number | null> & { id: number } | undefined;
        if (!existing) {
          const id = Number(s.insert.run(person.id, project, ...FIELDS.map((f) => cols[f] ?? (f === 'paid' ? 0 : null)), now, now).lastInsertRowid);
          seen.set(id, rec.row);
          record('engagement', person.id, null, { id });
          audit('import', 'engagement', id, { action: 'create', person_id: person.id, project_id: project });
          sum.created++;
          continue;
        }
        if (seen.has(existing.id)) {
          sum.skipped++;
          sum.duplicates++;
          issue({ row: rec.row, type: 'duplicate', key: 'imports.row.duplicate', vars: { first: seen.get(existing.id)! } });
          continue;
        }
        seen.set(existing.id, rec.row);
        const changed = FIELDS.filter((f) => cols[f] !== null && cols[f] !== existing[f] && !(o.policy === 'fill' && existing[f] !== null && existing[f] !== ''));
        const differs = FIELDS.some((f) => cols[f] !== null && cols[f] !== existing[f]);
        if (!differs || (o.policy === 'fill' && !changed.length)) {
          sum.unchanged++;
          continue;
        }
        if (o.policy === 'skip') {
          sum.skipped++;
          continue;
        }
        const next = { ...existing };
        for (const f of changed) next[f] = cols[f] ?? null;
        s.update.run(...FIELDS.map((f) => next[f] ?? null), now, existing.id);
        const before = Object.fromEntries(changed.map((f) => [f, existing[f]]));
        const after = Object.fromEntries(changed.map((f) => [f, next[f]]));
        record('engagement_update', person.id, before, { id: existing.id, fields: after });
        audit('import', 'engagement', existing.id, { action: 'update', ...Object.fromEntries(changed.map((f) => [f, { from: existing[f], to: next[f] }])) });
        sum.updated++;
      }
      if (sum.rows === 0) throw new ImportRefused('imports.refused.headerOnly', { row: o.detection.headerRow });
      if (o.dryRun) conn.exec('ROLLBACK');
      else {
        s.finish.run(sum.rows, sum.created, sum.updated, sum.unchanged, sum.skipped, sum.errors, batchId);
        conn.exec('COMMIT');
        sum.batch = batchId;
      }
      return sum;
    } catch (err) {
      if (conn.inTransaction) conn.exec('ROLLBACK');
      throw err;
    }
  });
}
