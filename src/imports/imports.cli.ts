// skillnet import people FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--no-new-skills]
// skillnet import engagements FILE [--dry-run] [--on-duplicate skip|update|fill] [--json]
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator } from '../i18n/i18n.js';
import { detectFile, type Detection } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { guessMapping } from './mapping.domain.js';
import { POLICIES, type Policy } from './rows.domain.js';
import { importPeopleFile, type ImportSummary } from './imports.engine.js';
import { guessEngagementMapping } from './engagements.domain.js';
import { importEngagementsFile } from './engagements.engine.js';
import { ImportInterrupted } from './imports.jobs.js';
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
}

async function importCommand(ctx: CliContext, args: string[], what: 'people' | 'engagements', run: (r: Run) => Promise<ImportSummary>): Promise<number> {
  const usage = `usage: skillnet import ${what} FILE [--dry-run] [--on-duplicate skip|update|fill] [--json]${what === 'people' ? ' [--no-new-skills]' : ''}`;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'on-duplicate': { type: 'string', default: 'skip' },
      json: { type: 'boolean', default: false },
      ...(what === 'people' ? { 'no-new-skills': { type: 'boolean' as const, default: false } } : {}),
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(usage);
  const policy = values['on-duplicate'] as Policy;
  if (!(POLICIES as readonly string[]).includes(policy)) throw new CliError(`--on-duplicate must be one of ${POLICIES.join(', ')}`);
  const full = path.resolve(file);
  if (!existsSync(full)) throw new CliError(`${file}: no such file`);
  if (!statSync(full).isFile()) throw new CliError(`${file}: not a file`);
  const t = makeTranslator(catalog, 'en');
  const dryRun = Boolean(values['dry-run']);
  try {
    const detection = await detectFile(full);
    const sum = await run({
      file: full, filename: path.basename(full), detection, policy, dryRun, newSkills: !(values as Record<string, unknown>)['no-new-skills'],
      onWait: () => ctx.err(t('imports.cli.waiting')), signal: ctx.signal,
    });
    const counts = { batch: sum.batch, rows: sum.rows, created: sum.created, updated: sum.updated, unchanged: sum.unchanged, skipped: sum.skipped, errors: sum.errors };
    if (values.json) {
      ctx.out(JSON.stringify(counts));
    } else {
      ctx.out(t(dryRun ? 'imports.cli.dryRun' : 'imports.cli.done', { ...counts, batch: sum.batch ?? '' }));
      for (const i of sum.issues) ctx.err(`${file}: ${t('imports.rowPrefix', { row: i.row })} ${t(i.key, i.vars)}`);
      const more = sum.errors + sum.duplicates + sum.suppressed - sum.issues.length;
      if (more > 0) ctx.err(t('imports.cli.more', { count: more }));
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportRefused) throw new CliError(`${file}: ${t(err.key, err.vars)}`);
    if (err instanceof ImportInterrupted) throw new CliError(t('imports.cli.interrupted'));
    const dbKey = dbErrorKey(err);
    if (dbKey) throw new CliError(t(dbKey));
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw new CliError(`${file}: cannot be read (permission denied)`);
    throw err;
  }
}

/** The web wizard's import, headless: mapping guessed from the headers. */
export function importPeopleCommand(ctx: CliContext, args: string[]): Promise<number> {
  return importCommand(ctx, args, 'people', (r) => importPeopleFile(ctx.db, {
    ...r, mapping: guessMapping(r.detection.headers), actor: CLI_ACTOR, sampleSize: MAX_LISTED,
  }));
}

/** A network's history: engagements by person e-mail, organisation, project title, role, dates and hours. */
export function importEngagementsCommand(ctx: CliContext, args: string[]): Promise<number> {
  return importCommand(ctx, args, 'engagements', (r) => importEngagementsFile(ctx.db, {
    ...r, mapping: guessEngagementMapping(r.detection.headers), actor: CLI_ACTOR, sampleSize: MAX_LISTED,
  }));
}
