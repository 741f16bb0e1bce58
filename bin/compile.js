// The CLI and the server as plain JavaScript: bundled by esbuild (the compiler tsx itself uses) from src/ and
// seeds/ into node_modules/.cache/skillnet/, and bundled again whenever a source file, a folder, tsconfig.json,
// package.json, package-lock.json or one of bin/'s build files changed (bin/build-cache.js checks that before every
// run, and loads nothing else). Through tsx every module a command loads crosses tsx's loader thread and tsx
// takes a while to start; file by file, each of some 200 modules still cost its own resolve, read and compile:
// most of what a small command (an export that matches no one) cost.
// - One CommonJS file from the entry, run by bin/code-cache.js with V8's code cache (Node 20 keeps none for ES
//   modules: compiling and linking the 34 modules of an export was a fifth of its run). The sources keep ES module
//   semantics as esbuild bundles them: imports evaluate in their order, and a module imported on demand (a
//   command's own) is initialised when asked, not at start. No top-level await (CommonJS has none).
// - knex and the packages it loads at start are bundled in (a plain `require` of its ~150 files was another fifth),
//   without the dialects Skillnet never runs. Every other package stays outside and loads from node_modules.
// - `import.meta.url` is replaced by the source file's own URL, so paths found from it (views, migrations,
//   createRequire) are those of the checkout, whichever copy runs.
// - A build is written to a folder of its own and then named in current.json (a rename: atomic), so processes
//   that start together never read a half-written build; builds older than ten minutes that are not current go
//   (a process reads the bundle and its code cache when it starts, the source map when a stack is first shown,
//   and writes a missing code cache when it ends).
// - Anything that stops a build (a syntax error, a cache that cannot be written) returns null: the caller then
//   runs the TypeScript through tsx, which reports a syntax error as before.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultCacheDir, freshEntry, inputsOf, stamp } from './build-cache.js';

export { freshEntry };

const PRUNE_AFTER_MS = 10 * 60 * 1000;

/**
 * Packages bundled into the CLI's file: knex, which loads some 150 files of its own and of lodash when it starts,
 * with the packages it loads (pure JavaScript that reads no file beside its own), and the session store, which
 * requires knex (outside, a server would load knex's files a second time). Every other package stays outside and
 * loads from node_modules (a database driver, express, exceljs).
 */
const BUNDLED = new Set(['knex', 'lodash', 'tarn', 'debug', 'ms', 'colorette', 'pg-connection-string', 'getopts', 'escalade',
  'get-package-type', 'interpret', 'rechoir', 'resolve-from', 'tildify', 'commander', 'connect-session-knex']);
/** knex's dialects Skillnet never runs (it runs on SQLite and PostgreSQL): left out of the bundle (a third of knex). */
const UNUSED_DIALECTS = /^\.\/(cockroachdb|mssql|mysql|mysql2|mariadb|oracle|oracledb|pgnative|redshift)$/;
const KNEX_DIALECTS = /knex[/\\]lib[/\\]dialects[/\\]index\.js$/;
const KNEX_FILE = /[/\\]node_modules[/\\]knex[/\\]/;
/** The one file of knex that calls import() (for a migration that is an ES module). */
const KNEX_IMPORT_FILE = /knex[/\\]lib[/\\]migrations[/\\]util[/\\]import-file\.js$/;
/** A bare import's package name ('lodash/flatten' → 'lodash', '@scope/x/y' → '@scope/x'). */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/**
 * Bundles the entry into a new build and makes it current; returns the compiled entry (src/cli.ts →
 * <build>/src/cli.cjs, which bin/code-cache.js runs). Throws what esbuild reports.
 */
export async function compile(root, entry, cacheDir = defaultCacheDir(root)) {
  const { build } = await import('esbuild');
  const inputs = inputsOf(root).map((rel) => stamp(root, rel)); // before reading: a change while building makes it stale
  const name = `b-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const outdir = path.join(cacheDir, name);
  const outfile = path.join(outdir, entry.replace(/\.ts$/, '.cjs'));
  mkdirSync(cacheDir, { recursive: true });
  try {
    await build({
      entryPoints: [path.join(root, entry)], outfile, bundle: true, format: 'cjs', platform: 'node', target: 'node20',
      // an import() of a package becomes a require() (one of a source file: its module, initialised when asked)
      supported: { 'dynamic-import': false },
      // smaller to read on every run (1.9 → 1.4 MB); names stay (stacks go through the source map anyway)
      minifyWhitespace: true, minifySyntax: true,
      tsconfig: path.join(root, 'tsconfig.json'), sourcemap: true, sourcesContent: false, logLevel: 'silent',
      plugins: [{
        name: 'skillnet',
        setup(b) {
          // knex logs through `debug` (DEBUG=knex:*), which loads tty, net and supports-color when it starts: it is
          // loaded only when DEBUG is set, as it would then log (unset, its loggers say nothing)
          b.onResolve({ filter: /^debug$/ }, (args) => (KNEX_FILE.test(args.importer) ? { path: 'debug', namespace: 'knex-debug', pluginData: path.dirname(args.importer) } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'knex-debug' }, (args) => ({
            contents: "module.exports = process.env.DEBUG ? require('debug') : () => () => {};", loader: 'js', resolveDir: args.pluginData,
          }));
          b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true }));
          b.onResolve({ filter: UNUSED_DIALECTS }, (args) => (KNEX_DIALECTS.test(args.importer) ? { path: args.path, namespace: 'unused-dialect' } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'unused-dialect' }, (args) => ({
            contents: `throw new Error(${JSON.stringify(`knex dialect ${args.path.slice(2)} is not bundled: Skillnet runs on SQLite or PostgreSQL`)});`, loader: 'js',
          }));
          // knex imports an ES module migration with import(), which must stay one: the bundle runs as a script
          // (bin/code-cache.js), which passes it an __import of its own
          b.onLoad({ filter: KNEX_IMPORT_FILE }, (args) => ({ contents: readFileSync(args.path, 'utf8').replaceAll('import(', '__import('), loader: 'js' }));
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      }],
    });
    const tmp = path.join(cacheDir, `current.json.${name}`);
    writeFileSync(tmp, JSON.stringify({ root, build: name, inputs }));
    renameSync(tmp, path.join(cacheDir, 'current.json'));
  } catch (err) {
    rmSync(outdir, { recursive: true, force: true });
    throw err;
  }
  prune(cacheDir, name);
  return outfile;
}

/**
 * Removes builds that are neither current nor younger than ten minutes (a process just started from one may still
 * load from it), and what a process killed while compiling left (a pointer file never renamed).
 */
function prune(cacheDir, keep) {
  for (const e of readdirSync(cacheDir)) {
    if (e === keep || !(e.startsWith('b-') || e.startsWith('current.json.'))) continue;
    try {
      if (Date.now() - statSync(path.join(cacheDir, e)).mtimeMs > PRUNE_AFTER_MS) rmSync(path.join(cacheDir, e), { recursive: true, force: true });
    } catch {
      // another process pruned it
    }
  }
}

/** The compiled entry, compiling first when the sources changed; null when it cannot be compiled (run through tsx). */
export async function compiledEntry(root, entry, cacheDir = defaultCacheDir(root)) {
  const fresh = freshEntry(root, entry, cacheDir);
  if (fresh) return fresh;
  try {
    return await compile(root, entry, cacheDir);
  } catch {
    return null;
  }
}
