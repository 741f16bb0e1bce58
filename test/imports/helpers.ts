// Shared by the import tests: CSV files in a temp folder, and an import the way the CLI runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { expect } from 'chai';
import type { LoggedIn } from '../support/app.js';
import { detectFile } from '../../src/imports/csv.reader.js';
import { guessMapping } from '../../src/imports/mapping.domain.js';
import { importPeopleFile, type ImportOptions, type ImportSummary } from '../../src/imports/import.service.js';

export const EXPORTS = '/work/shared/fixtures/exports';
export const TEST_ACTOR = { userId: null, label: 'test', source: 'cli' as const };

let dir: string | null = null;
let n = 0;

/** Writes a CSV file (text as UTF-8, or raw bytes) to a temp folder and returns its path. */
export function csvFile(content: string | Buffer, name = `f${++n}.csv`): string {
  if (!dir) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-import-test-'));
    const made = dir;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Detects, guesses the mapping and imports (or previews) a file. */
export async function importCsv(db: Knex, fileOrText: string, opts: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  const file = fileOrText.includes('\n') || !fileOrText.includes('/') ? csvFile(fileOrText) : fileOrText;
  const detection = await detectFile(file);
  return importPeopleFile(db, {
    file, filename: path.basename(file), detection, mapping: guessMapping(detection.headers, detection.sample), policy: 'skip', newSkills: true,
    dryRun: false, actor: TEST_ACTOR, ...opts,
  });
}

export function counts(s: ImportSummary) {
  return { rows: s.rows, created: s.created, updated: s.updated, unchanged: s.unchanged, skipped: s.skipped, errors: s.errors };
}

/** Polls a wizard draft's background job (status.json) until it neither waits nor runs; returns its last answer. */
export async function jobSettled(u: LoggedIn, key: string, tries = 500): Promise<{ status: string; next?: string }> {
  for (let i = 0; i < tries; i++) {
    const s = await u.agent.get(`/imports/drafts/${key}/status.json`).set('Accept', 'application/json');
    expect(s.status).to.equal(200);
    if (s.body.status !== 'running' && s.body.status !== 'waiting') return s.body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the import job did not finish');
}

/** jobSettled, expecting the job done; returns where the wizard goes next. */
export async function waitForJob(u: LoggedIn, key: string): Promise<string> {
  const s = await jobSettled(u, key);
  expect(s.status).to.equal('done');
  return s.next!;
}
