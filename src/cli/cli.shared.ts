// What every CLI command gets, and the one error type it throws for a one-line message.
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import type { Actor } from '../audit/audit.queries.js';

export interface CliContext {
  db: Db;
  config: Config;
  out(line: string): void;
  err(line: string): void;
  stdin: Readable;
  /** aborted on SIGTERM/SIGINT: long commands (an import) stop at their next step and take back what they wrote */
  signal?: AbortSignal;
}

/** A failure the user can fix; printed as one line, exit status 2. */
export class CliError extends Error {}

/** The one line every failed command or start-up prints on standard error: `skillnet: what went wrong`. */
export function failureLine(message: string): string {
  return `skillnet: ${message}`;
}

export const CLI_ACTOR: Actor = { userId: null, label: 'cli', source: 'cli' };

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}
