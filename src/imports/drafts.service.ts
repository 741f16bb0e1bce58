// An import in the wizard between upload and commit: the uploaded file and the user's choices live in a
// folder under os.tmpdir() keyed by a random id (never a client path); previews and commits run in the
// background of a process and report their progress in the database (import_jobs).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Actor } from '../audit/audit.queries.js';
import type { Translate } from '../i18n/i18n.js';
import type { Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import type { Target } from './mapping.domain.js';
import type { EngagementTarget } from './engagements.domain.js';
import { importEngagementsFile } from './engagements.service.js';
import type { Policy, RowProblem } from './rows.domain.js';
import { importPeopleFile, type ImportSummary, type SkillChoice } from './import.service.js';
import { ImportConnectionLost, ImportInterrupted, OWNER, trackJob } from './jobs.service.js';
import { insertJob, latestJobOfDraft, updateJob, type JobRow } from './imports.jobs.queries.js';
import { errorKeyOf } from '../http/db-errors.js';
import { log, logError } from '../log.js';
import { flagLikelyDuplicates } from '../duplicates/duplicates.queries.js';

export const DRAFTS_DIR = path.join(os.tmpdir(), 'skillnet-imports');
export const INCOMING_DIR = path.join(DRAFTS_DIR, 'incoming');
const KEY_RE = /^[0-9a-f]{32}$/;

/** What a wizard imports: people, or a network's history (engagements, matched to people by e-mail). */
export const IMPORT_KINDS = ['people', 'engagements'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const isImportKind = (v: unknown): v is ImportKind => (IMPORT_KINDS as readonly unknown[]).includes(v);

export interface Draft {
  key: string;
  userId: number;
  /** people when absent (drafts from before history imports had a wizard) */
  kind?: ImportKind;
  filename: string;
  detection: Detection;
  signature: string;
  /** a people import's Target per column, or a history import's EngagementTarget */
  mapping: Target[] | EngagementTarget[];
  policy: Policy;
  newSkills: boolean;
  /** write lossier values over stored ones anyway (the explicit choice; default: held back and listed) */
  overwriteLossy?: boolean;
  /** take rows whose only problem is one bad field without it, tagged for review */
  dropBadField?: boolean;
  skillChoices: Record<string, SkillChoice>;
  /** set when the upload was a workbook: its sheets and the one read (the CSV of it is the upload) */
  workbook?: { kind: string; sheets: { name: string; hidden: boolean }[]; sheet: string } | null;
  preview: ImportSummary | null;
  result: ImportSummary | null;
  createdAt: string;
}


function dirOf(key: string): string {
  if (!KEY_RE.test(key)) throw new Error('bad draft key');
  return path.join(DRAFTS_DIR, key);
}

export const uploadPath = (key: string) => path.join(dirOf(key), 'upload.csv');
export const problemsPath = (key: string) => path.join(dirOf(key), 'problems.csv');
/** An uploaded workbook, kept beside the CSV of its chosen sheet (another sheet may be chosen). */
export const workbookPath = (key: string) => path.join(dirOf(key), 'upload.workbook');

/** Moves an uploaded temp file into a new draft folder; returns the draft key. */
export function adoptUpload(tempFile: string): string {
  const key = randomBytes(16).toString('hex');
  mkdirSync(dirOf(key), { recursive: true, mode: 0o700 });
  renameSync(tempFile, uploadPath(key));
  return key;
}

/** Writes the draft whole or not at all (a temp file renamed over it): another instance may be reading it. */
export function saveDraft(d: Draft): void {
  const file = path.join(dirOf(d.key), 'draft.json');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, JSON.stringify(d));
  renameSync(temp, file);
}

/** The draft if it exists and belongs to this user; undefined otherwise (a 404, never another user's import). */
export function loadDraft(key: string, userId: number): Draft | undefined {
  if (!KEY_RE.test(key)) return undefined;
  const file = path.join(dirOf(key), 'draft.json');
  if (!existsSync(file)) return undefined;
  const d = JSON.parse(readFileSync(file, 'utf8')) as Draft;
  return d.userId === userId ? d : undefined;
}

export function discardDraft(key: string): void {
  rmSync(dirOf(key), { recursive: true, force: true });
}

/** Removes a temp file or a whole abandoned draft, quietly. */
export function removeQuietly(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}

const SWEEP_EVERY_MS = 10 * 60 * 1000;
let lastSweep = 0;

/**
 * Drafts untouched for a day are abandoned: their files go. Runs at most every ten minutes and looks only at
 * modification times: reading every draft on each upload held the event loop for as long as drafts piled up.
 */
export function sweepDrafts(maxAgeMs = 24 * 60 * 60 * 1000, force = false): void {
  if (!force && Date.now() - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = Date.now();
  if (!existsSync(DRAFTS_DIR)) return;
  const cutoff = Date.now() - maxAgeMs;
  for (const name of readdirSafe(DRAFTS_DIR)) {
    if (!KEY_RE.test(name) || activeDrafts.has(name)) continue;
    // draft.json is rewritten on every step; a draft being uploaded right now has only its fresh directory
    const dir = path.join(DRAFTS_DIR, name);
    if (Math.max(modifiedAt(path.join(dir, 'draft.json')), modifiedAt(dir)) < cutoff) discardDraft(name);
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Drafts whose job runs in this process (their files must stay). */
const activeDrafts = new Set<string>();

/** The newest job of a draft, from the database (any instance may have started it). */
export function jobOf(db: Knex, key: string): Promise<JobRow | undefined> {
  return latestJobOfDraft(db, key);
}

/**
 * Starts a preview (dry run) or the commit of a draft in the background of this process. Its job row says
 * what it is doing: waiting (for another import's commit), running with its progress, done, failed or
 * interrupted. A shutdown stops it at its next step and rolls a commit back.
 */
export async function startJob(db: Knex, draft: Draft, kind: 'preview' | 'commit', actor: Actor, t: Translate, lang = 'en'): Promise<number> {
  const entity = draft.kind ?? 'people';
  const jobId = await insertJob(db, {
    kind, entity, source: 'web', draftKey: draft.key, filename: draft.filename, userId: actor.userId, total: draft.detection.size,
    rowsTotal: kind === 'commit' ? draft.preview?.rows ?? null : null, owner: OWNER,
  });
  activeDrafts.add(draft.key);
  const run = async () => {
    const common = {
      file: uploadPath(draft.key), filename: draft.filename, detection: draft.detection, policy: draft.policy,
      dropBadField: draft.dropBadField ?? false, reviewTag: t('imports.reviewTag'), dryRun: kind === 'preview', actor, lang, jobId,
      problemRowsFile: problemsPath(draft.key), reasonHeader: t('imports.reasonHeader'), describe: (p: RowProblem) => t(p.key, p.vars), sampleSize: 200,
    };
    const summary = entity === 'engagements'
      ? await importEngagementsFile(db, { ...common, mapping: draft.mapping as EngagementTarget[] })
      : await importPeopleFile(db, {
        ...common, mapping: draft.mapping as Target[], newSkills: draft.newSkills, overwriteLossy: draft.overwriteLossy ?? false, skillChoices: draft.skillChoices,
      });
    // the preview flags new rows that are probably people already here under other details
    if (kind === 'preview' && entity === 'people') await flagLikelyDuplicates(db, summary.changes);
    const fresh = loadDraft(draft.key, draft.userId) ?? draft;
    if (kind === 'preview') fresh.preview = summary;
    else fresh.result = summary;
    saveDraft(fresh);
    if (kind === 'preview') {
      await updateJob(db, jobId, { status: 'done', finished: true });
      log().info({ job: jobId, rows: summary.rows }, 'import preview done');
    }
  };
  const job = run().catch(async (err) => {
    const error = err instanceof ImportRefused ? { key: err.key, vars: err.vars } : err instanceof ImportInterrupted ? { key: 'imports.interrupted', vars: {} } : { key: errorKeyOf(err), vars: {} };
    if (kind === 'preview') await updateJob(db, jobId, { status: err instanceof ImportInterrupted ? 'interrupted' : 'failed', error, finished: true }).catch(() => undefined);
    if (!(err instanceof ImportRefused) && !(err instanceof ImportInterrupted) && !(err instanceof ImportConnectionLost)) logError(err, { job: jobId, kind });
  }).finally(() => activeDrafts.delete(draft.key));
  trackJob(job);
  return jobId;
}
