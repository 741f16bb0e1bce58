// readCookie: one cookie out of a Cookie header, as the session and the anonymous CSRF token read it.
import { expect } from 'chai';
import { readCookie } from '../../src/http/cookies.js';

describe('readCookie', () => {
  it('finds the cookie wherever it stands, decoded', () => {
    expect(readCookie('skillnet.sid=s%3Aabc.def', 'skillnet.sid')).to.equal('s:abc.def');
    expect(readCookie('a=1; skillnet.sid=x; b=2', 'skillnet.sid')).to.equal('x');
    expect(readCookie('a=1;skillnet.sid=x', 'skillnet.sid')).to.equal('x');
  });

  it('never takes another cookie whose name ends with the same letters', () => {
    expect(readCookie('old.skillnet.sid=forged; skillnet.sid=real', 'skillnet.sid')).to.equal('real');
    expect(readCookie('xskillnet.sid=forged', 'skillnet.sid')).to.equal(undefined);
    // another cookie's value that holds " skillnet.sid=…" (browsers keep spaces inside a value)
    expect(readCookie('a=x skillnet.sid=forged; skillnet.sid=real', 'skillnet.sid')).to.equal('real');
    expect(readCookie('a=x skillnet.sid=forged', 'skillnet.sid')).to.equal(undefined);
  });

  it('absent, empty header or mangled: undefined', () => {
    expect(readCookie(undefined, 'skillnet.sid')).to.equal(undefined);
    expect(readCookie('', 'skillnet.sid')).to.equal(undefined);
    expect(readCookie('other=1', 'skillnet.sid')).to.equal(undefined);
    expect(readCookie('skillnet.sid=%E0%A4%A', 'skillnet.sid')).to.equal(undefined);
  });
});
