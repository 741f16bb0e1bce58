import { expect } from 'chai';
import { diffRecords } from '../../src/audit/audit.domain.js';

describe('diffRecords', () => {
  const table: [string, Record<string, unknown> | null, Record<string, unknown> | null, Record<string, unknown>][] = [
    ['no change', { a: 1, b: 'x' }, { a: 1, b: 'x' }, {}],
    ['changed value', { a: 1 }, { a: 2 }, { a: { from: 1, to: 2 } }],
    ['empty string equals null', { a: '' }, { a: null }, {}],
    ['boolean equals 0/1', { dnc: 0 }, { dnc: false }, {}],
    ['ignores timestamps and hashes', { updated_at: 'x', password_hash: 'a' }, { updated_at: 'y', password_hash: 'b' }, {}],
    ['new record', null, { a: 'x' }, { a: { from: null, to: 'x' } }],
  ];
  for (const [name, before, after, expected] of table) {
    it(name, () => expect(diffRecords(before, after)).to.deep.equal(expected));
  }
});
