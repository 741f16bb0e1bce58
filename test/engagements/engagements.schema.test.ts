// One engagement schema: the form and the import read the same values the same way and refuse the same ones.
import { expect } from 'chai';
import { ENGAGEMENT_LIMITS, validateEngagement } from '../../src/engagements/engagements.domain.js';
import { mapEngagementRow, type EngagementTarget } from '../../src/imports/engagements.domain.js';
import { parseDecimal } from '../../src/shared/validate.js';

const IDENTITY = { email: 'ada@example.org', organisation: 'Tafel Nord', project: 'Website' };

/** The same values once as a form post and once as an import row. */
function both(values: Record<string, string>) {
  const form = validateEngagement({ person_id: '1', ...values });
  const cells = { ...IDENTITY, ...values };
  const targets = Object.keys(cells) as EngagementTarget[];
  const row = mapEngagementRow(Object.values(cells), targets.map((t) => `Col ${t}`), targets);
  return { form, row };
}

describe('one engagement schema for form and import', () => {
  const accepted: [string, Record<string, string>, Record<string, unknown>][] = [
    ['German thousands and decimal comma', { hours: '1.234,5', paid: 'ja', rate: '45,50' }, { hours: 1234.5, rate: 45.5, paid: true }],
    ['German dates', { start_date: '1.3.2024', end_date: '31.03.24' }, { start_date: '2024-03-01', end_date: '2024-03-31' }],
    ['a handover in German', { handover: 'Teilweise' }, { handover: 'partly' }],
    ['paid as a word', { paid: 'bezahlt', rate: '30' }, { paid: true, rate: 30 }],
    ['a rating', { rating: '4' }, { rating: 4 }],
  ];
  for (const [name, values, expected] of accepted) {
    it(`both accept ${name}`, () => {
      const { form, row } = both(values);
      expect(form.ok, JSON.stringify(form)).to.equal(true);
      expect(row.ok, JSON.stringify(row)).to.equal(true);
      if (form.ok) expect(form.value).to.include(expected);
      if (row.ok) expect(row.row).to.include(expected);
    });
  }

  const refused: [string, Record<string, string>, string, string, string][] = [
    ['negative hours', { hours: '-2' }, 'hours', 'engagements.hoursNegative', 'imports.row.number'],
    ['hours that are no number', { hours: 'viele' }, 'hours', 'validation.range', 'imports.row.number'],
    ['a rating of 4,5', { rating: '4,5' }, 'rating', 'engagements.ratingRange', 'imports.row.number'],
    ['a rate for unpaid work', { paid: 'ehrenamtlich', rate: '30' }, 'rate', 'engagements.rateNeedsPaid', 'imports.row.rateNeedsPaid'],
    ['an unknown handover', { handover: 'vielleicht' }, 'handover', 'validation.choice', 'imports.row.choice'],
    ['a date that does not exist', { start_date: '31.02.2024' }, 'start_date', 'validation.date', 'imports.row.date'],
    ['the end before the start', { start_date: '2024-03-01', end_date: '1.2.2024' }, 'end_date', 'projects.endBeforeStart', 'imports.row.endBeforeStart'],
    ['a role over the limit', { role: 'x'.repeat(ENGAGEMENT_LIMITS.role + 1) }, 'role', 'validation.tooLong', 'imports.row.tooLong'],
  ];
  for (const [name, values, field, formKey, rowKey] of refused) {
    it(`both refuse ${name}`, () => {
      const { form, row } = both(values);
      expect(form.ok).to.equal(false);
      if (!form.ok) expect(form.errors[field]).to.equal(formKey);
      expect(row.ok).to.equal(false);
      if (!row.ok) {
        expect(row.problem.key).to.equal(rowKey);
        expect(row.problem.vars.column).to.equal(`Col ${field}`);
      }
    });
  }

  it('an empty paid cell says nothing in the import; an unticked box means voluntary on the form', () => {
    const { form, row } = both({ role: 'Dev' });
    expect(form.ok && form.value.paid).to.equal(false);
    expect(row.ok && row.row.paid).to.equal(null);
  });

  it('one decimal reader', () => {
    expect(['40,5', '1.234,5', '12', ' 7 ', '-3', '1.5', 'x', '', '1,2,3'].map(parseDecimal))
      .to.deep.equal([40.5, 1234.5, 12, 7, -3, 1.5, null, null, null]);
  });
});
