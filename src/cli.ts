// The `skillnet` command: the same queries and domain modules as the web UI.
import './features.js'; // every feature's messages, before any output is translated
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { MIGRATIONS_DIR, StartupError, checkDatabase, createDb, integrityCheck, migrate, migrateIfNeeded, quickStartupCheck, type Db } from './db.js';
import { configureLog } from './log.js';
import { dbErrorKey } from './http/db-errors.js';
import { catalog } from './i18n/catalog.js';
import { makeTranslator } from './i18n/i18n.js';
import { CliError, failureLine, type CliContext } from './cli/cli.shared.js';

const HELP = `Usage: skillnet <command> [options]

Commands:
  serve                                   migrate, then serve (what npm start runs)
  migrate [--unlock]                      run pending migrations (--unlock: clear a crashed migration's lock)
  user add EMAIL --role admin|manager|staff|viewer [--name N]
                                          password from SKILLNET_PASSWORD or standard input
  user reset-2fa EMAIL                    switch off a user's two-factor sign-in (a lost device)
  import people FILE [--dry-run] [--on-duplicate skip|update|fill] [--json] [--no-new-skills]
  import engagements FILE [--dry-run] [--on-duplicate skip|update|fill] [--json]
                                          history: person e-mail, organisation, project, role, dates, hours
  import all DIR                          load the files of "export all" into an empty Skillnet
  export people [--q …] [--skill …]… [--city …] [--kind …] [--tag …] [--dnc] [--sort …] [-o FILE]
                                          the same filters as /people (also --match --level --language
                                          --availability --org --project-kind --active)
  export organisations [--q …] [-o FILE]
  export projects|engagements [--status …] [--kind …] [--org ID] [-o FILE]
      list exports also take: --columns a,b,c  --lang en|de  --excel (";" and a BOM for German Excel)
      --delimiter comma|semicolon; no -o or "-o -" writes to standard output
  export all DIR                          the whole network as CSV files (for "import all")
  backup FILE                             consistent copy of the database while it serves
  check                                   full integrity check of the database (exit 1 when damaged)
  seed taxonomy                           the default skill taxonomy
  seed demo [--people N] [--seed S]       a realistic demo network (includes the taxonomy)
  privacy export EMAIL                    one person's complete data as JSON on stdout
  privacy erase EMAIL --yes               erase a person; keeps only a hashed-e-mail suppression record
  mail test ADDRESS                       send a test mail with the SMTP settings; says what failed
  link PERSON_EMAIL                       print a person's own link to check and correct their details
  token create EMAIL --name N [--scope read|write] [--expires DAYS]
                                          an API token, printed alone on the last line (--service --role
                                          manager|viewer instead of EMAIL: a token of no person)
  token list                              every API token: owner, scope, state, last use
  token revoke NAME|ID                    revoke an API token
  people duplicates [--json]              likely duplicates with score and reasons
  people merge ID ID… [--keep ID]         merge people into one (default: the first id stays); undo on the web

Configuration comes from the environment (PORT, HOST, DATABASE_URL, SESSION_SECRET, SMTP_URL, MAIL_FROM, PUBLIC_URL,
LOG_LEVEL); see README.md.`;

type Command = (ctx: CliContext, args: string[]) => Promise<number | void>;

/**
 * A command whose module is imported when it runs: each run of the CLI starts only its own command's modules and
 * loads only their packages (an export does not start the import engine, nor load the mailer or exceljs; start-up
 * was most of a small export's time). The compiled CLI has them all in one file (bin/compile.js).
 */
const lazy = <M>(load: () => Promise<M>, pick: (m: M) => Command): Command => async (ctx, args) => pick(await load())(ctx, args);
const imports = () => import('./imports/imports.cli.js');
const users = () => import('./users/users.cli.js');
const exportsCli = () => import('./exports/exports.cli.js');
const privacy = () => import('./privacy/privacy.cli.js');
const tokens = () => import('./api/tokens.cli.js');
const duplicates = () => import('./duplicates/duplicates.cli.js');
const seed = () => import('./cli/seed.cli.js');

const COMMANDS: Record<string, Command> = {
  migrate: async (ctx, args) => {
    if (args[0] === '--unlock') {
      await ctx.db.migrate.forceFreeMigrationsLock({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
      ctx.out('Migration lock cleared.');
      return 0;
    }
    const ran = await migrate(ctx.db);
    ctx.out(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(', ')}` : 'Database is up to date.');
  },
  'user add': lazy(users, (m) => m.userAddCommand),
  'user reset-2fa': lazy(users, (m) => m.userResetTwoFactorCommand),
  'import people': lazy(imports, (m) => m.importPeopleCommand),
  'import engagements': lazy(imports, (m) => m.importEngagementsCommand),
  'import all': lazy(exportsCli, (m) => m.importAllCommand),
  'export people': lazy(exportsCli, (m) => m.exportListCommand('people')),
  'export organisations': lazy(exportsCli, (m) => m.exportListCommand('organisations')),
  'export projects': lazy(exportsCli, (m) => m.exportListCommand('projects')),
  'export engagements': lazy(exportsCli, (m) => m.exportListCommand('engagements')),
  'export all': lazy(exportsCli, (m) => m.exportAllCommand),
  backup: lazy(() => import('./cli/backup.cli.js'), (m) => m.backupCommand),
  check: async (ctx) => {
    const problems = await integrityCheck(ctx.db);
    if (!problems.length) {
      ctx.out('Database is intact (PRAGMA integrity_check: ok).');
      return 0;
    }
    ctx.err(`The database is damaged (PRAGMA integrity_check found ${problems.length} problem(s)); restore a backup:`);
    for (const p of problems.slice(0, 20)) ctx.err(`  ${p}`);
    return 1;
  },
  'seed demo': lazy(seed, (m) => (ctx, args) => m.seedCommand(ctx, ['demo', ...args])),
  'seed taxonomy': lazy(seed, (m) => (ctx, args) => m.seedCommand(ctx, ['taxonomy', ...args])),
  'privacy export': lazy(privacy, (m) => m.privacyExportCommand),
  'privacy erase': lazy(privacy, (m) => m.privacyEraseCommand),
  'mail test': lazy(() => import('./mail/mail.cli.js'), (m) => m.mailTestCommand),
  link: lazy(() => import('./me/me.cli.js'), (m) => m.linkCommand),
  'token create': lazy(tokens, (m) => m.tokenCreateCommand),
  'token list': lazy(tokens, (m) => m.tokenListCommand),
  'token revoke': lazy(tokens, (m) => m.tokenRevokeCommand),
  'people duplicates': lazy(duplicates, (m) => m.peopleDuplicatesCommand),
  'people merge': lazy(duplicates, (m) => m.peopleMergeCommand),
};

async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(HELP);
    return argv.length ? 0 : 1;
  }
  if (argv[0] === 'serve') {
    const { startServer, startFailure } = await import('./server.js');
    try {
      await startServer(loadConfig());
    } catch (err) {
      // one line, and exit: an open database handle must not keep a failed start hanging
      console.error(startFailure(err));
      process.exit(1);
    }
    return -1; // keeps running
  }
  const two = `${argv[0]} ${argv[1] ?? ''}`;
  const name = COMMANDS[two] ? two : COMMANDS[argv[0]!] ? argv[0]! : null;
  if (!name) throw new CliError(`unknown command "${argv.slice(0, 2).join(' ')}"; run "skillnet --help"`);
  const rest = argv.slice(name.split(' ').length);
  const config = loadConfig();
  configureLog(config.logLevel, 2);
  const db: Db = createDb(config);
  // SIGTERM/SIGINT: an import stops at its next step and takes back what it wrote, then the command ends
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await checkDatabase(db, config);
    await quickStartupCheck(db);
    // only a command that needs a newer schema takes the migration lock (backup, check and the rest never wait for it)
    if (name !== 'migrate' && name !== 'check' && name !== 'backup') await migrateIfNeeded(db);
    const ctx: CliContext = {
      db, config,
      out: (line) => process.stdout.write(line + '\n'),
      err: (line) => process.stderr.write(line + '\n'),
      stdin: process.stdin,
      signal: stop.signal,
    };
    return (await COMMANDS[name]!(ctx, rest)) ?? 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await db.destroy();
  }
}

const t = makeTranslator(catalog, 'en');

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    if (err instanceof CliError || err instanceof ConfigError || err instanceof StartupError) console.error(failureLine(err.message));
    else if (dbErrorKey(err)) console.error(failureLine(`${t(dbErrorKey(err)!)} (${(err as Error).message})`));
    else if (err && (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(failureLine((err as Error).message));
    else console.error(failureLine(String((err as Error)?.message ?? err)));
    process.exitCode = 2;
  },
);

export { parseArgs };
