// skillnet import people FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--lang en|de] [--sheet NAME|N]
//   [--drop-bad-field] [--no-new-skills] [--overwrite-lossy]
// skillnet import engagements FILE [the same, without the last two]
// --json prints the contract's seven counts (DESIGN §3); with --drop-bad-field also `dropped`, the rows taken without one field.
// FILE is CSV, or a workbook (.xlsx, .ods) whose sheet (default: the first visible one) is read as CSV.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { catalog } from '../i18n/catalog.js';
import { isLocale, makeTranslator } from '../i18n/i18n.js';
import type { Detection } from './csv.reader.js';
import { prepareImportFile } from './workbook.service.js';
import { ImportRefused } from './decode.domain.js';
import { guessMapping } from './mapping.domain.js';
import { POLICIES, type Policy } from './rows.domain.js';
import { importPeopleFile, type ImportSummary } from './import.service.js';
import { guessEngagementMapping } from './engagements.domain.js';
import { importEngagementsFile } from './engagements.service.js';
import { ImportConnectionLost, ImportInterrupted } from './jobs.service.js';
import { RECONNECT_MS } from './batch.service.js';
import { dbErrorKey } from '../http/db-errors.js';

const MAX_LISTED = 20;

interface Run {
  file: string;
  filename: string;
  detection: Detection;
  policy: Policy;
  dryRun: boolean;
  newSkills: boolean;
  onWait: () => void;
  signal?: AbortSignal;
  overwriteLossy: boolean;
  dropBadField: boolean;
  reviewTag: string;
  lang: string;
}

async function importCommand(ctx: CliContext, args: string[], what: 'people' | 'engagements', run: (r: Run) => Promise<ImportSummary>): Promise<number> {
  const usage = `usage: skillnet import ${what} FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--lang en|de] [--sheet NAME|N] [--drop-bad-field]${what === 'people' ? ' [--no-new-skills] [--overwrite-lossy]' : ''}`;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'on-duplicate': { type: 'string', default: 'skip' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'en' },
      sheet: { type: 'string' },
      'drop-bad-field': { type: 'boolean', default: false },
      ...(what === 'people' ? { 'no-new-skills': { type: 'boolean' as const, default: false }, 'overwrite-lossy': { type: 'boolean' as const, default: false } } : {}),
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(usage);
  const policy = values['on-duplicate'] as Policy;
  if (!(POLICIES as readonly string[]).includes(policy)) throw new CliError(`--on-duplicate must be one of ${POLICIES.join(', ')}`);
  const full = path.resolve(file);
  if (!existsSync(full)) throw new CliError(`${file}: no such file`);
  if (!statSync(full).isFile()) throw new CliError(`${file}: not a file`);
  const lang = String(values.lang);
  if (!isLocale(lang)) throw new CliError('--lang must be en or de');
  const t = makeTranslator(catalog, lang);
  const dryRun = Boolean(values['dry-run']);
  const tmpCsv = path.join(os.tmpdir(), `skillnet-import-${process.pid}-${randomBytes(6).toString('hex')}.csv`);
  try {
    const { csv, detection } = await prepareImportFile(full, tmpCsv, values.sheet as string | undefined);
    const sum = await run({ file: csv, filename: path.basename(full), detection, policy, dryRun, newSkills: !(values as Record<string, unknown>)['no-new-skills'], overwriteLossy: Boolean((values as Record<string, unknown>)['overwrite-lossy']),
      dropBadField: Boolean(values['drop-bad-field']), reviewTag: t('imports.reviewTag'), lang,
      onWait: () => ctx.err(t('imports.cli.waiting')), signal: ctx.signal,
    });
    const counts = { batch: sum.batch, rows: sum.rows, created: sum.created, updated: sum.updated, unchanged: sum.unchanged, skipped: sum.skipped, errors: sum.errors };
    if (values.json) {
      // the contract's keys as they are; the option adds its own count
      ctx.out(JSON.stringify(values['drop-bad-field'] ? { ...counts, dropped: sum.dropped } : counts));
    } else {
      ctx.out(t(dryRun ? 'imports.cli.dryRun' : 'imports.cli.done', { ...counts, batch: sum.batch ?? '' }));
      // every unknown skill counted; the most used named (the summary lists at most UNKNOWN_SKILLS_LISTED)
      const named = (outcome: 'created' | 'ignored') => {
        const names = sum.unknownSkills.filter((u) => u.outcome === outcome).map((u) => u.name);
        const count = sum.unknownSkillOutcomes?.[outcome] ?? names.length;
        return { count, names: names.join(', ') + (count > names.length ? ', …' : '') };
      };
      const created = named('created');
      const ignored = named('ignored');
      if (created.count) ctx.out(t(dryRun ? 'imports.cli.newSkillsDry' : 'imports.cli.newSkills', created));
      if (ignored.count) ctx.out(t('imports.cli.skillsLeftOut', ignored));
      for (const i of sum.issues) ctx.err(`${file}: ${t('imports.rowPrefix', { row: i.row })} ${i.type === 'dropped' ? `${t('imports.issue.dropped')} ` : ''}${t(i.key, i.vars)}`);
      if (sum.held) ctx.out(t('imports.cli.held', { count: sum.held }));
      if (sum.dropped) ctx.out(t('imports.cli.dropped', { count: sum.dropped, tag: t('imports.reviewTag') }));
      const more = sum.errors + sum.duplicates + sum.suppressed + sum.held + sum.dropped - sum.issues.length;
      if (more > 0) ctx.err(t('imports.cli.more', { count: more }));
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportRefused) throw new CliError(`${file}: ${t(err.key, err.vars)}`);
    if (err instanceof ImportInterrupted) throw new CliError(t('imports.cli.interrupted'));
    if (err instanceof ImportConnectionLost) throw new CliError(t(err.rolledBack ? 'imports.cli.connectionLost' : 'imports.cli.connectionGone', { seconds: RECONNECT_MS / 1000 }));
    const dbKey = dbErrorKey(err);
    if (dbKey) throw new CliError(t(dbKey));
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw new CliError(`${file}: cannot be read (permission denied)`);
    throw err;
  } finally {
    await rm(tmpCsv, { force: true });
  }
}

/** The web wizard's import, headless: mapping guessed from the headers. */
export function importPeopleCommand(ctx: CliContext, args: string[]): Promise<number> {
  return importCommand(ctx, args, 'people', (r) => importPeopleFile(ctx.db, {
    ...r, mapping: guessMapping(r.detection.headers, r.detection.sample), actor: CLI_ACTOR, sampleSize: MAX_LISTED,
  }));
}

/** A network's history: engagements by person e-mail, organisation, project title, role, dates and hours. */
export function importEngagementsCommand(ctx: CliContext, args: string[]): Promise<number> {
  return importCommand(ctx, args, 'engagements', (r) => importEngagementsFile(ctx.db, {
    ...r, mapping: guessEngagementMapping(r.detection.headers), actor: CLI_ACTOR, sampleSize: MAX_LISTED,
  }));
}
