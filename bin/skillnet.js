#!/usr/bin/env node
// Runs the CLI as plain JavaScript compiled from src/ (bin/compile.js: compiled again whenever a source changed,
// so `npx skillnet` works in a checkout without a build step). When it cannot be compiled, or with
// SKILLNET_TSX=1, the TypeScript runs through tsx instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshEntry } from './build-cache.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// a current build runs at once; only a changed source loads the compiler
const entry = process.env.SKILLNET_TSX === '1' ? null : freshEntry(root, 'src/cli.ts') ?? (await (await import('./compile.js')).compiledEntry(root, 'src/cli.ts'));
if (entry) {
  // error stacks name the TypeScript lines; migrations, which knex imports as .ts files, register tsx when one must run (src/db.ts)
  process.setSourceMapsEnabled(true);
  globalThis[Symbol.for('skillnet.compiled')] = true;
  // the vendored bundles' code cache is written by a command, not by a server (bin/code-cache.js says why)
  if (process.argv[2] === 'serve') (await import('./code-cache.js')).writeCodeCacheOnExit(false);
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
