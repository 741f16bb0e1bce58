// skillnet backup FILE: a consistent copy while the server keeps writing. VACUUM INTO reads one snapshot (a
// read transaction: in WAL mode writers go on meanwhile), so an import writing in short steps next to it
// neither blocks it nor makes it start over, as the page-copying backup API would. It takes no migration lock.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError, type CliContext } from './cli.shared.js';

export async function backupCommand(ctx: CliContext, args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new CliError('usage: skillnet backup FILE');
  if (ctx.config.databaseFile === ':memory:') throw new CliError('an in-memory database cannot be backed up');
  const target = path.resolve(file);
  if (target === ctx.config.databaseFile) throw new CliError('the backup file must not be the database itself');
  if (existsSync(target)) throw new CliError(`${file} exists already; choose a new file name`);
  mkdirSync(path.dirname(target), { recursive: true });
  await ctx.db.raw('VACUUM INTO ?', [target]);
  ctx.out(`Backup written to ${target} (${statSync(target).size} bytes).`);
  return 0;
}
