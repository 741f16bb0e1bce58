// One person schema: the person form and the import read a person's fields the same way and refuse the same values.
import { expect } from 'chai';
import { validatePerson } from '../../src/people/people.domain.js';
import { compileMapping, mapRow } from '../../src/imports/rows.domain.js';
import type { Target } from '../../src/imports/mapping.domain.js';

function both(values: Record<string, string>) {
  const all: Record<string, string> = { last_name: 'Lovelace', ...values };
  const form = validatePerson(all);
  const targets = Object.keys(all) as Target[];
  const row = mapRow(Object.values(all), compileMapping(targets.map((t) => `Col ${t}`), targets));
  return { form, row };
}

describe('one person schema for form and import', () => {
  const accepted: [string, Record<string, string>, Record<string, string>][] = [
    ['kind and availability in German words', { kind: 'Ehrenamtlich', availability: 'eingeschränkt' }, { kind: 'volunteer', availability: 'limited' }],
    ['the stored values themselves', { kind: 'both', availability: 'unavailable' }, { kind: 'both', availability: 'unavailable' }],
    ['a web address with its scheme, kept as written', { portfolio_url: 'https://Example.org/Ada' }, { portfolio_url: 'https://Example.org/Ada' }],
    ['a bare domain, given https://', { portfolio_url: 'example.org' }, { portfolio_url: 'https://example.org/' }],
    ['an e-mail address', { email: 'ada@example.org' }, { email: 'ada@example.org' }],
  ];
  for (const [name, values, expected] of accepted) {
    it(`both accept ${name}`, () => {
      const { form, row } = both(values);
      expect(form.ok, JSON.stringify(form)).to.equal(true);
      expect(row.ok, JSON.stringify(row)).to.equal(true);
      if (form.ok) expect(form.value.fields).to.include(expected);
      if (row.ok) expect(row.person.fields).to.include(expected);
    });
  }

  const refused: [string, Record<string, string>, string, string, string][] = [
    ['an unknown kind', { kind: 'astronaut' }, 'kind', 'validation.choice', 'imports.row.kind'],
    ['an unknown availability', { availability: 'sometimes maybe' }, 'availability', 'validation.choice', 'imports.row.availability'],
    ['a script address', { portfolio_url: 'javascript:alert(1)' }, 'portfolio_url', 'validation.url', 'imports.row.url'],
    ['an e-mail without domain', { email: 'ada@' }, 'email', 'validation.email', 'imports.row.email'],
    ['a phone number over the limit', { phone: '1'.repeat(61) }, 'phone', 'validation.tooLong', 'imports.row.tooLong'],
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
});
