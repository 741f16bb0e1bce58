import { expect } from 'chai';
import { foldText, nameKey, normaliseEmail, normaliseName, normalisePhone } from '../../src/shared/normalise.js';

describe('normalisation', () => {
  const emails: [string | null, string | null][] = [
    ['  Anna@Example.ORG ', 'anna@example.org'],
    ['', null],
    ['   ', null],
    [null, null],
  ];
  for (const [input, expected] of emails) {
    it(`normaliseEmail(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => expect(normaliseEmail(input)).to.equal(expected));
  }

  const folds: [string, string][] = [
    ['Jörg  MÜLLER', 'jorg muller'],
    ['Straße', 'strasse'],
    ['Zoë Ångström', 'zoe angstrom'],
    ['Łukasz Søren', 'lukasz soren'],
    ['José  ', 'jose'],
  ];
  for (const [input, expected] of folds) {
    it(`foldText(${JSON.stringify(input)}) = ${expected}`, () => expect(foldText(input)).to.equal(expected));
  }

  it('normaliseName joins and folds', () => expect(normaliseName(' Renée', 'Schäfer ')).to.equal('renee schafer'));

  const phones: [string, string][] = [
    ['+49 (30) 123-45', '+493012345'],
    ['030 12345', '+493012345'],
    ['0049 30 12345', '+493012345'],
    ["'+49 30 12345", '+493012345'],
    ['', ''],
    ['112', '112'],
  ];
  for (const [input, expected] of phones) {
    it(`normalisePhone(${JSON.stringify(input)}) = ${expected}`, () => expect(normalisePhone(input)).to.equal(expected));
  }

  it('nameKey folds case and accents for skills and tags', () => {
    expect(nameKey('WordPress')).to.equal(nameKey('wordpress'));
    expect(nameKey('Suchmaschinen­optimierung')).to.not.equal('');
  });
});
