// The log: structured JSON lines through pino. One line per request (src/http/request-log.ts) and per
// background job; errors once, with their stack. Never names, e-mail addresses or query strings.
// pino is loaded when the first line is logged: a command that logs nothing (most CLI runs) never loads it.
import { createRequire } from 'node:module';
import type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const require = createRequire(import.meta.url);
const pinoModule = () => require('pino') as typeof import('pino');

/** Where lines go and from which level, until the logger is made. */
let settings: { level: LogLevel; fd: 1 | 2 | null } = { level: 'info', fd: null };
let logger: Logger | null = null;

/** Sets the level, and where lines go: standard output for the server, standard error for the CLI (its stdout is data). */
export function configureLog(level: LogLevel, fd: 1 | 2 = 1): void {
  settings = { level, fd };
  logger = null;
}

/**
 * Puts another logger in place (tests read what is logged); returns the one it replaces, or null when none was made
 * yet (given back, null makes the next line start the configured one).
 */
export function useLogger(l: Logger | null): Logger | null {
  const before = logger;
  logger = l;
  return before;
}

export function log(): Logger {
  if (logger) return logger;
  const { pino } = pinoModule();
  const { level, fd } = settings;
  logger = fd === null ? pino({ level }) : pino({ level, base: { pid: process.pid } }, pino.destination({ fd, sync: fd === 2 }));
  return logger;
}

/** An error, once, with its stack (pino's err serializer), plus context that names no person. */
export function logError(err: unknown, context: Record<string, unknown> = {}, msg = 'error'): void {
  log().error({ ...context, err }, msg);
}
