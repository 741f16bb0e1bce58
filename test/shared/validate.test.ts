import { expect } from 'chai';
import { isEmail, isIsoDate, Validator } from '../../src/shared/validate.js';

describe('Validator', () => {
  const emails: [string, boolean][] = [
    ['a@b.de', true], ['first.last+tag@example.org', true], ['no-at.example.org', false], ['a@b', false], ['a b@c.de', false], ['<x>@y.de', false],
  ];
  for (const [e, ok] of emails) it(`isEmail(${e}) = ${ok}`, () => expect(isEmail(e)).to.equal(ok));

  const dates: [string, boolean][] = [['2026-11-27', true], ['2026-02-30', false], ['27.11.2026', false], ['2024-02-29', true], ['2023-02-29', false]];
  for (const [d, ok] of dates) it(`isIsoDate(${d}) = ${ok}`, () => expect(isIsoDate(d)).to.equal(ok));

  it('collects one message key per field', () => {
    const v = new Validator({ name: '', email: 'bad', n: '7', url: 'javascript:alert(1)' });
    v.text('name', { max: 10, required: true });
    v.email('email');
    v.int('n', { min: 1, max: 5 });
    v.url('url');
    const r = v.result({});
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.errors).to.deep.equal({ name: 'validation.required', email: 'validation.email', n: 'validation.range', url: 'validation.url' });
  });

  it('adds https:// to a bare domain and accepts a German decimal comma', () => {
    const v = new Validator({ url: 'example.org/me', hours: '12,5' });
    expect(v.url('url')).to.equal('https://example.org/me');
    expect(v.decimal('hours', { min: 0, max: 100 })).to.equal(12.5);
    expect(v.result({}).ok).to.equal(true);
  });

  it('rejects text over the limit', () => {
    const v = new Validator({ name: 'x'.repeat(11) });
    v.text('name', { max: 10 });
    expect(v.errors.name).to.equal('validation.tooLong');
  });
});
