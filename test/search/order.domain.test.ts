import { expect } from 'chai';
import { relevanceScores, smallest, sortedSlice } from '../../src/search/order.domain.js';
import { buildSnapshot, patchSnapshot, type PersonRow, type Snapshot } from '../../src/search/snapshot.domain.js';
import { levelOf } from '../../src/search/facts.domain.js';
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
    // (a first page of 10: the walk is tried and given up after 1,600 places, four times what spread members would
    // need; the longer pages read the ranks at once)
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

describe('order.domain: relevance scores (words, and skill levels read from each skill\'s list of people)', () => {
  /** a seeded generator, so a failure repeats */
  function rng(seed: number): () => number {
    let x = seed;
    return () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  }
  const LAST = ['Schmidt', 'Schmitz', 'Weber', 'Özdemir', 'Schmal'];
  const person = (id: number): PersonRow => [id, `P${id}`, LAST[id % LAST.length]!, 'Berlin', 'berlin', 'volunteer', 'available', 'German', 0, '2026-01-01T00:00:00.000Z'];

  /** 400 people with up to six skills at levels 0–4; then 30 of them changed (levels moved, skills dropped and added). */
  function network(): Snapshot {
    const r = rng(7);
    const skillRows = (ids: number[]) => ids.flatMap((id) => [1, 2, 3, 4, 5, 6].filter(() => r() < 0.4).map((k) => [id, k, Math.floor(r() * 5)]));
    const ids = Array.from({ length: 400 }, (_, i) => i + 1).filter((id) => id % 37 !== 0); // with gaps
    const s = buildSnapshot({ version: 1, trusted: true, maxId: 400, people: ids.map(person), skills: skillRows(ids), tags: [], engagements: [] });
    const changed = ids.filter(() => r() < 0.08);
    expect(patchSnapshot(s, { latest: 2, changed, people: changed.map(person), skills: skillRows(changed), tags: [], engagements: [] })).to.equal(true);
    expect(s.patched.length).to.be.greaterThan(10);
    return s;
  }

  /** what each hit's record says: 4 for each word starting a name word, plus its level of each relevant skill */
  function fromRecords(s: Snapshot, q: EngineQuery, hits: Int32Array): number[] {
    const relevant = new Set([...q.skillIds, ...q.textSkillIds]);
    return [...hits].map((id) => {
      const nameWords = s.nameWords[id]!.trim().split(' ');
      let score = 4 * q.words.filter((w) => nameWords.some((n) => n.startsWith(w))).length;
      for (const k of relevant) score += levelOf(s.facts, id, k);
      return score;
    });
  }

  it('equal what the records say, for people changed since the load too', () => {
    const s = network();
    const r = rng(11);
    const everyone = Int32Array.from({ length: s.size - 1 }, (_, i) => i + 1).filter((id) => s.alive[id] === 1);
    const some = everyone.filter(() => r() < 0.2);
    const withSkill2 = everyone.filter((id) => levelOf(s.facts, id, 2) > 0);
    const queries = [
      { words: [], skillIds: [2], textSkillIds: [] },
      { words: [], skillIds: [2, 5], textSkillIds: [5, 6] },
      { words: ['schm'], skillIds: [], textSkillIds: [3] },
      { words: ['schmidt', 'p1'], skillIds: [1], textSkillIds: [] },
    ];
    for (const part of queries) {
      const q = { ...part, match: 'all', sort: 'relevance' } as unknown as EngineQuery;
      for (const hits of [everyone, some, withSkill2, Int32Array.from([everyone[everyone.length - 1]!]), new Int32Array(0)]) {
        expect([...relevanceScores(s, q, hits)!], `${JSON.stringify(part)} over ${hits.length} hits`).to.deep.equal(fromRecords(s, q, hits));
      }
    }
    expect(relevanceScores(s, { words: [], skillIds: [], textSkillIds: [] } as unknown as EngineQuery, everyone), 'nothing to score by').to.equal(null);
  });
});
