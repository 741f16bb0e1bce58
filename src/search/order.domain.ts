// The order of a search result and the slice of it on a page: relevance groups, or a precomputed order
// (name, recently added, last engagement) merged with the people changed since the snapshot was loaded.
import type { Sort } from './search.domain.js';
import type { EngineQuery } from './engine.domain.js';
import { comparator, nextGeneration, type Snapshot } from './snapshot.domain.js';
import { CODE_STRIDE, startsAWord, typedWord } from './name-codes.domain.js';
import { keepReads, READ_BATCH, skillsFrom, skillsTo } from './facts.domain.js';

/** Relevance: name words matched, then the levels of the skills asked for (by name or by the skill filter). */
function relevanceScores(s: Snapshot, q: EngineQuery, hits: Int32Array): Uint16Array | null {
  const relevant = [...q.skillIds, ...q.textSkillIds].filter((k) => k <= s.maxSkillId);
  if (!q.words.length && !relevant.length) return null;
  const isRelevant = new Uint8Array(s.maxSkillId + 1);
  for (const k of relevant) isRelevant[k] = 1;
  // A word matches a name word it starts (name-codes.domain.ts: mostly decided without the name string).
  const words = q.words.map(typedWord);
  const codes = s.nameCodes;
  const scores = new Uint16Array(hits.length);
  const { at, data } = s.facts;
  const names = s.nameWords;
  const strings = words.some((w) => !w.exact);
  let touched = 0;
  for (let i0 = 0; i0 < hits.length; i0 += READ_BATCH) {
    const i1 = Math.min(hits.length, i0 + READ_BATCH);
    // as in facetCounts: what each hit of the batch needs is fetched first, loads that do not wait for each other
    for (let i = i0; i < i1; i++) {
      const id = hits[i]!;
      touched |= codes[id * CODE_STRIDE]!;
      if (strings) touched |= names[id]!.length;
      if (relevant.length) touched |= data[at[id]!]!;
    }
    for (let i = i0; i < i1; i++) {
      const id = hits[i]!;
      let score = 0;
      for (const w of words) if (startsAWord(codes, names, id, w)) score += 4;
      if (relevant.length) {
        const from = skillsFrom(s.facts, id);
        for (let j = from, to = skillsTo(s.facts, id, from); j < to; j++) if (isRelevant[data[j]! >> 4]) score += data[j]! & 15;
      }
      scores[i] = Math.min(score, 999);
    }
  }
  keepReads(touched);
  return scores;
}

/** Orders built on first use (the column sorts people pick less often), per snapshot. */
const builtOrders = new WeakMap<Snapshot, Map<Sort, { order: Int32Array; rank: Int32Array }>>();

function orderFor(s: Snapshot, sort: Sort): { order: Int32Array; rank: Int32Array } {
  if (sort === 'recently_added') return { order: s.createdOrder, rank: s.createdRank };
  if (sort === 'recent_engagement') return { order: s.activityOrder, rank: s.activityRank };
  if (sort !== 'city' && sort !== 'availability') return { order: s.nameOrder, rank: s.nameRank };
  let built = builtOrders.get(s);
  if (!built) builtOrders.set(s, (built = new Map()));
  let o = built.get(sort);
  if (!o) {
    // People changed later are merged in by orderedSlice with the same comparator; their place here is skipped.
    const ids: number[] = [];
    for (let id = 1; id < s.size; id++) if (s.alive[id]) ids.push(id);
    const order = Int32Array.from(ids).sort(comparator(s, sort));
    const rank = new Int32Array(s.capacity).fill(-1);
    order.forEach((id, i) => (rank[id] = i));
    built.set(sort, (o = { order, rank }));
  }
  return o;
}

/** `members` (ascending ids) in the load-time order, from position `from`, at most `count` of them. */
function loadedSlice(s: Snapshot, order: Int32Array, rank: Int32Array, members: Int32Array, from: number, count: number): Int32Array {
  const end = Math.min(members.length, from + count);
  if (from >= end) return new Int32Array(0);
  const out = new Int32Array(end - from);
  // The walk reads about end × order / members places of the order, one after another, when the members are spread
  // evenly through it; the other way reads the rank of every member, each a cache miss of its own (23,000 members
  // at 1,000,000 people: about 2 ms). Members bunched in the order (a search for "schmidt" sorted by name: they all
  // sit under S) would make the walk read most of the order first, so a walk for a small share stops after as many
  // places as reading the ranks would cost, and the ranks are read instead.
  const share = members.length * 8 > order.length;
  if (share || end * (order.length / members.length) < members.length * 2) {
    // A large share of everyone, or a first page of many: walk the order and keep the members (stops once the slice is full).
    const gen = nextGeneration(s);
    for (const id of members) s.stamp[id] = gen;
    const limit = share ? order.length : Math.min(order.length, members.length * 2);
    let seen = 0;
    let i = 0;
    for (; i < limit && seen < end; i++) {
      const id = order[i]!;
      if (s.stamp[id] !== gen) continue;
      if (seen >= from) out[seen - from] = id;
      seen++;
    }
    if (seen >= end || i >= order.length) return out;
  }
  const keys = new Int32Array(members.length);
  for (let i = 0; i < members.length; i++) keys[i] = rank[members[i]!]!;
  const first = end * 4 < members.length ? smallest(keys, end) : keys.sort();
  for (let i = from; i < end; i++) out[i - from] = order[first[i]!]!;
  return out;
}

/**
 * The k smallest of distinct keys, ascending: a bounded max-heap, so a page of a big result costs one comparison
 * for most keys instead of a sort of them all (23,000 hits at 1,000,000 people: the sort was most of a page).
 */
export function smallest(keys: Int32Array, k: number): Int32Array {
  const heap = new Int32Array(k);
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const v = keys[i]!;
    if (n < k) {
      // sift up
      let c = n++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heap[p]! >= v) break;
        heap[c] = heap[p]!;
        c = p;
      }
      heap[c] = v;
    } else if (v < heap[0]!) {
      // replace the largest, sift down
      let c = 0;
      for (;;) {
        let child = 2 * c + 1;
        if (child >= k) break;
        if (child + 1 < k && heap[child + 1]! > heap[child]!) child++;
        if (heap[child]! <= v) break;
        heap[c] = heap[child]!;
        c = child;
      }
      heap[c] = v;
    }
  }
  return heap.subarray(0, n).sort();
}

/** `members` in sort order, from `from`, at most `count`: load-time order merged with people changed since. */
function orderedSlice(s: Snapshot, sort: Sort, members: Int32Array, from: number, count: number): Int32Array {
  const { order, rank } = orderFor(s, sort);
  if (!s.patched.length) return loadedSlice(s, order, rank, members, from, count);
  const changed: number[] = [];
  const loaded = members.filter((id) => (s.isPatched[id] ? (changed.push(id), false) : true));
  if (!changed.length) return loadedSlice(s, order, rank, members, from, count);
  const end = Math.min(members.length, from + count);
  const cmp = comparator(s, sort);
  changed.sort(cmp);
  const a = loadedSlice(s, order, rank, loaded, 0, end);
  const out = new Int32Array(Math.max(0, end - from));
  let i = 0;
  let j = 0;
  for (let k = 0; k < end; k++) {
    const v = j >= changed.length || (i < a.length && cmp(a[i]!, changed[j]!) < 0) ? a[i++]! : changed[j++]!;
    if (k >= from) out[k - from] = v;
  }
  return out;
}

/** The hits in sort order from position `from`, at most `count` of them. */
export function sortedSlice(s: Snapshot, q: EngineQuery, hits: Int32Array, from: number, count: number): Int32Array {
  const scores = q.sort === 'relevance' ? relevanceScores(s, q, hits) : null;
  if (!scores) return orderedSlice(s, q.sort, hits, from, count);
  // Relevance: groups of equal score, best first, each in name order. Only the groups the slice touches are sorted.
  const perScore = new Int32Array(1000);
  for (const sc of scores) perScore[sc]!++;
  const end = Math.min(hits.length, from + count);
  const out = new Int32Array(Math.max(0, end - from));
  let before = 0;
  for (let sc = 999; sc >= 0 && before < end; sc--) {
    const n = perScore[sc]!;
    if (!n) continue;
    if (before + n > from) {
      const members = new Int32Array(n);
      let k = 0;
      for (let i = 0; i < hits.length; i++) if (scores[i] === sc) members[k++] = hits[i]!;
      const lo = Math.max(0, from - before);
      const part = orderedSlice(s, q.sort, members, lo, end - before - lo);
      out.set(part, before + lo - from);
    }
    before += n;
  }
  return out;
}
