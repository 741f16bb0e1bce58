// The order of a search result and the slice of it on a page: relevance groups, or a precomputed order
// (name, recently added, last engagement) merged with the people changed since the snapshot was loaded.
import type { Sort } from './search.domain.js';
import type { EngineQuery } from './engine.domain.js';
import { comparator, nextGeneration, type Snapshot } from './snapshot.domain.js';
import { CODE_STRIDE, startsAWord, typedWord } from './name-codes.domain.js';
import { keepReads, READ_BATCH, skillsFrom, skillsTo } from './facts.domain.js';

/**
 * Relevance: name words matched (4 each), then the levels of the skills asked for (by name or by the skill filter).
 * Null when there is nothing to score by.
 */
export function relevanceScores(s: Snapshot, q: EngineQuery, hits: Int32Array): Uint16Array | null {
  const relevant = [...new Set([...q.skillIds, ...q.textSkillIds])].filter((k) => k <= s.maxSkillId);
  if (!q.words.length && !relevant.length) return null;
  const scores = new Uint16Array(hits.length);
  if (q.words.length) addWordScores(s, q.words, hits, scores);
  if (relevant.length) addSkillScores(s, relevant, hits, scores);
  for (let i = 0; i < scores.length; i++) if (scores[i]! > 999) scores[i] = 999;
  return scores;
}

/** 4 for each word that starts one of a hit's name words (name-codes.domain.ts: mostly decided without the name string). */
function addWordScores(s: Snapshot, queryWords: string[], hits: Int32Array, scores: Uint16Array): void {
  const words = queryWords.map(typedWord);
  const codes = s.nameCodes;
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
    }
    for (let i = i0; i < i1; i++) {
      let score = 0;
      for (const w of words) if (startsAWord(codes, names, hits[i]!, w)) score += 4;
      scores[i]! += score;
    }
  }
  keepReads(touched);
}

/**
 * Each hit's levels of the relevant skills. People unchanged since the load are read from each skill's list of
 * people (ascending, as the hits), one pass that gallops over the people who are not hits; a record read per hit
 * instead was a cache miss each (22,000 people who know WordPress in Berlin at 1,000,000 people: 4–5 ms). People
 * changed since are read from their records.
 */
function addSkillScores(s: Snapshot, relevant: number[], hits: Int32Array, scores: Uint16Array): void {
  const patched = s.patched.length > 0;
  for (const k of relevant) {
    const people = s.skillPeople.get(k);
    const levels = s.skillLevels.get(k);
    if (!people || !levels) continue;
    let j = 0;
    for (let i = 0; i < hits.length && j < people.length; i++) {
      const id = hits[i]!;
      if (people[j]! < id) j = firstAtLeast(people, j, id);
      if (people[j] === id && !(patched && s.isPatched[id])) scores[i]! += levels[j]!;
    }
  }
  if (!patched) return;
  const isRelevant = new Uint8Array(s.maxSkillId + 1);
  for (const k of relevant) isRelevant[k] = 1;
  const data = s.facts.data;
  for (let i = 0; i < hits.length; i++) {
    const id = hits[i]!;
    if (!s.isPatched[id]) continue;
    const from = skillsFrom(s.facts, id);
    for (let j = from, to = skillsTo(s.facts, id, from); j < to; j++) if (isRelevant[data[j]! >> 4]) scores[i]! += data[j]! & 15;
  }
}

/** The first index from `j` on whose value is at least `v` (list ascending, list[j] < v), or the list's length: galloping. */
function firstAtLeast(list: Int32Array, j: number, v: number): number {
  let step = 1;
  let lo = j + 1;
  while (lo + step < list.length && list[lo + step - 1]! < v) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(list.length, lo + step);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
  // The walk reads about end × order / members places of the order when the members are spread evenly through it,
  // each place a member's stamp read at random; the other way reads the rank of every member, in id order (23,000
  // members at 1,000,000 people: about 0.5 ms). Members bunched in the order (a search for "schmidt" sorted by
  // name: they all sit under S) would make the walk read most of the order first, so a walk for a small share stops
  // after four times the places spread members would need, and the ranks are read instead. (It stopped after twice
  // as many places as members: 46,000 random reads for "schmidt" at 1,000,000 people, 3 ms before the ranks.)
  const share = members.length * 8 > order.length;
  const spreadWalk = end * (order.length / members.length);
  if (share || spreadWalk < members.length * 2) {
    // A large share of everyone, or a first page of many: walk the order and keep the members (stops once the slice is full).
    const gen = nextGeneration(s);
    for (const id of members) s.stamp[id] = gen;
    const limit = share ? order.length : Math.min(order.length, Math.ceil(spreadWalk * 4));
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
