// The CLI and the server as plain JavaScript: bundled by esbuild (the compiler tsx itself uses) from src/ and
// seeds/ into node_modules/.cache/skillnet/, and bundled again whenever a source file, a folder, tsconfig.json,
// package.json, package-lock.json or one of bin/'s build files changed (bin/build-cache.js checks that before every
// run, and loads nothing else). Through tsx every module a command loads crosses tsx's
// loader thread and tsx takes a while to start; file by file, each of some 200 modules still cost its own
// resolve, read and compile: most of what a small command (an export that matches no one) cost.
// - One bundle from the entry, split where a module is imported on demand (a command's own modules load when it
//   runs; shared code goes to chunks/). ES module semantics: imports, their order and cycles behave as under tsx.
// - The query builder (knex and the packages it loads at start) is bundled apart, as one CommonJS file that
//   bin/code-cache.js runs with V8's code cache: a plain `require` of its ~150 files was a fifth of a CLI run.
//   Every other package stays outside and loads from node_modules as before.
// - `import.meta.url` is replaced by the source file's own URL, so paths found from it (views, migrations,
//   createRequire) are those of the checkout, whichever copy runs.
// - A build is written to a folder of its own and then named in current.json (a rename: atomic), so processes
//   that start together never read a half-written build; builds older than ten minutes that are not current go
//   (a process loads its modules when it starts, a command's own when it begins).
// - Anything that stops a build (a syntax error, a cache that cannot be written) returns null: the caller then
//   runs the TypeScript through tsx, which reports a syntax error as before.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { defaultCacheDir, freshEntry, inputsOf, stamp } from './build-cache.js';

export { freshEntry };

const PRUNE_AFTER_MS = 10 * 60 * 1000;

/**
 * Packages bundled into one module each (vendor/<name>.js, no source map): knex, which loads some 150 files of its
 * own and of lodash when it starts. Its bundle takes in the packages listed beside it (pure JavaScript that reads
 * no file beside its own); anything else they import (a database driver) stays outside.
 */
const VENDORED = ['knex'];
/** knex's dialects Skillnet never runs (it runs on SQLite and PostgreSQL): left out of its bundle (a third of it). */
const UNUSED_DIALECTS = /^\.\/(cockroachdb|mssql|mysql|mysql2|mariadb|oracle|oracledb|pgnative|redshift)$/;
/** The one file of knex that calls import() (for a migration that is an ES module). */
const KNEX_IMPORT_FILE = /knex[/\\]lib[/\\]migrations[/\\]util[/\\]import-file\.js$/;
const VENDORED_WITH = new Set(['knex', 'lodash', 'tarn', 'debug', 'ms', 'colorette', 'pg-connection-string', 'getopts', 'escalade',
  'get-package-type', 'interpret', 'rechoir', 'resolve-from', 'tildify', 'commander']);
/** A bare import's package name ('lodash/flatten' → 'lodash', '@scope/x/y' → '@scope/x'). */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Bundles each vendored package the project has into outdir/vendor/; returns package → the bundle's file URL. */
async function buildVendor(build, root, outdir) {
  const found = new Map();
  const req = createRequire(path.join(root, 'package.json'));
  for (const pkg of VENDORED) {
    try {
      found.set(pkg, req.resolve(pkg));
    } catch {
      // not installed: nothing can import it
    }
  }
  if (!found.size) return new Map();
  const dir = path.join(outdir, 'vendor');
  for (const [pkg, file] of found) {
    await build({
      entryPoints: [file], outfile: path.join(dir, `${pkg}.cjs`), bundle: true, format: 'cjs', platform: 'node', target: 'node20',
      minifyWhitespace: true, minifySyntax: true, logLevel: 'silent',
      plugins: [{
        name: 'vendor',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (VENDORED_WITH.has(packageOf(args.path)) ? undefined : { external: true }));
          // knex imports an ES module migration with import(): the bundle runs as a script (bin/code-cache.js), which
          // passes it an __import of its own
          b.onLoad({ filter: KNEX_IMPORT_FILE }, (args) => ({ contents: readFileSync(args.path, 'utf8').replaceAll('import(', '__import('), loader: 'js' }));
          b.onResolve({ filter: UNUSED_DIALECTS }, (args) => (/knex[/\\]lib[/\\]dialects[/\\]index\.js$/.test(args.importer) ? { path: args.path, namespace: 'unused-dialect' } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'unused-dialect' }, (args) => ({
            contents: `throw new Error(${JSON.stringify(`knex dialect ${args.path.slice(2)} is not bundled: Skillnet runs on SQLite or PostgreSQL`)});`, loader: 'js',
          }));
        },
      }],
    });
    const bundle = readFileSync(path.join(dir, `${pkg}.cjs`), 'utf8');
    const left = /(?<![\w$.])import\(/.exec(bundle);
    if (left) throw new Error(`${pkg}: a dynamic import() the bundle cannot run: …${bundle.slice(left.index - 80, left.index + 40)}…`);
    // the module the build imports: the CommonJS bundle run with V8's code cache (bin/code-cache.js)
    writeFileSync(path.join(dir, `${pkg}.js`), [
      `import { requireWithCodeCache } from ${JSON.stringify(pathToFileURL(path.join(root, 'bin', 'code-cache.js')).href)};`,
      `export default requireWithCodeCache(${JSON.stringify(path.join(dir, `${pkg}.cjs`))});`, '',
    ].join('\n'));
  }
  return new Map([...found.keys()].map((pkg) => [pkg, pathToFileURL(path.join(dir, `${pkg}.js`)).href]));
}

/** Bundles the entry into a new build and makes it current; returns the compiled entry. Throws what esbuild reports. */
export async function compile(root, entry, cacheDir = defaultCacheDir(root)) {
  const { build } = await import('esbuild');
  const inputs = inputsOf(root).map((rel) => stamp(root, rel)); // before reading: a change while building makes it stale
  const name = `b-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const outdir = path.join(cacheDir, name);
  mkdirSync(cacheDir, { recursive: true });
  try {
    const vendor = await buildVendor(build, root, outdir);
    await build({
      entryPoints: [path.join(root, entry)],
      outdir, outbase: root, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
      entryNames: '[dir]/[name]', chunkNames: 'chunks/[name]-[hash]',
      tsconfig: path.join(root, 'tsconfig.json'), sourcemap: true, sourcesContent: false, logLevel: 'silent',
      plugins: [{
        name: 'skillnet',
        setup(b) {
          // packages stay outside, a vendored one as its bundle (node: built-ins are outside on platform node)
          b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: vendor.get(args.path) ?? args.path, external: true }));
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
  return path.join(outdir, entry.replace(/\.ts$/, '.js'));
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
