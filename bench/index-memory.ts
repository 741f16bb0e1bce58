// Child process of the memory figure (run with --expose-gc): loads the search index of the network in FILE exactly
// as the server does (loadSnapshot on a better-sqlite3 connection) and prints one JSON line: what the load added
// to the V8 heap plus array buffers after a full GC (measured), the part of it in typed arrays (counted from
// their byteLength), and the number of people.
import Database from 'better-sqlite3';
import { loadSnapshot } from '../src/search/snapshot.queries.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const conn = new Database(process.argv[2]!, { readonly: true });
const people = conn.prepare('SELECT count(*) FROM people').pluck().get() as number;
const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Bytes in typed arrays reachable from the snapshot's own fields (per-person lists and maps of arrays included). */
function typedBytes(value: unknown, seen = new Set<unknown>()): number {
  if (!value || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return 0; // arrays of strings: in the heap figure, not here
  if (value instanceof Map) return [...value.values()].reduce((n: number, v) => n + typedBytes(v, seen), 0);
  return Object.values(value).reduce((n: number, v) => n + typedBytes(v, seen), 0);
}

const before = used();
const snapshot = loadSnapshot(conn);
const after = used();
const heap = after - before;
console.log(JSON.stringify({ people, size: snapshot.size, heap_bytes: heap, typed_array_bytes: typedBytes(snapshot), bytes_per_person: people ? heap / people : null }));
conn.close();
