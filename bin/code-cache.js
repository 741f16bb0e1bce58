// Loads a CommonJS bundle (a vendored package: bin/compile.js) with V8's code cache beside it, so a command does not
// parse and compile the same 400 KB of JavaScript on every run (Node 20 keeps no code cache for modules itself).
// The cache is written when the first command (not a server) that loads the bundle ends: by then the functions a
// run needs are compiled and go into it. Its name carries this Node's version; V8 rejects a cache that does not fit
// its build or flags, and the file is then written again. The cache is an optimisation only: any failure just
// loads without it.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

/** Runs the CommonJS file as Node's require would, once per process; returns its module.exports. */
export function requireWithCodeCache(file) {
  const cacheFile = `${file}.${process.version}-${process.arch}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // the first run of this build on this Node
  }
  // CommonJS's wrapper, and __import: a script run by vm has no import() of its own (Node 20 allows one only with
  // --experimental-vm-modules), so the bundle's dynamic imports (knex importing a migration) call this module's,
  // which goes through the process's loader, hooks included (bin/compile.js rewrites them and checks none is left)
  const wrapped = `(function (exports, require, module, __filename, __dirname, __import) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {}, id: file, filename: file, loaded: false };
  const importer = (specifier) => import(specifier);
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), importer);
  module.loaded = true;
  if (writes && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => {
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
