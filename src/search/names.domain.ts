// The type-ahead's index over name words, built with the search snapshot: for the first two letters of every
// folded name word, the people with such a word, in name order. A picker's search then reads only the people
// whose words can match (the shortest list among the typed words) instead of testing everyone (~30 ms per
// keystroke at 1,000,000 people), and stops once it has the first page and more than 1,000 counted: a keystroke
// at 1,000,000 people costs well under 10 ms even when a quarter of them match.
//
// Lists hold the people as they were at load; people changed since (snapshot.patched) are skipped there and
// tested one by one, then merged in name order with the same comparator as every other sort (order.domain.ts).
import { comparator, nextGeneration, type Snapshot } from './snapshot.domain.js';
import { startsAWord, typedWord } from './name-codes.domain.js';

/**
 * The index: keys ascending, and per key (at the same position) its people in name order, kept compactly as
 * positions in the load-time name order (snapshot.nameOrder), each as the gap from the one before in 7-bit
 * groups (most gaps fit one byte: about 2.5 bytes per person where a list of ids would take 8).
 */
export interface NameIndex {
  /** first two UTF-16 units of a name word as c0 * 65536 + c1 (c1 = 0 for one-letter words), ascending */
  keys: Uint32Array;
  /** the list of keys[k] is bytes[start[k] .. start[k + 1]) */
  start: Int32Array;
  bytes: Uint8Array;
}

const keyOf = (word: string): number => word.charCodeAt(0) * 65536 + (word.length > 1 ? word.charCodeAt(1) : 0);

/**
 * Calls `each(key)` for the first two letters of every word of a folded name string (" anna maria heide"),
 * once per distinct key (a person with "Maria Martens" is listed once under "ma").
 */
function forEachKey(words: string, each: (key: number) => void, seen: number[]): void {
  seen.length = 0;
  for (let i = 0; i < words.length; i++) {
    if (words.charCodeAt(i) !== 32 || i + 1 >= words.length || words.charCodeAt(i + 1) === 32) continue;
    const c1 = i + 2 < words.length ? words.charCodeAt(i + 2) : 32;
    const key = words.charCodeAt(i + 1) * 65536 + (c1 === 32 ? 0 : c1);
    if (seen.includes(key)) continue;
    seen.push(key);
    each(key);
  }
}

/** Bytes a gap takes in 7-bit groups. */
const gapBytes = (gap: number): number => (gap < 0x80 ? 1 : gap < 0x4000 ? 2 : gap < 0x200000 ? 3 : gap < 0x10000000 ? 4 : 5);

/** Builds the index from the snapshot's name words and load-time name order (two passes, no sort of strings). */
export function buildNameIndex(s: Pick<Snapshot, 'nameWords' | 'nameOrder'>): NameIndex {
  // pass 1: the keys, and the bytes each list takes
  const slotOf = new Map<number, number>();
  let prev = new Int32Array(256);
  let size = new Int32Array(256);
  const seen: number[] = [];
  const slot = (key: number): number => {
    let k = slotOf.get(key);
    if (k === undefined) {
      k = slotOf.size;
      slotOf.set(key, k);
      if (k === prev.length) {
        const grow = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
        prev = grow(prev);
        size = grow(size);
      }
      prev[k] = -1;
    }
    return k;
  };
  const order = s.nameOrder;
  for (let rank = 0; rank < order.length; rank++) {
    forEachKey(s.nameWords[order[rank]!]!, (key) => {
      const k = slot(key);
      size[k]! += gapBytes(rank - prev[k]! - 1);
      prev[k] = rank;
    }, seen);
  }
  // the lists in key order
  const keys = Uint32Array.from(slotOf.keys()).sort();
  const start = new Int32Array(keys.length + 1);
  const at = new Int32Array(keys.length);
  keys.forEach((key, i) => {
    at[slotOf.get(key)!] = start[i]!;
    start[i + 1] = start[i]! + size[slotOf.get(key)!]!;
  });
  // pass 2: the gaps
  const bytes = new Uint8Array(start[keys.length]!);
  prev.fill(-1);
  for (let rank = 0; rank < order.length; rank++) {
    forEachKey(s.nameWords[order[rank]!]!, (key) => {
      const k = slotOf.get(key)!;
      let gap = rank - prev[k]! - 1;
      prev[k] = rank;
      let i = at[k]!;
      while (gap >= 0x80) {
        bytes[i++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      bytes[i++] = gap;
      at[k] = i;
    }, seen);
  }
  return { keys, start, bytes };
}

/** First position in `keys` not below `key`. */
function lowerBound(keys: Uint32Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The keys (positions lo .. hi) whose lists hold every person with a name word starting with `word`. */
function keyRange(ix: NameIndex, word: string): { lo: number; hi: number; entries: number } {
  const lo = lowerBound(ix.keys, word.length > 1 ? keyOf(word) : word.charCodeAt(0) * 65536);
  const hi = word.length > 1 ? (lo < ix.keys.length && ix.keys[lo] === keyOf(word) ? lo + 1 : lo) : lowerBound(ix.keys, (word.charCodeAt(0) + 1) * 65536);
  return { lo, hi, entries: ix.start[hi]! - ix.start[lo]! };
}

/** Counted exactly up to this many; beyond, a picker says "more than 1,000" (reading on would cost ~30 ms at 1M). */
export const NAME_COUNT_LIMIT = 1000;

export interface NamePick {
  /** the first `limit` people in name order */
  ids: number[];
  /** how many match in all, or NAME_COUNT_LIMIT when `more` */
  total: number;
  /** more than NAME_COUNT_LIMIT match (they were not all counted) */
  more: boolean;
}

/** A list's reading position: the next byte and the last position in the name order read. */
interface Cursor {
  at: number;
  end: number;
  rank: number;
  /** matches read from this list so far */
  found: number;
}

/** The next load-time name position of a list, or -1 at its end. */
function nextRank(bytes: Uint8Array, c: Cursor): number {
  if (c.at >= c.end) return -1;
  let b = bytes[c.at++]!;
  let gap = b & 0x7f;
  for (let shift = 7; b & 0x80; shift += 7) {
    b = bytes[c.at++]!;
    gap |= (b & 0x7f) << shift;
  }
  return (c.rank += gap + 1);
}

/**
 * People every one of whose typed `words` (folded, as searchWords gives them) starts one of their name words:
 * the first `limit` in name order, and how many in all up to NAME_COUNT_LIMIT. Reads the lists of the typed
 * word with the fewest entries: first each list until it gave `limit` matches (later ones of that list come
 * after those in name order), then on only until more than NAME_COUNT_LIMIT were counted.
 */
export function pickByNameWords(s: Snapshot, ix: NameIndex, words: string[], limit: number): NamePick {
  const typed = words.map(typedWord);
  const enough = NAME_COUNT_LIMIT + 1;
  // the best `limit` load-time ranks so far, ascending
  const best: number[] = [];
  let total = 0;
  const consider = (rank: number) => {
    if (best.length === limit && rank >= best[limit - 1]!) return;
    let i = best.length;
    while (i > 0 && best[i - 1]! > rank) i--;
    best.splice(i, 0, rank);
    if (best.length > limit) best.pop();
  };
  const matchesAll = (id: number, skip: number) => {
    for (let j = 0; j < typed.length; j++) if (j !== skip && !startsAWord(s.nameCodes, s.nameWords, id, typed[j]!)) return false;
    return true;
  };
  // people changed since the load (or deleted) are left out of the lists and tested one by one below
  const anyPatched = s.patched.length > 0;
  const { isPatched, nameOrder } = s;
  if (!words.length) {
    // nothing typed: everyone, in name order
    for (let rank = 0; rank < nameOrder.length && total < enough; rank++) {
      if (anyPatched && isPatched[nameOrder[rank]!]) continue;
      if (total++ < limit) best.push(rank);
    }
  } else {
    const ranges = words.map((w) => keyRange(ix, w));
    let pick = 0;
    for (let j = 1; j < ranges.length; j++) if (ranges[j]!.entries < ranges[pick]!.entries) pick = j;
    const { lo, hi } = ranges[pick]!;
    // a word of one or two letters is matched by being in its key's list; a longer one is tested too
    const skip = words[pick]!.length <= 2 ? pick : -1;
    const several = hi - lo > 1;
    // one person can be in several lists of a one-letter word ("Maria Müller": "ma" and "mu"): counted once
    const gen = several ? nextGeneration(s) : 0;
    const cursors: Cursor[] = [];
    for (let k = lo; k < hi; k++) cursors.push({ at: ix.start[k]!, end: ix.start[k + 1]!, rank: -1, found: 0 });
    const read = (c: Cursor, until: () => boolean) => {
      for (let rank = nextRank(ix.bytes, c); rank >= 0; rank = until() ? -1 : nextRank(ix.bytes, c)) {
        const id = nameOrder[rank]!;
        if (anyPatched && isPatched[id]) continue;
        if (!matchesAll(id, skip)) continue;
        c.found++;
        if (several) {
          if (s.stamp[id] === gen) continue;
          s.stamp[id] = gen;
        }
        total++;
        consider(rank);
      }
    };
    for (const c of cursors) read(c, () => c.found >= limit);
    for (const c of cursors) if (total < enough) read(c, () => total >= enough);
  }
  // people changed since the load: tested one by one, merged by the name comparator
  const changed: number[] = [];
  for (const id of s.patched) if (s.alive[id] && matchesAll(id, -1)) changed.push(id);
  total += changed.length;
  const cmp = comparator(s, 'name');
  changed.sort(cmp);
  const loaded = best.map((r) => nameOrder[r]!);
  const ids: number[] = [];
  let a = 0;
  let b = 0;
  while (ids.length < limit && (a < loaded.length || b < changed.length)) {
    ids.push(b >= changed.length || (a < loaded.length && cmp(loaded[a]!, changed[b]!) < 0) ? loaded[a++]! : changed[b++]!);
  }
  return total > NAME_COUNT_LIMIT ? { ids, total: NAME_COUNT_LIMIT, more: true } : { ids, total, more: false };
}
