import { expect } from 'chai';
import { smallest } from '../../src/search/order.domain.js';

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
