// importEngagementsFile: a network's history (organisations, projects, engagements) from a CSV, matched
// to people by e-mail. Same rules as the people import (runBatch): short steps, all or nothing for the user,
// a dry run writes nothing, loading the same file twice changes nothing, and the batch can be undone.
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { foldText, normaliseEmail } from '../shared/normalise.js';
import type { CsvRecord } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { DEFAULT_PROJECT_KIND } from '../projects/projects.domain.js';
import { engagementColumns, mapEngagementRow, type EngagementSample, type EngagementTarget } from './engagements.domain.js';
import { emptySummary, problemWriter, type ImportOptions, type ImportSummary, type RowIssue } from './import.service.js';
import { runBatch } from './batch.service.js';
import { EngagementWriter, ENGAGEMENT_FIELDS as FIELDS } from './engagements.write.queries.js';

export interface EngagementImportOptions extends Omit<ImportOptions, 'mapping' | 'newSkills' | 'skillChoices'> {
  mapping: EngagementTarget[];
}

export async function importEngagementsFile(db: Knex, o: EngagementImportOptions): Promise<ImportSummary> {
  for (const need of ['email', 'organisation', 'project'] as const) {
    if (!o.mapping.includes(need)) throw new ImportRefused('imports.refused.noEngagementColumns', { headers: o.detection.headers.slice(0, 12).join(', ') });
  }
  const sampleSize = o.sampleSize ?? 200;
  const sum: ImportSummary = { ...emptySummary(), entries: [] };
  const problems = problemWriter(o, o.detection.headers);
  const issue = (i: RowIssue, cells: string[]) => {
    if (sum.issues.length < sampleSize) sum.issues.push(i);
    if (i.type === 'error' || i.type === 'duplicate') problems.write(cells, i);
  };
  const sample = (e: EngagementSample) => {
    if (sum.entries!.length < sampleSize) sum.entries!.push(e);
  };
  const now = nowIso();
  const today = now.slice(0, 10);
  const w = new EngagementWriter(db, now, o.actor, o.dryRun);
  const orgIds = new Map<string, number>();
  const projectIds = new Map<number, Map<string, number>>();
  const seen = new Map<number, number>(); // engagement id → first row that matched it

  const orgId = async (name: string): Promise<number> => {
    const key = foldText(name);
    const id = orgIds.get(key) ?? (await w.findOrganisation(key)) ?? (await w.createOrganisation(name, key));
    orgIds.set(key, id);
    return id;
  };
  const projectId = async (org: number, r: { project: string; project_kind: string | null; start_date: string | null; end_date: string | null }): Promise<number> => {
    let titles = projectIds.get(org);
    if (!titles) projectIds.set(org, (titles = await w.projectsOf(org)));
    const key = foldText(r.project);
    let id = titles.get(key);
    if (id === undefined) {
      const status = r.end_date && r.end_date < today ? 'done' : 'running';
      id = await w.createProject(org, r.project, r.project_kind ?? DEFAULT_PROJECT_KIND, status, r.start_date, r.end_date);
      titles.set(key, id);
    }
    return id;
  };

  const handleRow = async (rec: CsvRecord) => {
    const mapped = mapEngagementRow(rec.cells, o.detection.headers, o.mapping, { dropBadField: o.dropBadField });
    if (!mapped.ok) {
      sum.errors++;
      return issue({ row: rec.row, type: 'error', ...mapped.problem }, rec.cells);
    }
    const r = mapped.row;
    const person = await w.personByEmail(normaliseEmail(r.email) ?? '');
    if (person === undefined) {
      sum.errors++;
      return issue({ row: rec.row, type: 'error', key: 'imports.row.noPerson', vars: { value: r.email } }, rec.cells);
    }
    const project = await projectId(await orgId(r.organisation), r);
    const cols = engagementColumns(r);
    const entry = (action: EngagementSample['action'], fields: string[] = []): EngagementSample => ({
      row: rec.row, action, personId: person, email: r.email, organisation: r.organisation, project: r.project, role: r.role, start_date: r.start_date, end_date: r.end_date, fields,
    });
    // a row taken without its bad field: listed, and its person tagged for review (once written)
    const flag = async () => {
      if (!mapped.dropped) return;
      sum.dropped++;
      for (const d of mapped.dropped) issue({ row: rec.row, type: 'dropped', ...d }, rec.cells);
      if (o.reviewTag) await w.flagForReview(person, o.reviewTag);
    };
    const existing = await w.findEngagement(person, project, r.start_date ?? '', r.role ?? '');
    if (!existing) {
      const id = await w.createEngagement(person, project, cols);
      seen.set(id, rec.row);
      sum.created++;
      await flag();
      return sample(entry('create'));
    }
    const first = seen.get(existing.id);
    if (first !== undefined) {
      sum.skipped++;
      sum.duplicates++;
      return issue({ row: rec.row, type: 'duplicate', key: 'imports.row.duplicate', vars: { first } }, rec.cells);
    }
    seen.set(existing.id, rec.row);
    const changed = FIELDS.filter((f) => cols[f] !== null && cols[f] !== existing[f] && !(o.policy === 'fill' && existing[f] !== null && existing[f] !== ''));
    const differs = FIELDS.some((f) => cols[f] !== null && cols[f] !== existing[f]);
    if (!differs || (o.policy === 'fill' && !changed.length)) {
      sum.unchanged++;
      return;
    }
    if (o.policy === 'skip') {
      sum.skipped++;
      return sample(entry('skip', FIELDS.filter((f) => cols[f] !== null && cols[f] !== existing[f])));
    }
    await w.updateEngagement(person, existing, changed, cols);
    sum.updated++;
    await flag();
    sample(entry('update', changed));
  };

  try {
    sum.batch = await runBatch(db, { ...o, now, entity: 'engagements', policy: o.policy, mapping: { headers: o.detection.headers, targets: o.mapping } }, sum, {
      start: async (batchId) => { w.batchId = batchId; },
      step: (q) => { w.q = q; },
      row: handleRow,
      flush: () => w.flush(),
      finish: () => w.finishBatch(sum),
    });
    return sum;
  } finally {
    problems.close();
  }
}
