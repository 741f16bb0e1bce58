// skillnet import people FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--no-new-skills]
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator } from '../i18n/i18n.js';
import { detectFile } from './csv.reader.js';
import { ImportRefused } from './decode.domain.js';
import { guessMapping } from './mapping.domain.js';
import { POLICIES, type Policy } from './rows.domain.js';
import { importPeopleFile } from './imports.engine.js';

const USAGE = 'usage: skillnet import people FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--no-new-skills]';
const MAX_LISTED = 20;

export async function importPeopleCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'on-duplicate': { type: 'string', default: 'skip' },
      json: { type: 'boolean', default: false },
      'no-new-skills': { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(USAGE);
  const policy = values['on-duplicate'] as Policy;
  if (!(POLICIES as readonly string[]).includes(policy)) throw new CliError(`--on-duplicate must be one of ${POLICIES.join(', ')}`);
  const full = path.resolve(file);
  if (!existsSync(full)) throw new CliError(`${file}: no such file`);
  if (!statSync(full).isFile()) throw new CliError(`${file}: not a file`);
  const t = makeTranslator(catalog, 'en');
  try {
    const detection = await detectFile(full);
    const mapping = guessMapping(detection.headers);
    const sum = await importPeopleFile(ctx.db, {
      file: full, filename: path.basename(full), detection, mapping, policy, newSkills: !values['no-new-skills'],
      dryRun: values['dry-run'], actor: CLI_ACTOR, sampleSize: MAX_LISTED,
    });
    const counts = { batch: sum.batch, rows: sum.rows, created: sum.created, updated: sum.updated, unchanged: sum.unchanged, skipped: sum.skipped, errors: sum.errors };
    if (values.json) {
      ctx.out(JSON.stringify(counts));
    } else {
      ctx.out(t(values['dry-run'] ? 'imports.cli.dryRun' : 'imports.cli.done', { ...counts, batch: sum.batch ?? '' }));
      for (const i of sum.issues) ctx.err(`${file}: ${t('imports.rowPrefix', { row: i.row })} ${t(i.key, i.vars)}`);
      const more = sum.errors + sum.duplicates + sum.suppressed - sum.issues.length;
      if (more > 0) ctx.err(t('imports.cli.more', { count: more }));
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportRefused) throw new CliError(`${file}: ${t(err.key, err.vars)}`);
    if ((err as NodeJS.ErrnoException).code === 'EACCES') throw new CliError(`${file}: cannot be read (permission denied)`);
    throw err;
  }
}
