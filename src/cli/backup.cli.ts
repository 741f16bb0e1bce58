// skillnet backup FILE: SQLite's online backup, consistent while the server keeps writing.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { withRawConnection } from '../db.js';
import { CliError, type CliContext } from './cli.shared.js';

export async function backupCommand(ctx: CliContext, args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new CliError('usage: skillnet backup FILE');
  if (ctx.config.databaseFile === ':memory:') throw new CliError('an in-memory database cannot be backed up');
  const target = path.resolve(file);
  if (target === ctx.config.databaseFile) throw new CliError('the backup file must not be the database itself');
  if (existsSync(target)) throw new CliError(`${file} exists already; choose a new file name`);
  mkdirSync(path.dirname(target), { recursive: true });
  const pages = await withRawConnection(ctx.db, async (conn) => {
    const progress = await conn.backup(target);
    return progress.totalPages;
  });
  ctx.out(`Backup written to ${target} (${pages} pages).`);
  return 0;
}
