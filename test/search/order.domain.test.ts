import { expect } from 'chai';
import { smallest, sortedSlice } from '../../src/search/order.domain.js';
import type { Snapshot } from '../../src/search/snapshot.domain.js';
import type { EngineQuery } from '../../src/search/engine.domain.js';

describe('order.domain: smallest (a page of a big result without sorting it all)', () => {
  /** distinct keys in a shuffled order, from a fixed seed */
  function shuffled(n: number, seed: number): Int32Array {
    const keys = Int32Array.from({ length: n }, (_, i) => i * 3 + 1);
    let x = seed;
    for (let i = n - 1; i > 0; i--) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const j = x % (i + 1);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return keys;
  }

  it('gives the k smallest keys in ascending order, as a full sort would', () => {
    for (const [n, k] of [[1, 1], [10, 3], [1000, 1], [1000, 50], [23_000, 50], [500, 499], [64, 64]] as const) {
      const keys = shuffled(n, n + k);
      const expected = [...keys].sort((a, b) => a - b).slice(0, k);
      expect([...smallest(keys, k)], `n=${n} k=${k}`).to.deep.equal(expected);
    }
  });

  it('gives every key when there are fewer than k, and nothing for k = 0 or no keys', () => {
    expect([...smallest(Int32Array.from([5, 2, 9]), 10)]).to.deep.equal([2, 5, 9]);
    expect([...smallest(Int32Array.from([5, 2, 9]), 0)]).to.deep.equal([]);
    expect([...smallest(new Int32Array(0), 5)]).to.deep.equal([]);
  });

  it('handles keys already ascending or descending (the heap\'s worst orders)', () => {
    const up = Int32Array.from({ length: 2000 }, (_, i) => i);
    const down = up.slice().reverse();
    expect([...smallest(up, 20)]).to.deep.equal([...up.subarray(0, 20)]);
    expect([...smallest(down, 20)]).to.deep.equal([...up.subarray(0, 20)]);
  });
});

describe('order.domain: a page of members in a precomputed order (sortedSlice, no relevance)', () => {
  /** A snapshot with only what the order path reads: `order` lists ids 1…n-1 in sort order. */
  function snapshotWith(order: Int32Array) {
    const capacity = order.length + 1;
    const rank = new Int32Array(capacity).fill(-1);
    order.forEach((id, i) => (rank[id] = i));
    return {
      size: capacity, capacity, nameOrder: order, nameRank: rank, patched: new Int32Array(0), isPatched: new Uint8Array(capacity),
      stamp: new Uint32Array(capacity), generation: 0,
    } as unknown as Snapshot;
  }
  const byName = { sort: 'name', words: [], skillIds: [], textSkillIds: [] } as unknown as EngineQuery;
  const expected = (s: Snapshot, members: Int32Array, from: number, count: number) =>
    [...members].sort((a, b) => s.nameRank[a]! - s.nameRank[b]!).slice(from, from + count);

  it('members bunched at the end of the order (a name searched, sorted by name) give the same pages as a full sort', () => {
    const n = 20_000;
    const members = Int32Array.from({ length: 500 }, (_, i) => i + 1); // ids 1…500
    const rest = Int32Array.from({ length: n - 500 }, (_, i) => i + 501);
    const s = snapshotWith(Int32Array.from([...rest, ...[...members].reverse()]));
    // (a first page of 10: the walk is tried and given up after 1,000 places; the longer pages read the ranks at once)
    for (const [from, count] of [[0, 10], [5, 10], [0, 50], [450, 50], [480, 50], [0, 500]] as const) {
      expect([...sortedSlice(s, byName, members, from, count)], `from ${from}`).to.deep.equal(expected(s, members, from, count));
    }
  });

  it('members spread through the order, and a large share of everyone, too', () => {
    const n = 20_000;
    const order = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % n) + 1);
    const s = snapshotWith(order);
    const spread = Int32Array.from({ length: 400 }, (_, i) => i * 50 + 1);
    const large = Int32Array.from({ length: 5000 }, (_, i) => i * 4 + 1);
    for (const members of [spread, large]) {
      for (const [from, count] of [[0, 50], [100, 50], [members.length - 10, 50]] as const) {
        expect([...sortedSlice(s, byName, members, from, count)], `${members.length} from ${from}`).to.deep.equal(expected(s, members, from, count));
      }
    }
  });
});
