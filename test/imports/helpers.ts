// Shared by the import tests: CSV files in a temp folder, and an import the way the CLI runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
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
