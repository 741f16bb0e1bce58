// An import in the wizard between upload and commit: the uploaded file and the user's choices live in a
// folder under os.tmpdir() keyed by a random id (never a client path); previews and commits run in the
// background of the process and report their progress here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Actor } from '../audit/audit.queries.js';
import type { Translate } from '../i18n/i18n.js';
import type { Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import type { Target } from './mapping.domain.js';
import type { Policy } from './rows.domain.js';
import { importPeopleFile, type ImportSummary, type SkillChoice } from './imports.engine.js';
import { flagLikelyDuplicates } from '../duplicates/duplicates.queries.js';

export const DRAFTS_DIR = path.join(os.tmpdir(), 'skillnet-imports');
export const INCOMING_DIR = path.join(DRAFTS_DIR, 'incoming');
const KEY_RE = /^[0-9a-f]{32}$/;

export interface Draft {
  key: string;
  userId: number;
  filename: string;
  detection: Detection;
  signature: string;
  mapping: Target[];
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

export interface Job {
  kind: 'preview' | 'commit';
  status: 'running' | 'done' | 'failed';
  bytes: number;
  total: number;
  error: { key: string; vars: Record<string, string | number> } | null;
}

const jobs = new Map<string, Job>();

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

export function saveDraft(d: Draft): void {
  writeFileSync(path.join(dirOf(d.key), 'draft.json'), JSON.stringify(d));
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
  jobs.delete(key);
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
    if (!KEY_RE.test(name) || jobs.get(name)?.status === 'running') continue;
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

export function jobOf(key: string): Job | undefined {
  return jobs.get(key);
}

const starters = new Map<string, () => void>();

/**
 * Queues a preview (dry run) or the commit of a draft, to run in the background of the process. It starts
 * once its progress page has gone out (kickJob), or after two seconds: while it runs it holds the database
 * connection, so the progress page is shown first rather than left waiting.
 */
export function startJob(db: Knex, draft: Draft, kind: Job['kind'], actor: Actor, t: Translate, lang = 'en'): Job {
  const job: Job = { kind, status: 'running', bytes: 0, total: draft.detection.size, error: null };
  jobs.set(draft.key, job);
  const run = async () => {
    const summary = await importPeopleFile(db, {
      file: uploadPath(draft.key), filename: draft.filename, detection: draft.detection, mapping: draft.mapping,
      policy: draft.policy, newSkills: draft.newSkills, overwriteLossy: draft.overwriteLossy ?? false, dropBadField: draft.dropBadField ?? false, reviewTag: t('imports.reviewTag'), skillChoices: draft.skillChoices, dryRun: kind === 'preview', actor, lang,
      onProgress: (bytes) => { job.bytes = bytes; },
      problemRowsFile: problemsPath(draft.key), reasonHeader: t('imports.reasonHeader'),
      describe: (p) => t(p.key, p.vars), sampleSize: 200,
    });
    // the preview flags new rows that are probably people already here under other details
    if (kind === 'preview') await flagLikelyDuplicates(db, summary.changes);
    const fresh = loadDraft(draft.key, draft.userId) ?? draft;
    if (kind === 'preview') fresh.preview = summary;
    else fresh.result = summary;
    saveDraft(fresh);
    job.status = 'done';
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    starters.delete(draft.key);
    clearTimeout(timer);
    run().catch((err) => {
      job.status = 'failed';
      job.error = err instanceof ImportRefused ? { key: err.key, vars: err.vars } : { key: 'errors.500', vars: {} };
      if (!(err instanceof ImportRefused)) console.error(`[${new Date().toISOString()}] import ${draft.key} failed:`, err);
    });
  };
  const timer = setTimeout(start, 2000);
  timer.unref();
  starters.set(draft.key, start);
  return job;
}

/** Starts a queued job once this response (its progress page or status) has gone out. */
export function kickJob(key: string, afterResponse: ServerResponse): void {
  const start = starters.get(key);
  if (!start) return;
  if (afterResponse.writableFinished) start();
  else afterResponse.on('finish', start);
}
