// One naming scheme for source files (README, "Development"): a feature folder holds `<topic>.<kind>.ts` with
// a kind from a short, closed list; the shared folders name files by topic. Files that predate the scheme and
// are being edited by parallel work are listed with the name they get once that work has landed.
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** What a file of each kind holds (kept in step with the README). */
export const KINDS = {
  routes: 'an Express router: parse, call, render or redirect; thin',
  queries: 'SQL through knex; the only place for SQL',
  domain: 'pure logic and types: no database, files or network',
  messages: 'English and German texts, registered in src/features.ts',
  cli: 'skillnet sub-commands',
  service: 'a use case that drives queries, files or the network over several steps',
  reader: 'reads a file format as a stream',
  writer: 'writes a file format as a stream',
} as const;

/** Folders that are not a feature: their files are named by topic alone (`forms.ts`, `normalise.ts`). */
const SHARED_FOLDERS = new Set(['http', 'i18n', 'shared', 'cli']);
/** The files directly in src/: the app's skeleton. */
const TOP = new Set(['app.ts', 'server.ts', 'config.ts', 'db.ts', 'cli.ts', 'features.ts', 'views.ts', 'log.ts']);

/** Older names and what they become, while parallel work still touches them (none left: all were renamed on 2026-12-05). */
const PENDING: Record<string, string> = {};
/** View folders that differ only by a plural and are still to be joined (none left). */
const PENDING_VIEW_FOLDERS = new Set<string>();

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/** Why a source path breaks the scheme, or null. */
export function namingProblem(rel: string): string | null {
  const parts = rel.split('/');
  if (parts.length === 1) return TOP.has(rel) ? null : 'a file directly in src/ that is not part of the skeleton';
  if (parts.length > 2) return 'nested folder';
  const [folder, file] = parts as [string, string];
  if (!/^[a-z][a-z0-9-]*$/.test(folder)) return 'folder name not in kebab-case';
  if (SHARED_FOLDERS.has(folder)) return /^[a-z][a-z0-9-]*(\.[a-z]+)?\.ts$/.test(file) ? null : 'file name not in kebab-case';
  const m = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)?)\.([a-z]+)\.ts$/.exec(file);
  if (!m) return 'not <topic>.<kind>.ts';
  return m[2]! in KINDS ? null : `kind "${m[2]}" is not one of ${Object.keys(KINDS).join(', ')}`;
}

describe('source file names', () => {
  const files = tsFiles('src').map((f) => path.relative('src', f).split(path.sep).join('/'));

  it('the check tells good names from bad ones', () => {
    expect(['people/people.routes.ts', 'imports/workbook.reader.ts', 'me/links.routes.ts', 'imports/imports.jobs.queries.ts', 'http/error-handler.ts', 'app.ts']
      .map(namingProblem)).to.deep.equal([null, null, null, null, null, null]);
    expect(namingProblem('imports/imports.engine.ts')).to.match(/kind "engine"/);
    expect(namingProblem('people/helpers.ts')).to.equal('not <topic>.<kind>.ts');
    expect(namingProblem('util.ts')).to.match(/skeleton/);
    expect(namingProblem('Search/search.domain.ts')).to.match(/kebab/);
  });

  it('every file follows <topic>.<kind>.ts (or is listed with its new name)', () => {
    const bad = files.filter((f) => !(f in PENDING)).map((f) => [f, namingProblem(f)]).filter(([, p]) => p);
    expect(bad).to.deep.equal([]);
  });

  it('the list of older names is true: each still exists and breaks the scheme, each new name follows it', () => {
    for (const [from, to] of Object.entries(PENDING)) {
      if (!existsSync(path.join('src', from))) continue; // renamed or removed by its owner: drop it from the list
      expect(namingProblem(from), from).to.not.equal(null);
      if (!to.startsWith('(')) expect(namingProblem(to), to).to.equal(null);
    }
  });

  it('one folder per feature: no two folders differ only by a plural (search vs searches)', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const clash = folders.filter((f) => folders.includes(`${f}s`) || folders.includes(`${f}es`));
    expect(clash).to.deep.equal([]);
    const views = readdirSync('views', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(views.filter((f) => views.includes(`${f}s`) && !PENDING_VIEW_FOLDERS.has(f))).to.deep.equal([]);
  });
});
