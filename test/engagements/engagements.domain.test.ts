import { expect } from 'chai';
import { lastUsedDate, validateEngagement } from '../../src/engagements/engagements.domain.js';

describe('validateEngagement', () => {
  const base = { person_id: '3' };
  const table: { name: string; body: Record<string, string>; errors?: Record<string, string>; check?: Record<string, unknown> }[] = [
    { name: 'only a person', body: base, check: { person_id: 3, paid: false, rating: null, handover: null } },
    { name: 'a full engagement', body: { ...base, role: 'Web', start_date: '2025-01-01', end_date: '2025-03-01', hours: '12,5', paid: '1', rate: '45', rating: '5', handover: 'partly' }, check: { hours: 12.5, paid: true, rate: 45, rating: 5, handover: 'partly' } },
    { name: 'no person', body: {}, errors: { person_id: 'engagements.personRequired' } },
    { name: 'the end before the start', body: { ...base, start_date: '2025-03-01', end_date: '2025-01-01' }, errors: { end_date: 'projects.endBeforeStart' } },
    { name: 'negative hours', body: { ...base, hours: '-1' }, errors: { hours: 'engagements.hoursNegative' } },
    { name: 'hours that are no number', body: { ...base, hours: 'lots' }, errors: { hours: 'validation.range' } },
    { name: 'a rating of 0', body: { ...base, rating: '0' }, errors: { rating: 'engagements.ratingRange' } },
    { name: 'a rating of 6', body: { ...base, rating: '6' }, errors: { rating: 'engagements.ratingRange' } },
    { name: 'a rating of 4.5', body: { ...base, rating: '4.5' }, errors: { rating: 'engagements.ratingRange' } },
    { name: 'a rate for voluntary work', body: { ...base, rate: '30' }, errors: { rate: 'engagements.rateNeedsPaid' } },
    { name: 'a negative rate', body: { ...base, paid: '1', rate: '-3' }, errors: { rate: 'engagements.rateNegative' } },
    { name: 'an unknown handover', body: { ...base, handover: 'maybe' }, errors: { handover: 'validation.choice' } },
  ];
  for (const row of table) {
    it(row.name, () => {
      const r = validateEngagement(row.body);
      if (row.errors) {
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.errors).to.deep.include(row.errors);
      } else {
        expect(r.ok, JSON.stringify(r)).to.equal(true);
        if (r.ok) expect(r.value).to.include(row.check);
      }
    });
  }
});

describe('skill evidence dates', () => {
  it('uses the end, else the start', () => {
    expect(lastUsedDate({ start_date: '2024-01-01', end_date: '2024-02-01' })).to.equal('2024-02-01');
    expect(lastUsedDate({ start_date: '2024-01-01', end_date: null })).to.equal('2024-01-01');
    expect(lastUsedDate({ start_date: null, end_date: null })).to.equal(null);
  });
});
