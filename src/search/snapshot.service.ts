// Keeps each database's search snapshot current without blocking the event loop on a big load.
//
// A few changed people are patched in place (snapshot.queries.ts: applyChanges, milliseconds). A full load —
// the first search, or after many changes such as an import or a bulk action — takes about 1 s per 100,000
// people, so for a file database above 20,000 people (snapshotLoading) it runs in a worker thread on a read-only
// connection of its own; the snapshot's typed arrays are transferred back, not copied. Meanwhile:
//  - a search waits (asynchronously: /health and other pages keep answering) for the new snapshot, except
//  - while an import is writing (the import lock is held): then search answers from the last snapshot,
//    at most one build old, and builds a new one beside it at most half of the time.
// Small or in-memory databases load synchronously as before (up to ~200 ms).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { databaseFileOf, withRawConnection } from '../db.js';
import { logError } from '../log.js';
import type { Snapshot } from './snapshot.domain.js';
import { applyChanges, currentVersion, importWriting, loadSnapshot, maxPersonId } from './snapshot.queries.js';

/** From this many people on (highest id), a full load runs in a worker thread (tests lower it). */
export const snapshotLoading = { backgroundFrom: 20_000 };

interface Entry {
  snap: Snapshot | null;
  building: Promise<Snapshot> | null;
  scheduled: NodeJS.Timeout | null;
  lastBuildMs: number;
  lastBuildEnd: number;
  /** full loads done in a worker (for tests and diagnostics) */
  builds: number;
}

const entries = new WeakMap<Knex, Entry>();

function entryOf(db: Knex): Entry {
  let e = entries.get(db);
  if (!e) entries.set(db, (e = { snap: null, building: null, scheduled: null, lastBuildMs: 0, lastBuildEnd: 0, builds: 0 }));
  return e;
}

/** The snapshot a search should use now: current (patched if need be), freshly built, or during an import the last one. */
export async function readySnapshot(db: Knex): Promise<Snapshot> {
  const e = entryOf(db);
  const file = databaseFileOf(db);
  const now = await withRawConnection(db, (conn) => {
    const s = e.snap;
    if (s?.trusted && (s.version === currentVersion(conn) || applyChanges(conn, s))) return { snap: s };
    if (!file || maxPersonId(conn) < snapshotLoading.backgroundFrom) return { snap: (e.snap = loadSnapshot(conn)) };
    return { snap: null, importing: !!s && importWriting(conn) };
  });
  if (now.snap) return now.snap;
  if (now.importing && e.snap) {
    if (!e.building && !e.scheduled) {
      // at most half of the time: wait as long as the last build took since it ended
      const wait = Math.max(0, e.lastBuildEnd + e.lastBuildMs - Date.now());
      e.scheduled = setTimeout(() => {
        e.scheduled = null;
        void build(db, e, file).catch(() => undefined);
      }, wait);
      e.scheduled.unref();
    }
    return e.snap;
  }
  return e.building ?? build(db, e, file);
}

function build(db: Knex, e: Entry, file: string): Promise<Snapshot> {
  // a build planned for later (during an import) is this one now
  if (e.scheduled) clearTimeout(e.scheduled);
  e.scheduled = null;
  const started = Date.now();
  e.building = loadInWorker(file)
    .then((snap) => {
      e.builds++;
      return snap;
    }, async (err) => {
      logError(err, {}, 'search snapshot: loading in a worker failed; loading in the server instead');
      return withRawConnection(db, (conn) => loadSnapshot(conn));
    })
    .then((snap) => {
      // a snapshot built meanwhile from a later version (a patch on the old one) is not replaced by an older one
      if (!e.snap || snap.version >= e.snap.version || !e.snap.trusted) e.snap = snap;
      return e.snap;
    })
    .finally(() => {
      e.lastBuildEnd = Date.now();
      e.lastBuildMs = e.lastBuildEnd - started;
      e.building = null;
    });
  return e.building;
}

const require = createRequire(import.meta.url);
// One worker per process, kept between loads (starting one, with tsx, costs more than loading 100,000 people);
// it holds the process open only while a load is asked of it.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const loaded = (async () => {
  try {
    return await import(workerData.queries);
  } catch (err) {
    if (err && err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const api = await import(workerData.tsx);
    (api.register ?? api.default.register)();
    return import(workerData.queries + '?with-tsx'); // a failed import stays cached under its URL
  }
})();
parentPort.on('message', async ({ id, file }) => {
  try {
    const mod = await loaded;
    const conn = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const snap = mod.loadSnapshot(conn);
      const buffers = new Set();
      const add = (v) => { if (ArrayBuffer.isView(v)) buffers.add(v.buffer); };
      for (const v of Object.values(snap)) {
        add(v);
        if (v instanceof Map) for (const x of v.values()) add(x);
        else if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) add(x);
      }
      parentPort.postMessage({ id, snap }, [...buffers]);
    } finally {
      conn.close();
    }
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.stack) || err) });
  }
});
`;

interface Loader {
  worker: Worker;
  pending: Map<number, { resolve: (s: Snapshot) => void; reject: (e: Error) => void }>;
}
let loader: Loader | null = null;
let nextId = 1;

function startLoader(): Loader {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      queries: new URL('./snapshot.queries.ts', import.meta.url).href,
      tsx: pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
    },
  });
  const l: Loader = { worker, pending: new Map() };
  worker.unref();
  worker.on('message', (m: { id: number; snap?: Snapshot; error?: string }) => {
    const p = l.pending.get(m.id);
    if (!p) return;
    l.pending.delete(m.id);
    if (!l.pending.size) worker.unref();
    if (m.snap) p.resolve(m.snap);
    else p.reject(new Error(m.error ?? 'search snapshot worker failed'));
  });
  const fail = (err: Error) => {
    if (loader === l) loader = null;
    for (const p of l.pending.values()) p.reject(err);
    l.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`search snapshot worker exited with code ${code}`)));
  return l;
}

/** Builds the snapshot of a database file in the worker thread and hands its arrays over. */
function loadInWorker(file: string): Promise<Snapshot> {
  loader ??= startLoader();
  const l = loader;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    l.pending.set(id, { resolve, reject });
    l.worker.ref();
    l.worker.postMessage({ id, file });
  });
}

/** The snapshot held now, without checking or loading (null before the first search). */
export function heldSnapshot(db: Knex): Snapshot | null {
  return entries.get(db)?.snap ?? null;
}

/** How many full loads ran in a worker thread for this database. */
export function workerBuilds(db: Knex): number {
  return entries.get(db)?.builds ?? 0;
}

/** Drops the held snapshot (the next search loads afresh). */
export function forgetHeldSnapshot(db: Knex): void {
  const e = entries.get(db);
  if (e?.scheduled) clearTimeout(e.scheduled);
  entries.delete(db);
}
