// skillnet backup FILE: a consistent copy while the server keeps writing. On SQLite VACUUM INTO reads one
// snapshot (a read transaction: in WAL mode writers go on meanwhile), so an import writing in short steps next
// to it neither blocks it nor makes it start over, as the page-copying backup API would; it takes no migration
// lock. On PostgreSQL: pg_dump (custom format, one consistent snapshot) when it is installed, else a message.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeDatabase, vacuumInto } from '../db.js';
import { CliError, type CliContext } from './cli.shared.js';

/** Is a program on the PATH? */
function installed(program: string): boolean {
  return spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;
}

async function backupPostgres(ctx: CliContext, url: string, target: string): Promise<number> {
  const where = describeDatabase(ctx.config);
  const restore = `restore it with: pg_restore --clean --if-exists -d DATABASE_URL ${target}`;
  if (!installed('pg_dump')) {
    throw new CliError(`pg_dump is not installed here; back up ${where} with: pg_dump --format=custom --file ${target} "$DATABASE_URL" `
      + '(pg_dump comes with the PostgreSQL client package, e.g. apt-get install postgresql-client)');
  }
  const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--file', target, '--dbname', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new CliError(`pg_dump failed for ${where}: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`);
  ctx.out(`Backup of ${where} written to ${target} by pg_dump (${statSync(target).size} bytes); ${restore}`);
  return 0;
}

export async function backupCommand(ctx: CliContext, args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new CliError('usage: skillnet backup FILE');
  if (ctx.config.databaseFile === ':memory:') throw new CliError('an in-memory database cannot be backed up');
  const target = path.resolve(file);
  if (ctx.config.databaseUrl) {
    if (existsSync(target)) throw new CliError(`${file} exists already; choose a new file name`);
    mkdirSync(path.dirname(target), { recursive: true });
    return backupPostgres(ctx, ctx.config.databaseUrl, target);
  }
  if (target === ctx.config.databaseFile) throw new CliError('the backup file must not be the database itself');
  if (existsSync(target)) throw new CliError(`${file} exists already; choose a new file name`);
  mkdirSync(path.dirname(target), { recursive: true });
  await vacuumInto(ctx.db, target);
  ctx.out(`Backup written to ${target} (${statSync(target).size} bytes).`);
  return 0;
}
