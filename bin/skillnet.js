#!/usr/bin/env node
// Runs the CLI as plain JavaScript compiled from src/ (bin/compile.js: compiled again whenever a source changed,
// so `npx skillnet` works in a checkout without a build step). When it cannot be compiled, or with
// SKILLNET_TSX=1, the TypeScript runs through tsx instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshEntry } from './build-cache.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** tsx's ES module hooks: for the sources themselves (no build), or for a migration, which knex imports as a .ts file */
const registerTsx = async () => (await import('tsx/esm/api')).register();
// a current build runs at once; only a changed source loads the compiler
const entry = process.env.SKILLNET_TSX === '1' ? null : freshEntry(root, 'src/cli.ts') ?? (await (await import('./compile.js')).compiledEntry(root, 'src/cli.ts'));
if (entry) {
  // migrations, which knex imports as .ts files, register tsx when one must run (src/db.ts)
  globalThis[Symbol.for('skillnet.compiled')] = { registerTsx };
  const { mapStacksOf, requireWithCodeCache, writeCodeCacheOnExit } = await import('./code-cache.js');
  // error stacks name the TypeScript lines (and those of a migration through tsx)
  process.setSourceMapsEnabled(true);
  mapStacksOf(entry);
  // one code cache per kind of command (its first word), written by a command and not by a server (code-cache.js says why)
  const command = process.argv[2] ?? '';
  if (command === 'serve') writeCodeCacheOnExit(false);
  requireWithCodeCache(entry, /^[a-z]+$/.test(command) ? command : 'other');
} else {
  await registerTsx();
  await import('../src/cli.ts');
}
