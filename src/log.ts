// The log: structured JSON lines through pino. One line per request (src/http/request-log.ts) and per
// background job; errors once, with their stack. Never names, e-mail addresses or query strings.
import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

let logger: Logger = pino({ level: 'info' });

/** Sets the level, and where lines go: standard output for the server, standard error for the CLI (its stdout is data). */
export function configureLog(level: LogLevel, fd: 1 | 2 = 1): Logger {
  logger = pino({ level, base: { pid: process.pid } }, pino.destination({ fd, sync: fd === 2 }));
  return logger;
}

/** Puts another logger in place (tests read what is logged); returns the one it replaces. */
export function useLogger(l: Logger): Logger {
  const before = logger;
  logger = l;
  return before;
}

export function log(): Logger {
  return logger;
}

/** An error, once, with its stack (pino's err serializer), plus context that names no person. */
export function logError(err: unknown, context: Record<string, unknown> = {}, msg = 'error'): void {
  logger.error({ ...context, err }, msg);
}
