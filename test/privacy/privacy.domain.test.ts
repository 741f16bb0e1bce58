import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  currentConsents, emailHash, flattenForCsv, hasConsent, parseIdList, personDataCsv, reviewCutoff, validateConsent, withdrawalPurpose,
} from '../../src/privacy/privacy.domain.js';

describe('privacy domain', () => {
  describe('reviewCutoff', () => {
    const cases: [string, number, string][] = [
      ['2026-11-27', 24, '2024-11-27'],
      ['2026-03-31', 1, '2026-02-28'],
      ['2028-03-31', 1, '2028-02-29'],
      ['2026-01-15', 13, '2024-12-15'],
      ['2026-11-27', 0, '2026-11-27'],
    ];
    for (const [today, months, expected] of cases) {
      it(`${today} minus ${months} months → ${expected}`, () => {
        expect(reviewCutoff(new Date(`${today}T12:00:00Z`), months)).to.equal(expected);
      });
    }
  });

  describe('emailHash', () => {
    const sha = createHash('sha256').update('juergen@example.org').digest('hex');
    for (const variant of ['juergen@example.org', 'Juergen@Example.ORG', '  JUERGEN@EXAMPLE.ORG\t', '\njuergen@example.org ']) {
      it(`"${variant}" hashes to the normalised e-mail's sha256`, () => expect(emailHash(variant)).to.equal(sha));
    }
    it('no e-mail, no hash', () => {
      expect(emailHash(null)).to.equal(null);
      expect(emailHash('   ')).to.equal(null);
    });
    it('is 64 hex digits and differs between addresses', () => {
      expect(emailHash('a@b.de')).to.match(/^[0-9a-f]{64}$/);
      expect(emailHash('a@b.de')).to.not.equal(emailHash('b@b.de'));
    });
  });

  describe('currentConsents: the latest record per purpose wins', () => {
    const rows = [
      { id: 3, purpose: 'newsletter', status: 'withdrawn' },
      { id: 1, purpose: 'newsletter', status: 'given' },
      { id: 2, purpose: 'directory', status: 'given' },
      { id: 4, purpose: 'directory', status: 'withdrawn' },
      { id: 5, purpose: 'directory', status: 'given' },
    ];
    it('picks the highest id per purpose, in the order purposes first appeared', () => {
      expect(currentConsents(rows).map((r) => [r.purpose, r.status])).to.deep.equal([['newsletter', 'withdrawn'], ['directory', 'given']]);
    });
    const checks: [string, boolean][] = [['newsletter', false], ['directory', true], ['contact_projects', false]];
    for (const [purpose, expected] of checks) {
      it(`hasConsent(${purpose}) is ${expected}`, () => expect(hasConsent(rows, purpose)).to.equal(expected));
    }
  });

  describe('validateConsent', () => {
    const cases: [string, Record<string, unknown>, { ok: boolean; purpose?: string; error?: [string, string] }][] = [
      ['a listed purpose', { purpose: 'newsletter', status: 'given', method: 'email', notice_text: 'Monthly' }, { ok: true, purpose: 'newsletter' }],
      ['a free-text purpose, spaces folded', { purpose: 'other', purpose_other: '  Photos   on the website ' }, { ok: true, purpose: 'Photos on the website' }],
      ['other without text', { purpose: 'other', purpose_other: ' ' }, { ok: false, error: ['purpose_other', 'validation.required'] }],
      ['an unknown purpose', { purpose: 'sell data' }, { ok: false, error: ['purpose', 'validation.choice'] }],
      ['an unknown status', { purpose: 'newsletter', status: 'maybe' }, { ok: false, error: ['status', 'validation.choice'] }],
      ['an unknown method', { purpose: 'newsletter', method: 'telepathy' }, { ok: false, error: ['method', 'validation.choice'] }],
      ['a too long notice', { purpose: 'newsletter', notice_text: 'x'.repeat(5001) }, { ok: false, error: ['notice_text', 'validation.tooLong'] }],
    ];
    for (const [name, body, expected] of cases) {
      it(name, () => {
        const r = validateConsent(body);
        expect(r.ok).to.equal(expected.ok);
        if (r.ok) expect(r.value.purpose).to.equal(expected.purpose);
        else expect(r.errors[expected.error![0]]).to.equal(expected.error![1]);
      });
    }
    it('defaults to given, no method, no notice', () => {
      const r = validateConsent({ purpose: 'directory' });
      expect(r).to.deep.equal({ ok: true, value: { purpose: 'directory', status: 'given', method: null, noticeText: null } });
    });
  });

  it('withdrawalPurpose trims and rejects empty or overlong purposes', () => {
    expect(withdrawalPurpose(' newsletter ')).to.equal('newsletter');
    expect(withdrawalPurpose(['directory', 'x'])).to.equal('directory');
    expect(withdrawalPurpose('')).to.equal(null);
    expect(withdrawalPurpose(undefined)).to.equal(null);
    expect(withdrawalPurpose('x'.repeat(121))).to.equal(null);
  });

  it('parseIdList keeps distinct positive integers only', () => {
    expect(parseIdList(['3', '1', '3', 'x', '-2', '0', '1.5', ' 7 '])).to.deep.equal([3, 1, 7]);
    expect(parseIdList('5')).to.deep.equal([5]);
    expect(parseIdList(undefined)).to.deep.equal([]);
    expect(parseIdList(Array.from({ length: 2000 }, (_, i) => String(i + 1)))).to.have.length(1000);
  });

  it('flattenForCsv: one row per field, numbered rows for lists', () => {
    const rows = flattenForCsv({ person: { id: 1, email: 'a@b.de', notes: null }, tags: ['web'], skills: [{ skill: 'SEO', level: 3 }] });
    expect(rows).to.deep.equal([
      ['person', 'id', '1'], ['person', 'email', 'a@b.de'], ['person', 'notes', ''],
      ['tags', '1', 'web'], ['skills', '1.skill', 'SEO'], ['skills', '1.level', '3'],
    ]);
  });

  it('personDataCsv: BOM, header, semicolons, CRLF, formulas neutralised, line breaks quoted', () => {
    const csv = personDataCsv({ person: { phone: '+49 30 1', notes: 'two\nlines', evil: '=HYPERLINK("x")' } });
    expect(csv.charCodeAt(0)).to.equal(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).to.equal('section;field;value');
    expect(lines[1]).to.equal("person;phone;'+49 30 1");
    expect(lines[2]).to.equal('person;notes;"two\nlines"');
    expect(lines[3]).to.equal(`person;evil;"'=HYPERLINK(""x"")"`);
  });
});
