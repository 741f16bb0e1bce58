// The only file that listens: config → db → migrate → app → listen.
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { checkDatabase, createDb, describeDatabase, migrate } from './db.js';
import { warmUpSearch } from './search/search.queries.js';
import { startMailWorker } from './mail/mail.worker.js';
import { selfServiceHousekeeping } from './me/me.housekeeping.js';

export async function startServer(config: Config): Promise<void> {
  const db = createDb(config);
  try {
    // PostgreSQL: refused, unknown database or wrong password stop here with one line naming host and reason
    await checkDatabase(db, config);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const ran = await migrate(db);
  if (ran.length) console.log(`Applied ${ran.length} migration(s).`);
  const mailWorker = startMailWorker(db, config, { housekeeping: () => selfServiceHousekeeping(db) });
  const app = createApp({ db, config, mailWorker });
  const server = app.listen(config.port, config.host, () => {
    const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    console.log(`Skillnet is running at http://${shown}:${config.port}/ (database: ${describeDatabase(config)})`);
    // The first search would otherwise pay for loading the search snapshot (about 1 s per 100,000 people).
    warmUpSearch(db).catch((err) => console.error('search warm-up failed:', err));
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `Port ${config.port} is already in use; set PORT to another port.` : `Cannot listen: ${err.message}`);
    process.exit(1);
  });
  const stop = () => {
    server.close(() => {
      mailWorker.stop().then(() => app.shutdown()).then(() => db.destroy()).finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  try {
    await startServer(loadConfig());
  } catch (err) {
    console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}
