// skillnet export people|organisations|projects|engagements [filters] [--columns …] [--lang en|de] [--excel]
//   [--format csv|xlsx] [-o FILE]
// skillnet export all DIR · skillnet import all DIR
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { recordAudit } from '../audit/audit.queries.js';
import { isLocale } from '../i18n/i18n.js';
import { PROJECT_KINDS, PROJECT_STATUSES } from '../projects/projects.domain.js';
import { SKILL_LEVELS } from '../skills/levels.domain.js';
import { FILTER_AVAILABILITY, FILTER_KINDS, SORTS } from '../search/search.domain.js';
import { DELIMITERS, type Delimiter } from './csv.domain.js';
import { columnKeys, type ListName } from './columns.domain.js';
import { FILE_TYPES, prepareExport, recordExport, writeExport, type FileType } from './lists.service.js';

type Choices = Record<string, readonly string[]>;

/** The filter options of each list (the list page's parameters) and the values the closed ones allow. */
const FILTERS: Record<ListName, { strings: string[]; multiple?: string[]; flags?: string[]; choices: Choices }> = {
  people: {
    strings: ['q', 'match', 'level', 'city', 'kind', 'language', 'availability', 'tag', 'org', 'project-kind', 'active', 'sort'],
    multiple: ['skill'],
    flags: ['dnc'],
    choices: { match: ['all', 'any'], level: SKILL_LEVELS.map(String), kind: FILTER_KINDS, availability: FILTER_AVAILABILITY, 'project-kind': PROJECT_KINDS, sort: SORTS },
  },
  organisations: { strings: ['q'], choices: {} },
  projects: { strings: ['status', 'kind', 'org'], choices: { status: PROJECT_STATUSES, kind: PROJECT_KINDS } },
  engagements: { strings: ['status', 'kind', 'org'], choices: { status: PROJECT_STATUSES, kind: PROJECT_KINDS } },
};

const NUMERIC = new Set(['org', 'active']);

export function exportListCommand(list: ListName) {
  return async (ctx: CliContext, args: string[]): Promise<number> => {
    const spec = FILTERS[list];
    const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
      columns: { type: 'string' }, lang: { type: 'string' }, excel: { type: 'boolean' }, delimiter: { type: 'string' }, format: { type: 'string' },
      output: { type: 'string', short: 'o' },
    };
    for (const s of spec.strings) options[s] = { type: 'string' };
    for (const m of spec.multiple ?? []) options[m] = { type: 'string', multiple: true };
    for (const f of spec.flags ?? []) options[f] = { type: 'boolean' };
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
    if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: skillnet export ${list} [options] [-o FILE]`);
    const v = values as Record<string, string | string[] | boolean | undefined>;

    const query: Record<string, unknown> = {};
    for (const s of spec.strings) {
      const val = v[s] as string | undefined;
      if (val === undefined) continue;
      const allowed = spec.choices[s];
      if (allowed && !allowed.includes(val)) throw new CliError(`--${s} must be one of ${allowed.join(', ')}`);
      if (NUMERIC.has(s) && !/^[1-9]\d{0,8}$/.test(val)) throw new CliError(`--${s} must be a whole number`);
      query[s === 'project-kind' ? 'project_kind' : s] = val;
    }
    for (const m of spec.multiple ?? []) if (v[m]) query[m] = v[m];
    for (const f of spec.flags ?? []) if (v[f]) query[f] = '1';

    const lang = (v.lang as string | undefined) ?? 'en';
    if (!isLocale(lang)) throw new CliError('--lang must be en or de');
    const keys = columnKeys(list);
    const columns = v.columns === undefined ? keys : String(v.columns).split(',').map((c) => c.trim()).filter(Boolean);
    const unknown = columns.filter((c) => !keys.includes(c));
    if (unknown.length || !columns.length) throw new CliError(`--columns: ${unknown.length ? `unknown ${unknown.join(', ')}; ` : ''}choose from ${keys.join(',')}`);
    const named = v.delimiter as string | undefined;
    if (named !== undefined && !Object.hasOwn(DELIMITERS, named)) throw new CliError('--delimiter must be comma or semicolon');
    const excel = Boolean(v.excel);
    const delimiter: Delimiter = named ? DELIMITERS[named as keyof typeof DELIMITERS] : excel ? ';' : ',';

    const fileType = (v.format as string | undefined) ?? 'csv';
    if (!(FILE_TYPES as readonly string[]).includes(fileType)) throw new CliError(`--format must be one of ${FILE_TYPES.join(', ')}`);
    if (fileType === 'vcf' && list !== 'people') throw new CliError('--format vcf is for people only');
    const e = await prepareExport(ctx.db, list, query, lang, { oneOff: true });
    const file = (v.output as string | undefined) ?? '-';
    const toFile = file !== '-';
    const out: Writable = toFile ? createWriteStream(path.resolve(file)) : process.stdout;
    const ordered = keys.filter((k) => columns.includes(k));
    let result;
    try {
      result = await writeExport(ctx.db, e, out, { locale: lang, format: { delimiter, bom: excel }, columns: ordered, end: toFile, fileType: fileType as FileType });
    } catch (err) {
      if (toFile) await rm(path.resolve(file), { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new CliError(`${file}: cannot be written (${code})`);
      throw err;
    }
    await recordExport(ctx.db, CLI_ACTOR, e, result, {
      ...(ordered.length < keys.length ? { columns: ordered } : {}), destination: toFile ? path.basename(file) : 'stdout',
    }, fileType);
    if (toFile) ctx.err(`${result.rows} ${list} written to ${file}`);
    return 0;
  };
}

/** skillnet export all DIR: every network file into DIR (created if missing; its export files replaced). */
export async function exportAllCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new CliError('usage: skillnet export all DIR');
  const dir = path.resolve(positionals[0]!);
  let result;
  try {
    const { exportNetworkToDir } = await import('./network-export.service.js'); // loaded for this command alone
    result = await exportNetworkToDir(ctx.db, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'ENOTDIR' || code === 'EEXIST') throw new CliError(`${positionals[0]}: cannot be written (${code})`);
    throw err;
  }
  await recordAudit(ctx.db, CLI_ACTOR, {
    action: 'export', entityType: 'network', entityId: null,
    changes: { format: 'csv', folder: path.basename(dir), files: result.files, rows: result.rows },
  });
  ctx.out(`Wrote ${Object.keys(result.files).length} files (${result.rows} rows) to ${positionals[0]}: ${summary(result.files)}.`);
  return 0;
}

/** skillnet import all DIR: loads a folder of `export all` into an empty Skillnet. */
export async function importAllCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new CliError('usage: skillnet import all DIR');
  const { importNetwork, NetworkImportRefused } = await import('./network-import.service.js'); // loaded for this command alone
  try {
    const result = await importNetwork(ctx.db, path.resolve(positionals[0]!), CLI_ACTOR);
    ctx.out(`Loaded ${result.rows} rows from ${positionals[0]}: ${summary(result.files)}.`);
    return 0;
  } catch (err) {
    if (err instanceof NetworkImportRefused) throw new CliError(err.message);
    throw err;
  }
}

function summary(files: Record<string, number>): string {
  return Object.entries(files).map(([f, n]) => `${n} ${f.replace(/\.csv$/, '').replace(/_/g, ' ')}`).join(', ');
}
