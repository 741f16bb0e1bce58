// importPeopleFile: the one code path of the wizard and the CLI. Streams the file, maps, validates and
// dedupes each row, and writes everything in ONE transaction (a dry run rolls it back: the preview).
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { nowIso, withBatchConnection } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';
import { normaliseEmail } from '../shared/normalise.js';
import { displayName, type PersonFields } from '../people/people.domain.js';
import { spreadsheetOptions } from '../exports/csv.format.js';
import { readBatches, type Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { listKey, type Target } from './mapping.domain.js';
import {
  compileMapping, isEmptyChange, mapRow, matchKey, missingName, newPersonFields, planChanges,
  type Changes, type HeldValue, type ImportCounts, type ImportField, type Policy, type ResolvedRow, type RowPerson, type RowProblem,
} from './rows.domain.js';
import { ImportStore, type StoredPerson } from './imports.store.js';
import { hasLossMark, isCodePageLoss, wildcardPattern } from './lossy.domain.js';

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
  /** take a row whose only problem is one bad field without that field (default: the row fails) */
  dropBadField?: boolean;
  /** the tag a row imported without a bad field gets, so someone reviews it */
  reviewTag?: string;
  /** with `update`: write values even where they are a lossier copy of the stored one (default: held back, listed) */
  overwriteLossy?: boolean;
  actor: Actor;
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
  /** skill names the network did not know, with what happened to them and how many rows named them */
  unknownSkills: { key: string; name: string; rows: number; outcome: 'created' | 'mapped' | 'ignored' }[];
}

const MAX_UNKNOWN = 200;
/** page cache during a batch, in KiB (negative: SQLite's unit for a size rather than a page count) */
const IMPORT_CACHE_KIB = -20000;

/** Imports (or with dryRun previews) a people CSV. Throws ImportRefused when the file cannot be imported; then nothing is written. */
export async function importPeopleFile(db: Knex, o: ImportOptions): Promise<ImportSummary> {
  const plan = compileMapping(o.detection.headers, o.mapping);
  if (!o.mapping.some((t) => t === 'email' || t === 'first_name' || t === 'last_name' || t === 'full_name')) {
    throw new ImportRefused('imports.refused.noPersonColumns', { headers: o.detection.headers.slice(0, 12).join(', ') });
  }
  const sampleSize = o.sampleSize ?? 200;
  const sum: ImportSummary = {
    batch: null, rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, duplicates: 0, nameMatches: 0,
    suppressed: 0, held: 0, dropped: 0, issues: [], changes: [], unknownSkills: [],
  };
  const unknown = new Map<string, ImportSummary['unknownSkills'][number]>();
  let seen: Uint32Array = new Uint32Array(1024); // person id → first row of this file that matched them
  const problemFd = o.problemRowsFile ? openSync(o.problemRowsFile, 'w') : null;
  const writeProblem = (cells: string[], p: RowProblem) => {
    if (problemFd === null) return;
    // formula-looking cells get the usual ' guard for spreadsheets; the import strips it again
    writeSync(problemFd, stringify([[...cells.slice(0, plan.headers.length), o.describe ? o.describe(p) : p.key]], spreadsheetOptions(o.detection.delimiter)));
  };
  if (problemFd !== null) {
    // the header row is guarded like the data: a column named "=HYPERLINK(…)" must not run either
    writeSync(problemFd, '\uFEFF' + stringify([[...plan.headers, o.reasonHeader ?? 'reason']], spreadsheetOptions(o.detection.delimiter)));
  }
  const issue = (row: number, type: RowIssue['type'], p: RowProblem, cells: string[]) => {
    if (sum.issues.length < sampleSize) sum.issues.push({ row, type, ...p });
    if (type === 'error' || type === 'duplicate') writeProblem(cells, p);
  };
  const sample = (c: ChangeSample) => {
    if (sum.changes.length < sampleSize) sum.changes.push(c);
  };
  let bytes = 0;
  try {
    return await withBatchConnection(db, async (conn) => {
      const now = nowIso();
      const store = new ImportStore(conn, now, { ...o.actor, source: 'import', label: o.actor.label });
      // a bigger page cache for the batch: people, their indexes, links, search index and audit all grow at once
      const cacheBefore = conn.pragma('cache_size', { simple: true }) as number;
      conn.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
      conn.exec('BEGIN IMMEDIATE');
      try {
        store.startBatch(o.filename, o.policy, { headers: plan.headers, targets: o.mapping });
        const known = { skill: (n: string) => store.findSkill(n) !== null, tag: (n: string) => store.tagId(n, false) !== null };
        const resolveSkills = (p: RowPerson, create: boolean, row: ResolvedRow): boolean => {
          let complete = true;
          for (const s of p.skills) {
            let id = store.findSkill(s.name);
            if (id === null) {
              const key = listKey(s.name);
              const choice = o.skillChoices?.[key] ?? (o.newSkills ? 'new' : 'ignore');
              let u = unknown.get(key);
              if (!u && unknown.size < MAX_UNKNOWN) unknown.set(key, (u = { key, name: s.name, rows: 0, outcome: choice === 'new' ? 'created' : choice === 'ignore' ? 'ignored' : 'mapped' }));
              if (u) u.rows++;
              if (choice === 'ignore') continue;
              if (typeof choice === 'number') id = choice;
              else if (create) id = store.createSkill(s.name);
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
        for await (const batch of readBatches(o.file, { ...o.detection, onBytes: (n) => { bytes += n; o.onProgress?.(bytes); } })) for (const rec of batch) {
          if (rec.row <= o.detection.headerRow) continue;
          sum.rows++;
          const mapped = mapRow(rec.cells, plan, known, { dropBadField: o.dropBadField });
          if (!mapped.ok) {
            sum.errors++;
            issue(rec.row, 'error', mapped.problem, rec.cells);
            continue;
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
            issue(rec.row, 'error', { key: 'imports.row.noKey', vars: {} }, rec.cells);
            continue;
          }
          if ('email' in key && store.isSuppressed(key.email)) {
            sum.skipped++;
            sum.suppressed++;
            issue(rec.row, 'suppressed', { key: 'imports.row.suppressed', vars: {} }, rec.cells);
            continue;
          }
          const existing = 'email' in key ? store.findByEmail(key.email) : findByName(store, p, key);
          if (existing && existing.id < seen.length && seen[existing.id]) {
            sum.skipped++;
            sum.duplicates++;
            issue(rec.row, 'duplicate', { key: 'imports.row.duplicate', vars: { first: seen[existing.id]! } }, rec.cells);
            continue;
          }
          const label = () => displayOf(p.fields, existing);
          if (!existing) {
            if (missingName(p)) {
              sum.errors++;
              issue(rec.row, 'error', { key: 'imports.row.noName', vars: {} }, rec.cells);
              continue;
            }
            const row: ResolvedRow = { fields: p.fields, skills: [], tagIds: [] };
            resolveSkills(p, true, row);
            row.tagIds = uniq(p.tags.map((t) => store.tagId(t, true)!));
            const fields = newPersonFields(row);
            const id = store.insertPerson(fields);
            for (const s of row.skills) store.addSkill(id, s.skillId, s.level ?? 1);
            for (const t of row.tagIds) store.addTag(id, t);
            store.reindex(id, fields, row.skills.map((s) => s.skillId), row.tagIds, true);
            seen = mark(seen, id, rec.row);
            sum.created++;
            if (sum.changes.length < sampleSize) {
              sample({ row: rec.row, action: 'create', personId: id, name: label(), nameMatch: false, fields: {}, skills: row.skills.map((s) => `${store.skillLabel(s.skillId, o.lang)} (${s.level ?? 1})`), levels: [], tags: row.tagIds.map((t) => store.tagLabel(t)), contact: p.fields });
            }
            continue;
          }
          seen = mark(seen, existing.id, rec.row);
          const nameMatch = !('email' in key);
          if (nameMatch) sum.nameMatches++;
          const have = { fields: existing as Record<ImportField, string | null>, skills: store.personSkills(existing.id), tagIds: store.personTagIds(existing.id) };
          const skipping = o.policy === 'skip';
          const row: ResolvedRow = { fields: p.fields, skills: [], tagIds: [] };
          const complete = resolveSkills(p, !skipping, row);
          row.tagIds = uniq(p.tags.map((t) => store.tagId(t, !skipping)).filter((t): t is number => t !== null));
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
            continue;
          }
          if (skipping) {
            sum.skipped++;
            if (sum.changes.length < sampleSize) sample(describeChanges(store, rec.row, 'skip', existing.id, label(), nameMatch, changes, o.lang));
            continue;
          }
          applyUpdate(store, existing, have, changes);
          sum.updated++;
          if (sum.changes.length < sampleSize) sample(describeChanges(store, rec.row, 'update', existing.id, label(), nameMatch, changes, o.lang));
        }
        if (sum.rows === 0) throw new ImportRefused('imports.refused.headerOnly', { row: o.detection.headerRow });
        sum.unknownSkills = [...unknown.values()];
        if (o.dryRun) {
          conn.exec('ROLLBACK');
        } else {
          store.finishBatch(sum);
          conn.exec('COMMIT');
          sum.batch = store.batchId;
        }
        return sum;
      } catch (err) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        throw err;
      } finally {
        conn.pragma(`cache_size = ${Number(cacheBefore)}`);
      }
    });
  } finally {
    if (problemFd !== null) closeSync(problemFd);
  }
}

/**
 * The person a row without e-mail describes: by name and phone; a name with `?` (a character the file's code page
 * lacked) also finds the one stored person it is a damaged copy of, so no duplicate is created.
 */
function findByName(store: ImportStore, p: RowPerson, key: { name: string; phone: string }): StoredPerson | undefined {
  const exact = store.findByNamePhone(key.name, key.phone);
  if (exact || !hasLossMark(key.name)) return exact;
  const fileName = `${p.fields.first_name ?? ''} ${p.fields.last_name ?? ''}`;
  const candidates = store.findByNameLike(wildcardPattern(key.name), key.phone)
    .filter((c) => isCodePageLoss(`${c.first_name ?? ''} ${c.last_name ?? ''}`, fileName));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function uniq(ids: number[]): number[] {
  return [...new Set(ids)];
}

function mark(seen: Uint32Array, id: number, row: number): Uint32Array {
  let s = seen;
  if (id >= s.length) {
    const bigger = new Uint32Array(Math.max(id + 1, s.length * 2));
    bigger.set(s);
    s = bigger;
  }
  s[id] = row;
  return s;
}

function displayOf(f: RowPerson['fields'], existing?: StoredPerson): string {
  return displayName({ first_name: f.first_name ?? existing?.first_name, last_name: f.last_name ?? existing?.last_name, email: normaliseEmail(f.email) });
}

/** Writes an update: the changed fields, added skills and tags, changed levels; records before and after for undo. */
function applyUpdate(store: ImportStore, existing: StoredPerson, have: { skills: Map<number, number>; tagIds: Set<number> }, c: Changes): void {
  const merged = { ...existing } as unknown as Record<string, unknown>;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [f, ch] of Object.entries(c.fields)) {
    before[f] = ch!.from;
    after[f] = ch!.to;
    merged[f] = ch!.to;
  }
  const fields = { ...(merged as unknown as PersonFields), do_not_contact: false, last_confirmed_at: null };
  store.updatePerson(existing.id, fields);
  for (const s of c.addSkills) store.addSkill(existing.id, s.skillId, s.level);
  for (const l of c.levels) store.setLevel(existing.id, l.skillId, l.to);
  for (const t of c.addTags) store.addTag(existing.id, t);
  const skills = new Set([...have.skills.keys(), ...c.addSkills.map((s) => s.skillId)]);
  store.reindex(existing.id, fields, skills, [...have.tagIds, ...c.addTags]);
  store.record(
    existing.id, 'update',
    { fields: before, levels: c.levels.map((l) => ({ skill_id: l.skillId, level: l.from })), updated_at: existing.updated_at },
    { fields: after, added_skills: c.addSkills.map((s) => s.skillId), levels: c.levels.map((l) => ({ skill_id: l.skillId, level: l.to })), added_tags: c.addTags },
    { action: 'update', ...Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, { from: v!.from, to: v!.to }])) },
  );
}

function describeChanges(store: ImportStore, row: number, action: 'update' | 'skip', id: number, name: string, nameMatch: boolean, c: Changes, lang?: string): ChangeSample {
  return {
    row, action, personId: id, name, nameMatch, fields: c.fields, ...(c.held.length ? { held: c.held } : {}),
    skills: c.addSkills.map((s) => `${store.skillLabel(s.skillId, lang)} (${s.level})`),
    levels: c.levels.map((l) => ({ name: store.skillLabel(l.skillId, lang), from: l.from, to: l.to })),
    tags: c.addTags.map((t) => store.tagLabel(t)),
  };
}
