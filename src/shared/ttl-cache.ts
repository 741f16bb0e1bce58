// A short-lived per-process cache of values read from the database, one map per database handle (tests run many
// databases in one process). Used for what every logged-in request reads: the signed-in user and the settings'
// policy. Any write through this process forgets every cached value at once (writes to users and settings are
// rare; a transaction's handle need not be traced back to its database); another instance's write is seen after
// at most `ttlMs` (the bound the README promises in "Several instances behind a proxy").
import type { Knex } from 'knex';

interface Entry<V> {
  at: number;
  generation: number;
  value: Promise<V>;
}

export class TtlCache<K, V> {
  private readonly perDb = new WeakMap<Knex, Map<K, Entry<V>>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value, or `load()`'s (shared by concurrent callers; a failed load is not kept). */
  get(db: Knex, key: K, load: () => PromiseLike<V>): Promise<V> {
    let map = this.perDb.get(db);
    if (!map) this.perDb.set(db, (map = new Map()));
    const now = this.now();
    const hit = map.get(key);
    if (hit && hit.generation === this.generation && now - hit.at < this.ttlMs) return hit.value;
    if (map.size >= this.maxEntries) map.clear();
    // Promise.resolve: a knex query builder is a thenable that runs its query again on every then(); held as a
    // promise, it runs once
    const entry: Entry<V> = { at: now, generation: this.generation, value: Promise.resolve(load()) };
    map.set(key, entry);
    entry.value.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
    return entry.value;
  }

  /** After a write: nothing cached before it is answered again, in any database of this process. */
  forgetAll(): void {
    this.generation++;
  }
}
