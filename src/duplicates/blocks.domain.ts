// Blocking for a whole network in compact typed arrays: every person's key hashes in one flat Uint32Array, and
// (hash, position) packed into one sorted Float64Array, so a million people cost tens of megabytes here and no
// object per person. The scan reads people twice: first only their keys (added here in id order), then the full
// normal forms of just the people who share a block with somebody (`needed`).

/** Blocks bigger than this (a very common name) are not compared as a whole; the name-within-city key still is. */
export const MAX_BLOCK = 200;
const POSITION_BITS = 2 ** 22; // up to 4,194,304 people per scan
const OVERSIZED = 0x80000000;

/** 31-bit FNV-1a: collisions only merge blocks (more comparisons), never lose a pair. */
export function hash31(s: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

function grown<T extends Float64Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class Blocks {
  private ids = new Float64Array(1024);
  /** person i's key hashes are hashes[offsets[i]] … hashes[offsets[i + 1] - 1] */
  private offsets = new Uint32Array(1025);
  private hashes = new Uint32Array(4096);
  private packed = new Float64Array(0);
  private ascending = true;
  size = 0;
  private total = 0;
  /** hashes of the blocks too big to compare */
  oversized = new Set<number>();
  /** positions of the people who share a comparable block with somebody */
  needed = new Uint8Array(0);

  /** Adds the next person with their blocking keys. */
  add(id: number, keys: string[]): void {
    if (this.size + 1 >= POSITION_BITS) throw new Error(`a scan handles up to ${POSITION_BITS - 1} people at once`);
    const i = this.size;
    if (i > 0 && id <= this.ids[i - 1]!) this.ascending = false;
    this.ids = grown(this.ids, i + 1);
    this.offsets = grown(this.offsets, i + 2);
    this.hashes = grown(this.hashes, this.total + keys.length);
    this.ids[i] = id;
    let n = this.total;
    for (const k of keys) {
      const h = hash31(k);
      let seen = false;
      for (let x = this.total; x < n; x++) if (this.hashes[x] === h) seen = true;
      if (!seen) this.hashes[n++] = h;
    }
    this.total = n;
    this.size = i + 1;
    this.offsets[this.size] = n;
  }

  /** Sorts the keys into blocks, finds the oversized ones and the people worth reading in full. */
  seal(): void {
    // no spare capacity from growing while adding
    this.ids = this.ids.slice(0, this.size);
    this.offsets = this.offsets.slice(0, this.size + 1);
    this.hashes = this.hashes.slice(0, this.total);
    const packed = new Float64Array(this.total);
    for (let i = 0; i < this.size; i++) {
      for (let x = this.offsets[i]!; x < this.offsets[i + 1]!; x++) packed[x] = this.hashes[x]! * POSITION_BITS + i;
    }
    packed.sort();
    this.packed = packed;
    this.needed = new Uint8Array(this.size);
    this.forEachBlock((h, start, end) => {
      if (end - start > MAX_BLOCK) this.oversized.add(h);
      else if (end - start > 1) for (let x = start; x < end; x++) this.needed[packed[x]! - h * POSITION_BITS] = 1;
    });
    // the free top bit of each person's hashes marks an oversized block, so comparing needs no set look-ups
    if (this.oversized.size) for (let x = 0; x < this.total; x++) if (this.oversized.has(this.hashes[x]!)) this.hashes[x] = (this.hashes[x]! | OVERSIZED) >>> 0;
  }

  private forEachBlock(fn: (h: number, start: number, end: number) => void): void {
    const p = this.packed;
    for (let start = 0; start < p.length;) {
      const h = Math.floor(p[start]! / POSITION_BITS);
      const limit = (h + 1) * POSITION_BITS;
      let end = start + 1;
      while (end < p.length && p[end]! < limit) end++;
      fn(h, start, end);
      start = end;
    }
  }

  /** The position of a person added in ascending id order, or -1. */
  position(id: number): number {
    if (!this.ascending) throw new Error('positions by id need people added in ascending id order');
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Calls fn once for every pair of positions sharing a comparable block (in the block of their smallest shared key). */
  forEachPair(fn: (i: number, j: number) => void): void {
    const p = this.packed;
    this.forEachBlock((h, start, end) => {
      if (end - start < 2 || this.oversized.has(h)) return;
      const base = h * POSITION_BITS;
      for (let x = start; x < end; x++) {
        const i = p[x]! - base;
        for (let y = x + 1; y < end; y++) {
          const j = p[y]! - base;
          if (this.smallestShared(i, j) === h) fn(i, j);
        }
      }
    });
  }

  /** The smallest comparable key hash the two people share, or -1 (oversized hashes carry the top bit: never smaller). */
  private smallestShared(i: number, j: number): number {
    const hs = this.hashes;
    const ja = this.offsets[j]!;
    const jb = this.offsets[j + 1]!;
    const ie = this.offsets[i + 1]!;
    let best = -1;
    for (let x = this.offsets[i]!; x < ie; x++) {
      const h = hs[x]!;
      if (h >= OVERSIZED || (best >= 0 && h >= best)) continue;
      for (let y = ja; y < jb; y++) {
        if (hs[y] === h) {
          best = h;
          break;
        }
      }
    }
    return best;
  }
}

/**
 * How many people share each key (a name within a city), in one sorted Float64Array of 52-bit hashes: 8 bytes a
 * person, and no string kept. Two independent hashes: at a million distinct keys, a key shares its hash with another
 * (and is over-counted) about once in four billion look-ups.
 */
export class KeyCounts {
  private keys = new Float64Array(1024);
  private size = 0;
  private sealed = false;

  private static hash(key: string): number {
    return hash31(key) * 2 ** 21 + (hash31(key, 0x9747b28c) & 0x1fffff);
  }

  add(key: string): void {
    if (this.sealed) throw new Error('keys are added before counting');
    this.keys = grown(this.keys, this.size + 1);
    this.keys[this.size++] = KeyCounts.hash(key);
  }

  seal(): void {
    this.keys = this.keys.slice(0, this.size).sort();
    this.sealed = true;
  }

  /** How many times the key was added. */
  count(key: string): number {
    if (!this.sealed) this.seal();
    const h = KeyCounts.hash(key);
    const k = this.keys;
    let lo = 0;
    let hi = k.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (k[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    let n = 0;
    while (lo + n < k.length && k[lo + n] === h) n++;
    return n;
  }
}
