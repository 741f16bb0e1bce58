// The only file that listens: config → db → checks → migrate → app → listen.
import { createApp } from './app.js';
import { failureLine } from './cli/cli.shared.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DatabaseUnavailableError, StartupError, checkDatabase, createDb, describeDatabase, migrate, quickStartupCheck, startIntegrityCheck } from './db.js';
import { dbErrorKey } from './http/db-errors.js';
import { recoverImports } from './imports/batch.service.js';
import { stopImportJobs } from './imports/jobs.service.js';
import { configureLog, log, logError } from './log.js';
import { warmUpSearch } from './search/search.queries.js';
import { startMailWorker } from './mail/worker.service.js';
import { selfServiceHousekeeping } from './me/housekeeping.service.js';
import { prepareCampaignMails } from './campaigns/campaigns.queries.js';
import { startWebhookWorker } from './webhooks/webhooks.service.js';

/** How long a shutdown may take (import jobs rolling back, requests finishing) before the process just ends. */
const SHUTDOWN_MS = 25_000;

export async function startServer(config: Config): Promise<void> {
  configureLog(config.logLevel, 1);
  // No database error ends the process: a failed session write or a busy database answers 503 where it happens.
  process.on('unhandledRejection', (reason) => logError(reason, { kind: 'unhandledRejection' }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logError(err, { kind: 'uncaughtException' }, 'uncaught exception');
    if (!dbErrorKey(err)) process.exit(1);
  });
  // SIGTERM before the server listens (a slow migration, a start that hangs) ends the process at once
  let stop: () => void = () => process.exit(143);
  process.on('SIGTERM', () => stop());
  process.on('SIGINT', () => stop());

  const db = createDb(config);
  try {
    // PostgreSQL: refused, unknown database or wrong password stop here with one line naming host and reason
    await checkDatabase(db, config);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  await quickStartupCheck(db);
  const ran = await migrate(db);
  if (ran.length) console.log(`Applied ${ran.length} migration(s).`);
  const mailWorker = startMailWorker(db, config, {
    housekeeping: () => selfServiceHousekeeping(db),
    prepare: () => prepareCampaignMails(db, { publicUrl: config.publicUrl, linkDays: config.meLinkDays }),
  });
  const webhookWorker = startWebhookWorker(db);
  const app = createApp({ db, config, mailWorker, webhookWorker });
  app.locals.integrity = startIntegrityCheck(db);
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new StartupError(err.code === 'EADDRINUSE' ? `Port ${config.port} is already in use; set PORT to another port.` : `Cannot listen: ${err.message}`));
    });
  });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`Skillnet is running at http://${shown}:${config.port}/ (database: ${describeDatabase(config)})`);
  log().info({ port: config.port }, 'listening');
  // The first search would otherwise pay for loading the search snapshot (about 1 s per 100,000 people).
  warmUpSearch(db).catch((err) => logError(err, {}, 'search warm-up failed'));
  // Batches a crashed or killed process left half written are rolled back (in short steps, in the background).
  recoverImports(db).then(
    (n) => n && log().info({ batches: n }, 'rolled back interrupted imports'),
    (err) => logError(err, {}, 'import recovery failed'),
  );

  let stopping = false;
  stop = () => {
    if (stopping) return;
    stopping = true;
    log().info('shutting down');
    setTimeout(() => process.exit(1), SHUTDOWN_MS).unref();
    // stop accepting; idle keep-alive connections go now, busy ones after their response
    server.close();
    server.closeIdleConnections();
    stopImportJobs(SHUTDOWN_MS - 5000)
      .then(() => new Promise<void>((resolve) => (server.listening ? server.once('close', () => resolve()) : resolve())))
      .then(() => mailWorker.stop())
      .then(() => webhookWorker.stop())
      .then(() => app.shutdown())
      .then(() => db.destroy())
      .then(() => process.exit(0), (err) => {
        logError(err, {}, 'shutdown failed');
        process.exit(1);
      });
  };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  // (no top-level await: the compiled CLI is one CommonJS file, bin/compile.js)
  Promise.resolve().then(() => startServer(loadConfig())).catch((err: unknown) => {
    console.error(startFailure(err));
    process.exit(1);
  });
}

/** One line for a failed start, `skillnet: …` like every other failure of the CLI: no stack trace. */
export function startFailure(err: unknown): string {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof DatabaseUnavailableError) return failureLine(err.message);
  const e = err as Error & { code?: string };
  if (/Migration table is already locked/i.test(String(e?.message))) {
    return failureLine('cannot start: another process is migrating the database, or a migration crashed and left its lock (if no other Skillnet runs, clear it with: skillnet migrate --unlock)');
  }
  return failureLine(`cannot start: ${e?.message ?? err}`);
}
