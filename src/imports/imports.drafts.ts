// An import in the wizard between upload and commit: the uploaded file and the user's choices live in a
// folder under os.tmpdir() keyed by a random id (never a client path); previews and commits run in the
// background of a process and report their progress in the database (import_jobs).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Actor } from '../audit/audit.queries.js';
import type { Translate } from '../i18n/i18n.js';
import type { Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import type { Target } from './mapping.domain.js';
import type { Policy } from './rows.domain.js';
import { importPeopleFile, type ImportSummary, type SkillChoice } from './imports.engine.js';
import { ImportInterrupted, OWNER, trackJob } from './imports.jobs.js';
import { insertJob, latestJobOfDraft, updateJob, type JobRow } from './imports.jobs.queries.js';
import { errorKeyOf } from '../http/db-errors.js';
import { log, logError } from '../log.js';

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
  skillChoices: Record<string, SkillChoice>;
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
  rmSync(dirOf(key), { recursive: true, force: true });
}

/** Removes a temp file or a whole abandoned draft, quietly. */
export function removeQuietly(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}

/** Drafts older than a day are abandoned: their files go. */
export function sweepDrafts(maxAgeMs = 24 * 60 * 60 * 1000): void {
  if (!existsSync(DRAFTS_DIR)) return;
  const cutoff = Date.now() - maxAgeMs;
  for (const name of readdirSafe(DRAFTS_DIR)) {
    if (!KEY_RE.test(name) || activeDrafts.has(name)) continue;
    const file = path.join(DRAFTS_DIR, name, 'draft.json');
    try {
      const d = JSON.parse(readFileSync(file, 'utf8')) as Draft;
      if (Date.parse(d.createdAt) < cutoff) discardDraft(name);
    } catch {
      discardDraft(name);
    }
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
export async function startJob(db: Knex, draft: Draft, kind: 'preview' | 'commit', actor: Actor, t: Translate): Promise<number> {
  const jobId = await insertJob(db, {
    kind, entity: 'people', source: 'web', draftKey: draft.key, filename: draft.filename, userId: actor.userId, total: draft.detection.size, owner: OWNER,
  });
  activeDrafts.add(draft.key);
  const run = async () => {
    const summary = await importPeopleFile(db, {
      file: uploadPath(draft.key), filename: draft.filename, detection: draft.detection, mapping: draft.mapping,
      policy: draft.policy, newSkills: draft.newSkills, skillChoices: draft.skillChoices, dryRun: kind === 'preview', actor, jobId,
      problemRowsFile: problemsPath(draft.key), reasonHeader: t('imports.reasonHeader'),
      describe: (p) => t(p.key, p.vars), sampleSize: 200,
    });
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
    if (!(err instanceof ImportRefused) && !(err instanceof ImportInterrupted)) logError(err, { job: jobId, kind });
  }).finally(() => activeDrafts.delete(draft.key));
  trackJob(job);
  return jobId;
}
