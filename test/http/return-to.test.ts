// The one return-to check: only paths on this site pass, whatever a browser would make of the rest.
import { expect } from 'chai';
import { safeNext } from '../../src/http/return-to.js';

describe('safeNext (return-to addresses)', () => {
  const kept = ['/', '/people?q=ada', '/projects/3/edit', '/people?next=//x', '/a//b'];
  const refused = ['https://evil.example/', '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example',
    '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', 'javascript:alert(1)', 'evil.example', '', ' /people',
    '/%00', '/' + 'a'.repeat(3000)];
  for (const s of kept) it(`keeps ${JSON.stringify(s)}`, () => expect(safeNext(s)).to.equal(s));
  for (const s of refused) {
    it(`refuses ${JSON.stringify(s.slice(0, 40))}`, () => {
      // '/%00' is a harmless path (the browser does not decode it into a control character)
      expect(safeNext(s)).to.equal(s === '/%00' ? '/%00' : '/');
    });
  }
  it('refuses what is not a string', () => {
    expect(safeNext(undefined)).to.equal('/');
    expect(safeNext(['/people'])).to.equal('/');
  });
});
