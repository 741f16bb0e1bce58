// Loads a CommonJS bundle (the compiled CLI: bin/compile.js) with V8's code cache beside it, so a command does not
// parse and compile the same 1.4 MB of JavaScript on every run (Node 20 keeps no code cache for modules itself).
// The cache is written when the first command (not a server) of its kind succeeds: by then the functions that command
// needs are compiled and go into it, so each kind of command (export, import, migrate…) has a cache of its own.
// Its name carries this Node's version; V8 rejects a cache that does not fit its build or flags, and the file is
// then written again. The cache is an optimisation only: any failure just loads without it.
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, findSourceMap, SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

let writes = true;
/**
 * Whether this process may write a missing or rejected cache when it ends. A server says no: by the time it stops,
 * V8 has dropped the bytecode of functions it has not run for a while, so its cache would lack much of what a
 * command needs (measured: a cache a server wrote left an export 20 ms slower than one an export wrote).
 */
export function writeCodeCacheOnExit(yes) {
  writes = yes;
}

/**
 * Runs the CommonJS file as Node's require would, once per process; returns its module.exports. `kind` names the
 * cache (letters only; a command's first word): a run uses and writes the cache of its own kind.
 */
export function requireWithCodeCache(file, kind = '') {
  const tag = /^[a-z]{1,16}$/.test(kind) ? `${kind}.` : '';
  const cacheFile = `${file}.${tag}${process.version}-${process.arch}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // the first run of this build on this Node
  }
  // CommonJS's wrapper, and __import: a script run by vm has no import() of its own (Node 20 allows one only with
  // --experimental-vm-modules), so the bundle's one dynamic import of an ES module (knex importing a migration)
  // calls this module's, which goes through the process's loader, hooks included (bin/compile.js rewrites it;
  // every other import() the bundle had is a require())
  const bytes = readFileSync(file);
  // esbuild writes ASCII (it escapes the rest): read as such, a copy instead of decoding UTF-8 (2 ms of 2 MB)
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  // (the wrapper on a line of its own, which lineOffset hides: stacks give the file's own lines and columns)
  const wrapped = `(function (exports, require, module, __filename, __dirname, __import) {\n${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData, lineOffset: -1 });
  const module = { exports: {}, id: file, filename: file, loaded: false };
  const importer = (specifier) => import(specifier);
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), importer);
  module.loaded = true;
  if (writes && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code !== 0) return; // a failed run (a mistyped command) leaves no cache of its kind
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile); // atomic: processes ending together each write a whole file
      } catch {
        // a read-only cache folder: the next run compiles again
      }
    });
  }
  return module.exports;
}

/**
 * Error stacks name the TypeScript lines of a bundle run by requireWithCodeCache, through its source map
 * (`<file>.map`), read when the first stack is shown. Node maps the stacks of the modules it loads itself
 * (process.setSourceMapsEnabled) but not of a vm script, so this formats every stack: a frame of the bundle by
 * its map, any other by the map Node holds for its file (a migration run through tsx), or as V8 wrote it.
 */
export function mapStacksOf(file) {
  let map;
  const bundleMap = () => {
    if (map === undefined) {
      try {
        const payload = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
        const base = pathToFileURL(`${file}.map`);
        payload.sources = payload.sources.map((s) => fileURLToPath(new URL(s, base)));
        map = new SourceMap(payload);
      } catch {
        map = null; // no map: the bundle's own lines
      }
    }
    return map;
  };
  const frame = (site) => {
    const text = String(site);
    try {
      return mapped(site, text);
    } catch {
      return text; // a stack is never lost to its map
    }
  };
  const mapped = (site, text) => {
    const name = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!name || !line || !column) return text;
    const m = name === file ? bundleMap() : findSourceMap(name);
    const e = m?.findEntry(line - 1, column - 1);
    if (!e?.originalSource) return text;
    const at = `${name}:${line}:${column}`;
    const source = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : e.originalSource;
    return text.includes(at) ? text.replace(at, `${source}:${e.originalLine + 1}:${e.originalColumn + 1}`) : text;
  };
  Error.prepareStackTrace = (error, sites) => {
    let head;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = '<error>';
    }
    return [head, ...sites.map((site) => `    at ${frame(site)}`)].join('\n');
  };
}
