// Whether the compiled build (bin/compile.js) is that of the sources as they are now: what every run of the CLI
// asks before it starts, so it loads nothing but the file system and path modules (compile.js, esbuild and the
// rest load only when something changed).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Folders compiled (every .ts file below them); their files import only each other and packages. */
const SOURCE_DIRS = ['src', 'seeds'];
/** Files whose change changes the output without changing a source file. */
const SETTINGS = ['tsconfig.json', 'package.json', 'bin/build-cache.js', 'bin/compile.js', 'bin/code-cache.js'];
/** Changes the bundled packages' versions (read when present: a project without a lock file has none). */
const LOCK = 'package-lock.json';

/** FNV-1a over the path's UTF-16 units, twice with two offsets: 16 hex digits (a folder name, not a secret). */
function pathHash(s) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ s.charCodeAt(i), 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** One folder per checkout: checkouts that share node_modules (a symlink) keep their builds apart. */
export const defaultCacheDir = (root) => path.join(root, 'node_modules', '.cache', 'skillnet', pathHash(root));

/** Every folder and .ts file below the source folders, and the settings files, relative to root. */
export function inputsOf(root) {
  const out = [...SETTINGS];
  if (existsSync(path.join(root, LOCK))) out.push(LOCK);
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
export const stamp = (root, rel) => {
  // (not path.join: ~300 calls before anything is compiled, path.join took 3 ms of each run; `rel` has forward
  // slashes, which every platform's file system calls take)
  const s = statSync(`${root}/${rel}`);
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
  return path.join(cacheDir, cur.build, entry.replace(/\.ts$/, '.cjs'));
}
