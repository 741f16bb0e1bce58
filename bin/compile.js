// The CLI and the server as plain JavaScript: src/ and seeds/ compiled file by file by esbuild (the compiler tsx
// itself uses) into node_modules/.cache/skillnet/, and compiled again whenever a source file, a folder, tsconfig.json,
// package.json or this file changed. Through tsx every module a command loads crosses tsx's loader thread and tsx
// takes a while to start: most of what a small command (an export that matches no one) used to cost.
// - Each file keeps its own module (no bundling): imports, their order and cycles behave as under tsx.
// - `import.meta.url` is replaced by the source file's own URL, so paths found from it (views, migrations,
//   createRequire) are those of the checkout, whichever copy runs.
// - A build is written to a folder of its own and then named in current.json (a rename: atomic), so processes
//   that start together never read a half-written build; builds older than ten minutes that are not current go
//   (about 5 MB each; a process loads its modules when it starts, a command's own when it begins).
// - Anything that stops a build (a syntax error, a cache that cannot be written) returns null: the caller then
//   runs the TypeScript through tsx, which reports a syntax error as before.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Folders compiled (every .ts file below them); their files import only each other and packages. */
const SOURCE_DIRS = ['src', 'seeds'];
/** Files whose change changes the output without changing a source file. */
const SETTINGS = ['tsconfig.json', 'package.json', 'bin/compile.js'];
const PRUNE_AFTER_MS = 10 * 60 * 1000;

/** One folder per checkout: checkouts that share node_modules (a symlink) keep their builds apart. */
const defaultCacheDir = (root) => path.join(root, 'node_modules', '.cache', 'skillnet', createHash('sha256').update(root).digest('hex').slice(0, 12));

/** Every folder and .ts file below the source folders, and the settings files, relative to root. */
function inputsOf(root) {
  const out = [...SETTINGS];
  const walk = (rel) => {
    out.push(rel + '/');
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.ts')) out.push(r);
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  return out;
}

/** What a build depends on, as [path, mtime, size]: a folder's mtime moves when a file in it is added, removed or renamed. */
const stamp = (root, rel) => {
  const s = statSync(path.join(root, rel));
  return [rel, s.mtimeMs, rel.endsWith('/') ? 0 : s.size];
};

function readCurrent(cacheDir) {
  try {
    return JSON.parse(readFileSync(path.join(cacheDir, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The compiled entry (e.g. src/cli.js) when the current build is that of these sources, else null. */
export function freshEntry(root, entry, cacheDir = defaultCacheDir(root)) {
  const cur = readCurrent(cacheDir);
  if (!cur || cur.root !== root || !Array.isArray(cur.inputs)) return null;
  try {
    for (const [rel, mtime, size] of cur.inputs) {
      const [, m, s] = stamp(root, rel);
      if (m !== mtime || s !== size) return null;
    }
  } catch {
    return null; // a file or folder that went
  }
  return path.join(cacheDir, cur.build, entry.replace(/\.ts$/, '.js'));
}

/** Compiles every source file into a new build and makes it current; returns the compiled entry. Throws what esbuild reports. */
export async function compile(root, entry, cacheDir = defaultCacheDir(root)) {
  const { build } = await import('esbuild');
  const inputs = inputsOf(root).map((rel) => stamp(root, rel)); // before reading: a change while building makes it stale
  const name = `b-${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const outdir = path.join(cacheDir, name);
  mkdirSync(cacheDir, { recursive: true });
  try {
    await build({
      entryPoints: inputs.map(([rel]) => rel).filter((rel) => rel.endsWith('.ts')).map((rel) => path.join(root, rel)),
      outdir, outbase: root, bundle: false, format: 'esm', platform: 'node', target: 'node20',
      tsconfig: path.join(root, 'tsconfig.json'), sourcemap: true, logLevel: 'silent',
      plugins: [{
        name: 'source-url',
        setup(b) {
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
