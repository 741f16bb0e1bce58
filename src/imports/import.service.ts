// importPeopleFile: the one code path of the wizard and the CLI. Maps, validates and dedupes each row of
// the file; runBatch (batch.service.ts) reads it and writes in short steps, all or nothing for the user.
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import { normaliseEmail } from '../shared/normalise.js';
import { displayName, type PersonFields } from '../people/people.domain.js';
import { spreadsheetOptions } from '../exports/csv.domain.js';
import type { CsvRecord, Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { listKey, type Target } from './mapping.domain.js';
import {
  compileMapping, isEmptyChange, mapRow, matchKey, missingName, newPersonFields, planChanges,
  type Changes, type HeldValue, type ImportCounts, type ImportField, type Policy, type ResolvedRow, type RowPerson, type RowProblem,
} from './rows.domain.js';
import { ImportWriter, type StoredPerson } from './imports.write.queries.js';
import { runBatch, type BatchRun } from './batch.service.js';
import { hasLossMark, isCodePageLoss, wildcardPattern } from './lossy.domain.js';
import type { EngagementSample } from './engagements.domain.js';

/** A decision for a skill name the network does not know yet: an existing skill's id, 'new' or 'ignore'. */
export type SkillChoice = number | 'new' | 'ignore';

export interface ImportOptions {
  file: string;
  filename: string;
  detection: Pick<Detection, 'encoding' | 'delimiter' | 'headerRow' | 'headers'>;
  mapping: Target[];
  policy: Policy;
  /** create skills the network does not know (default) or leave them out */
  newSkills: boolean;
  /** per unknown skill (by nameKey), what the user chose in the wizard */
  skillChoices?: Record<string, SkillChoice>;
  dryRun: boolean;
  /** with `update`: write values even where they are a lossier copy of the stored one (default: held back, listed) */
  overwriteLossy?: boolean;
  actor: Actor;
  /** take a row whose only problem is one bad field without that field (default: the row fails) */
  dropBadField?: boolean;
  /** the tag a row imported without a bad field gets, so someone reviews it */
  reviewTag?: string;
  /** the language skill names are shown in (preview, result): German names where set when 'de' */
  lang?: string;
  /** bytes read so far, for a progress bar */
  onProgress?: (bytesRead: number) => void;
  /** where to write the rows that failed or were duplicates: original cells plus a reason column */
  problemRowsFile?: string;
  /** turns a row problem into the reason text of that file */
  describe?: (p: RowProblem) => string;
  reasonHeader?: string;
  sampleSize?: number;
  /** the job to report to, a wait notice, a stop signal (see BatchRun) */
  jobId?: BatchRun['jobId'];
  onWait?: BatchRun['onWait'];
  signal?: AbortSignal;
}

export interface RowIssue extends RowProblem {
  row: number;
  type: 'error' | 'duplicate' | 'suppressed' | 'held' | 'dropped';
}

export interface ChangeSample {
  row: number;
  action: 'create' | 'update' | 'skip';
  personId: number | null;
  name: string;
  nameMatch: boolean;
  fields: Partial<Record<ImportField, { from: string | null; to: string }>>;
  skills: string[];
  levels: { name: string; from: number; to: number }[];
  tags: string[];
  /** a new person's contact details, for the preview's duplicate check (src/duplicates) */
  contact?: Partial<Record<ImportField, string>>;
  /** set by that check: an existing person this row probably is */
  likely?: { id: number; name: string; score: number; reasons: { key: string; vars: Record<string, string> }[] };
  /** values not written: a damaged copy of the stored one */
  held?: HeldValue[];
}

export interface ImportSummary extends ImportCounts {
  batch: number | null;
  duplicates: number;
  nameMatches: number;
  suppressed: number;
  /** values held back because they would replace a stored value with a lossier copy */
  held: number;
  /** rows taken without their one bad field (ImportOptions.dropBadField) */
  dropped: number;
  issues: RowIssue[];
  changes: ChangeSample[];
  /** skill names the network did not know, with what happened to them and how many rows named them: the
   *  UNKNOWN_SKILLS_LISTED named by most rows (a page a person can read) */
  unknownSkills: UnknownSkill[];
  /** how many distinct unknown skill names the file has in all, and how many of them were created, mapped or left out */
  unknownSkillCount: number;
  unknownSkillOutcomes: Record<UnknownSkill['outcome'], number>;
  /** a history import's rows as the preview lists them (the first sampleSize) */
  entries?: EngagementSample[];
}

export interface UnknownSkill {
  key: string;
  name: string;
  rows: number;
  outcome: 'created' | 'mapped' | 'ignored';
}

/** How many unknown skills a summary names (the preview lists them with a choice each, the CLI by name); all are counted. */
export const UNKNOWN_SKILLS_LISTED = 100;

/** The summary's part about unknown skills: every one counted; the most used listed, in the file's order. */
function unknownSkillSummary(all: Map<string, UnknownSkill>): Pick<ImportSummary, 'unknownSkills' | 'unknownSkillCount' | 'unknownSkillOutcomes'> {
  const outcomes = { created: 0, mapped: 0, ignored: 0 };
  for (const u of all.values()) outcomes[u.outcome]++;
  const top = new Set([...all.values()].sort((a, b) => b.rows - a.rows).slice(0, UNKNOWN_SKILLS_LISTED));
  return { unknownSkills: [...all.values()].filter((u) => top.has(u)), unknownSkillCount: all.size, unknownSkillOutcomes: outcomes };
}

/** The problem-rows file: original cells plus a reason column (formula-looking cells get the usual ' guard). */
export function problemWriter(o: Pick<ImportOptions, 'problemRowsFile' | 'reasonHeader' | 'describe' | 'detection'>, headers: string[]) {
  const fd = o.problemRowsFile ? openSync(o.problemRowsFile, 'w') : null;
  // the header row is guarded like the data: a column named "=HYPERLINK(…)" must not run either
  if (fd !== null) writeSync(fd, '\uFEFF' + stringify([[...headers, o.reasonHeader ?? 'reason']], spreadsheetOptions(o.detection.delimiter)));
  return {
    write(cells: string[], p: RowProblem) {
      if (fd === null) return;
      writeSync(fd, stringify([[...cells.slice(0, headers.length), o.describe ? o.describe(p) : p.key]], spreadsheetOptions(o.detection.delimiter)));
    },
    close() {
      if (fd !== null) closeSync(fd);
    },
  };
}

export function emptySummary(): ImportSummary {
  return {
    batch: null, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, duplicates: 0, nameMatches: 0,
    suppressed: 0, held: 0, dropped: 0, issues: [], changes: [], unknownSkills: [], unknownSkillCount: 0, unknownSkillOutcomes: { created: 0, mapped: 0, ignored: 0 },
  };
}

/** Imports (or with dryRun previews) a people CSV. Throws ImportRefused when the file cannot be imported; then nothing is written. */
export async function importPeopleFile(db: Knex, o: ImportOptions): Promise<ImportSummary> {
  const plan = compileMapping(o.detection.headers, o.mapping);
  if (!o.mapping.some((t) => t === 'email' || t === 'first_name' || t === 'last_name' || t === 'full_name')) {
    throw new ImportRefused('imports.refused.noPersonColumns', { headers: o.detection.headers.slice(0, 12).join(', ') });
  }
  const sampleSize = o.sampleSize ?? 200;
  const sum = emptySummary();
  const unknown = new Map<string, UnknownSkill>(); // every unknown name of the file, counted exactly
  const seen = new Map<number, number>(); // person id → first row of this file that matched them
  const problems = problemWriter(o, plan.headers);
  const store = new ImportWriter(db, nowIso(), { ...o.actor, source: 'import', label: o.actor.label }, o.dryRun);
  const issue = (row: number, type: RowIssue['type'], p: RowProblem, cells: string[]) => {
    if (sum.issues.length < sampleSize) sum.issues.push({ row, type, ...p });
    if (type === 'error' || type === 'duplicate') problems.write(cells, p);
  };
  const sample = (c: ChangeSample) => {
    if (sum.changes.length < sampleSize) sum.changes.push(c);
  };
  const resolveSkills = async (p: RowPerson, create: boolean, row: ResolvedRow): Promise<boolean> => {
    let complete = true;
    for (const s of p.skills) {
      const key = listKey(s.name);
      // a name this file introduced counts on every row that names it (once created, it is found like any skill)
      const known = unknown.get(key);
      if (known) known.rows++;
      let id = await store.findSkill(s.name);
      if (id === null) {
        const choice = o.skillChoices?.[key] ?? (o.newSkills ? 'new' : 'ignore');
        if (!known) unknown.set(key, { key, name: s.name, rows: 1, outcome: choice === 'new' ? 'created' : choice === 'ignore' ? 'ignored' : 'mapped' });
        if (choice === 'ignore') continue;
        if (typeof choice === 'number') id = choice;
        else if (create) id = await store.createSkill(s.name);
        else {
          complete = false;
          continue;
        }
      }
      const prev = row.skills.find((x) => x.skillId === id);
      if (prev) prev.level = Math.max(prev.level ?? 0, s.level ?? 0) || null;
      else row.skills.push({ skillId: id, level: s.level });
    }
    return complete;
  };
  const tagIds = async (names: string[], create: boolean) => {
    const ids: number[] = [];
    for (const t of names) {
      const id = await store.tagId(t, create);
      if (id !== null && !ids.includes(id)) ids.push(id);
    }
    return ids;
  };

  const createPerson = async (rec: CsvRecord, p: RowPerson, label: () => string) => {
    if (missingName(p)) {
      sum.errors++;
      return issue(rec.row, 'error', { key: 'imports.row.noName', vars: {} }, rec.cells);
    }
    const row: ResolvedRow = { fields: p.fields, skills: [], tagIds: [] };
    await resolveSkills(p, true, row);
    row.tagIds = await tagIds(p.tags, true);
    const id = await store.insertPerson(newPersonFields(row));
    for (const s of row.skills) store.addSkill(id, s.skillId, s.level ?? 1);
    for (const t of row.tagIds) store.addTag(id, t);
    seen.set(id, rec.row);
    sum.created++;
    if (sum.changes.length < sampleSize) {
      const skills = await Promise.all(row.skills.map(async (s) => `${await store.skillLabel(s.skillId, o.lang)} (${s.level ?? 1})`));
      sample({ row: rec.row, action: 'create', personId: id, name: label(), nameMatch: false, fields: {}, skills, levels: [], tags: await Promise.all(row.tagIds.map((t) => store.tagLabel(t))), contact: p.fields });
    }
  };

  const updatePerson = async (rec: CsvRecord, p: RowPerson, existing: StoredPerson, nameMatch: boolean, label: () => string) => {
    seen.set(existing.id, rec.row);
    if (nameMatch) sum.nameMatches++;
    const have = { fields: existing as Record<ImportField, string | null>, skills: await store.personSkills(existing.id), tagIds: await store.personTagIds(existing.id) };
    const skipping = o.policy === 'skip';
    const row: ResolvedRow = { fields: p.fields, skills: [], tagIds: [] };
    const complete = await resolveSkills(p, !skipping, row);
    row.tagIds = await tagIds(p.tags, !skipping);
    const missingTags = row.tagIds.length < new Set(p.tags.map(listKey)).size;
    const changes = planChanges(have, row, skipping ? 'update' : o.policy, { overwriteLossy: o.overwriteLossy });
    if (changes.held.length && !skipping) {
      sum.held += changes.held.length;
      for (const h of changes.held) {
        const col = plan.targets.indexOf(h.field as Target);
        const column = col >= 0 ? plan.headers[col]! : plan.headers[plan.targets.indexOf('full_name')] ?? h.field;
        issue(rec.row, 'held', { key: `imports.held.${h.reason}`, vars: { column, from: h.from.slice(0, 80), to: h.to.slice(0, 80) } }, rec.cells);
      }
    }
    if (isEmptyChange(changes) && complete && !missingTags) {
      sum.unchanged++;
      return;
    }
    if (skipping) {
      sum.skipped++;
      if (sum.changes.length < sampleSize) sample(await describeChanges(store, rec.row, 'skip', existing.id, label(), nameMatch, changes, o.lang));
      return;
    }
    await applyUpdate(store, existing, changes);
    sum.updated++;
    if (sum.changes.length < sampleSize) sample(await describeChanges(store, rec.row, 'update', existing.id, label(), nameMatch, changes, o.lang));
  };

  // which skill and tag names exist (a cell "Design, UX" is one known skill, not two): held in memory for the run
  const known = { skill: (n: string) => store.knownSkill(n), tag: (n: string) => store.knownTag(n) };
  const mappedRows = new WeakMap<CsvRecord, ReturnType<typeof mapRow>>();
  const prefetch = async (recs: CsvRecord[]) => store.prefetch(recs.flatMap((rec) => {
    const mapped = mapRow(rec.cells, plan, known, { dropBadField: o.dropBadField });
    mappedRows.set(rec, mapped);
    const key = mapped.ok ? matchKey(mapped.person) : null;
    return key ? [key] : [];
  }));

  const handleRow = async (rec: CsvRecord) => {
    const mapped = mappedRows.get(rec) ?? mapRow(rec.cells, plan, known, { dropBadField: o.dropBadField });
    if (!mapped.ok) {
      sum.errors++;
      return issue(rec.row, 'error', mapped.problem, rec.cells);
    }
    const p = mapped.person;
    if (p.dropped) {
      sum.dropped++;
      for (const d of p.dropped) issue(rec.row, 'dropped', d, rec.cells);
      if (o.reviewTag) p.tags.push(o.reviewTag);
    }
    const key = matchKey(p);
    if (!key) {
      sum.errors++;
      return issue(rec.row, 'error', { key: 'imports.row.noKey', vars: {} }, rec.cells);
    }
    if ('email' in key && (await store.isSuppressed(key.email))) {
      sum.skipped++;
      sum.suppressed++;
      return issue(rec.row, 'suppressed', { key: 'imports.row.suppressed', vars: {} }, rec.cells);
    }
    const existing = 'email' in key ? await store.findByEmail(key.email) : await findByName(store, p, key);
    const first = existing ? seen.get(existing.id) : undefined;
    if (first !== undefined) {
      sum.skipped++;
      sum.duplicates++;
      return issue(rec.row, 'duplicate', { key: 'imports.row.duplicate', vars: { first } }, rec.cells);
    }
    const label = () => displayOf(p.fields, existing);
    if (!existing) return createPerson(rec, p, label);
    return updatePerson(rec, p, existing, !('email' in key), label);
  };

  try {
    await store.loadNames();
    sum.batch = await runBatch(db, { ...o, now: store.now, entity: 'people', policy: o.policy, mapping: { headers: plan.headers, targets: o.mapping } }, sum, {
      start: async (batchId) => { store.batchId = batchId; },
      step: (q) => { store.useStep(q); },
      prefetch,
      row: handleRow,
      flush: () => store.flush(),
      finish: () => {
        Object.assign(sum, unknownSkillSummary(unknown));
        return store.finishBatch(sum);
      },
    });
    Object.assign(sum, unknownSkillSummary(unknown));
    return sum;
  } finally {
    problems.close();
  }
}

/**
 * The person a row without e-mail describes: by name and phone; a name with `?` (a character the file's code page
 * lacked) also finds the one stored person it is a damaged copy of, so no duplicate is created.
 */
async function findByName(store: ImportWriter, p: RowPerson, key: { name: string; phone: string }): Promise<StoredPerson | undefined> {
  const exact = await store.findByNamePhone(key.name, key.phone);
  if (exact || !hasLossMark(key.name)) return exact;
  const fileName = `${p.fields.first_name ?? ''} ${p.fields.last_name ?? ''}`;
  const candidates = (await store.findByNameLike(wildcardPattern(key.name), key.phone))
    .filter((c) => isCodePageLoss(`${c.first_name ?? ''} ${c.last_name ?? ''}`, fileName));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function displayOf(f: RowPerson['fields'], existing?: StoredPerson): string {
  return displayName({ first_name: f.first_name ?? existing?.first_name, last_name: f.last_name ?? existing?.last_name, email: normaliseEmail(f.email) });
}

/** Writes an update: the changed fields, added skills and tags, changed levels; records before and after for undo. */
async function applyUpdate(store: ImportWriter, existing: StoredPerson, c: Changes): Promise<void> {
  const merged = { ...existing } as unknown as Record<string, unknown>;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [f, ch] of Object.entries(c.fields)) {
    before[f] = ch!.from;
    after[f] = ch!.to;
    merged[f] = ch!.to;
  }
  const fields = { ...(merged as unknown as PersonFields), do_not_contact: false, last_confirmed_at: null };
  await store.updatePerson(existing.id, fields);
  for (const s of c.addSkills) store.addSkill(existing.id, s.skillId, s.level);
  for (const l of c.levels) await store.setLevel(existing.id, l.skillId, l.to);
  for (const t of c.addTags) store.addTag(existing.id, t);
  store.record(
    existing.id,
    { fields: before, levels: c.levels.map((l) => ({ skill_id: l.skillId, level: l.from })), updated_at: existing.updated_at },
    { fields: after, added_skills: c.addSkills.map((s) => s.skillId), levels: c.levels.map((l) => ({ skill_id: l.skillId, level: l.to })), added_tags: c.addTags },
    { action: 'update', ...Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, { from: v!.from, to: v!.to }])) },
  );
}

async function describeChanges(store: ImportWriter, row: number, action: 'update' | 'skip', id: number, name: string, nameMatch: boolean, c: Changes, lang?: string): Promise<ChangeSample> {
  return {
    row, action, personId: id, name, nameMatch, fields: c.fields, ...(c.held.length ? { held: c.held } : {}),
    skills: await Promise.all(c.addSkills.map(async (s) => `${await store.skillLabel(s.skillId, lang)} (${s.level})`)),
    levels: await Promise.all(c.levels.map(async (l) => ({ name: await store.skillLabel(l.skillId, lang), from: l.from, to: l.to }))),
    tags: await Promise.all(c.addTags.map((t) => store.tagLabel(t))),
  };
}
