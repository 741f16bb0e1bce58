import { expect } from 'chai';
import { SHORTLIST_STATES, canMove, canShortlist, readStateChange, type ShortlistState } from '../../src/shortlists/shortlists.domain.js';

describe('shortlist states (domain)', () => {
  const table: [ShortlistState, ShortlistState, boolean][] = [
    ['suggested', 'shortlisted', true], ['shortlisted', 'asked', true], ['asked', 'accepted', true], ['asked', 'declined', true],
    ['shortlisted', 'accepted', true], ['declined', 'shortlisted', true], ['accepted', 'declined', false], ['accepted', 'asked', false],
    ['asked', 'shortlisted', false], ['asked', 'asked', false], ['shortlisted', 'suggested', false],
  ];
  for (const [from, to, ok] of table) {
    it(`${from} → ${to}: ${ok ? 'allowed' : 'refused'}`, () => expect(canMove(from, to)).to.equal(ok));
  }

  it('accepted is final', () => {
    for (const to of SHORTLIST_STATES) expect(canMove('accepted', to)).to.equal(false);
  });

  it('declining needs a reason; other changes keep none', () => {
    expect(readStateChange('asked', { state: 'declined', reason: '  ' })).to.deep.equal({ ok: false, error: 'shortlist.reasonRequired' });
    expect(readStateChange('asked', { state: 'declined', reason: ' no time this year ' })).to.deep.equal({ ok: true, to: 'declined', reason: 'no time this year' });
    expect(readStateChange('shortlisted', { state: 'asked' })).to.deep.equal({ ok: true, to: 'asked', reason: null });
  });

  it('refuses unknown states, moves that are not allowed and overlong reasons', () => {
    expect(readStateChange('asked', { state: 'maybe' })).to.deep.equal({ ok: false, error: 'shortlist.badState' });
    expect(readStateChange('accepted', { state: 'declined', reason: 'x' })).to.deep.equal({ ok: false, error: 'shortlist.notAllowed' });
    expect(readStateChange('asked', { state: 'declined', reason: 'x'.repeat(501) })).to.deep.equal({ ok: false, error: 'validation.tooLong' });
  });

  it('staff change only their own organisation\'s shortlists; viewers none', () => {
    expect(canShortlist({ role: 'staff', organisation_id: 3 }, { organisation_id: 3 })).to.equal(true);
    expect(canShortlist({ role: 'staff', organisation_id: 3 }, { organisation_id: 4 })).to.equal(false);
    expect(canShortlist({ role: 'manager', organisation_id: null }, { organisation_id: 4 })).to.equal(true);
    expect(canShortlist({ role: 'viewer', organisation_id: null }, { organisation_id: 4 })).to.equal(false);
  });
});
