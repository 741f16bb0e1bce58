// Which database failures are the database being unavailable for a moment (busy, full, read-only, gone,
// damaged) rather than a bug: those answer 503 with a page that says what happened, and the process keeps
// serving. One list for the web (error handler), the import jobs and the CLI; a lost or refused connection is
// recognised by src/db.ts (the dialects' codes and messages live there).
import { isConnectionError } from '../db.js';

const BY_CODE: [RegExp, string][] = [
  [/^(SQLITE_FULL|ENOSPC|53100)$/, 'errors.diskFull'],
  [/^(SQLITE_BUSY|SQLITE_LOCKED)/, 'errors.busy'],
  [/^(SQLITE_CORRUPT|SQLITE_NOTADB)/, 'errors.corrupt'],
  [/^(SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_IOERR|SQLITE_PERM|EROFS|EACCES)/, 'errors.dbUnavailable'],
];

/** The message key of a database failure that merits a 503, or null for anything else. */
export function dbErrorKey(err: unknown): string | null {
  const e = (err ?? {}) as { code?: unknown; name?: string };
  if (e.name === 'KnexTimeoutError') return 'errors.busy';
  if (isConnectionError(err)) return 'errors.dbUnavailable';
  const code = typeof e.code === 'string' ? e.code : '';
  for (const [re, key] of BY_CODE) if (re.test(code)) return key;
  return null;
}

/** The message key for any failure: a database one's, else the generic 500 text. */
export function errorKeyOf(err: unknown): string {
  return dbErrorKey(err) ?? 'errors.500';
}
