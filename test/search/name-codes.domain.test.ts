import { expect } from 'chai';
import { CODE_STRIDE, startsAWord, typedWord, writeNameCodes } from '../../src/search/name-codes.domain.js';

// The codes decide "does a typed word start one of the name words" without the name string: the answer must be
// the string's answer for every word length, for words past the coded slots, and for letters beyond Latin-1.
describe('name-codes.domain: a typed word starts a name word, decided from codes', () => {
  const names = [
    ['jurgen', 'muller'], ['anna', 'schmidt'], ['ben', 'schmitz'], ['anna', 'maria', 'schmidt', 'lauterbach', 'weber'],
    ['lukasz', 'wisniewski'], ['łukasz', 'wiśniewski'], ['fatma', 'yılmaz'], ['x'], [], ['schmidtke'], ['abcdefghij', 'abcdefgh'],
  ];
  const words = ['a', 'an', 'ann', 'anna', 'annab', 'schmi', 'schmid', 'schmidt', 'schmidtk', 'schmidtke', 'schmidtkes', 'weber', 'webe',
    'lauterbach', 'lauter', 'łuk', 'łukasz', 'yıl', 'yılmaz', 'yilmaz', 'x', 'xy', 'abcdefgh', 'abcdefghi', 'abcdefghij', 'abcdefghijk', 'maria', 'm'];
  const codes = new Int32Array(names.length * CODE_STRIDE);
  const strings = names.map((n, id) => {
    writeNameCodes(codes, id, n);
    return n.length ? ` ${n.join(' ')}` : '';
  });

  it('agrees with the name string for every name and word', () => {
    for (const w of words) {
      const typed = typedWord(w);
      names.forEach((n, id) => {
        const expected = n.some((part) => part.startsWith(w));
        expect(startsAWord(codes, strings, id, typed), `${w} in ${n.join(' ')}`).to.equal(expected);
      });
    }
  });

  it('words of up to eight Latin-1 letters are decided without reading the string', () => {
    const unread = new Proxy([] as string[], { get: (t, k) => (k === 'length' ? strings.length : (() => { throw new Error('read the string'); })()) });
    for (const w of ['schmidt', 'schm', 'a', 'abcdefgh']) {
      const typed = typedWord(w);
      expect(typed.exact, w).to.equal(true);
      expect(startsAWord(codes, unread, 1, typed), `${w} in anna schmidt`).to.equal(w === 'schmidt' || w === 'schm' || w === 'a');
    }
    expect(typedWord('abcdefghi').exact).to.equal(false);
    expect(typedWord('łuk').exact).to.equal(false);
  });
});
