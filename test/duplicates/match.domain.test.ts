import { expect } from 'chai';
import {
  colognePhonetic, emailKey, foldGerman, foldPlain, jaroWinkler, phoneE164, regionOf,
} from '../../src/duplicates/match.domain.js';

describe('duplicate matching: normal forms', () => {
  const emails: [string, string | null, string | null][] = [
    // input, exact, mailbox
    ['  Jana.Krueger@GMAIL.com ', 'jana.krueger@gmail.com', 'janakrueger@gmail.com'],
    ['jana.krueger+ngo@googlemail.com', 'jana.krueger+ngo@googlemail.com', 'janakrueger@gmail.com'],
    ['j.a.n.a.krueger@gmail.com', 'j.a.n.a.krueger@gmail.com', 'janakrueger@gmail.com'],
    ['jana+work@outlook.com', 'jana+work@outlook.com', 'jana@outlook.com'],
    ['jana.k@outlook.com', 'jana.k@outlook.com', 'jana.k@outlook.com'], // outlook keeps dots
    ['jana.k+x@example.org', 'jana.k+x@example.org', 'jana.k+x@example.org'], // unknown provider: nothing dropped
    ['max@me.com', 'max@me.com', 'max@icloud.com'],
    ['', null, null],
    ['no-at-sign', null, null],
  ];
  for (const [input, exact, mailbox] of emails) {
    it(`e-mail ${JSON.stringify(input)} → ${mailbox}`, () => {
      const k = emailKey(input);
      expect(k?.exact ?? null).to.equal(exact);
      expect(k?.mailbox ?? null).to.equal(mailbox);
    });
  }

  const phones: [string, string | null, string | null][] = [
    ['0171 1234567', 'Deutschland', '+491711234567'],
    ['+49 171 1234567', null, '+491711234567'],
    ['0049 (171) 123-4567', 'Germany', '+491711234567'],
    ["'+49 30 1234567", null, '+49301234567'], // the ' an Excel export puts before a leading +
    ['0664 1234567', 'Österreich', '+436641234567'],
    ['0664 1234567', 'AT', '+436641234567'],
    ['044 668 18 00', 'Schweiz', '+41446681800'],
    ['030 1234567', null, '+49301234567'], // no country: the default region
    ['call me', null, null],
    ['12', null, null],
  ];
  for (const [input, country, e164] of phones) {
    it(`phone ${input} (${country ?? 'no country'}) → ${e164}`, () => {
      expect(phoneE164(input, regionOf(country))).to.equal(e164);
    });
  }

  it('the default region is used when the country is unknown', () => {
    expect(phoneE164('0664 1234567', regionOf('Atlantis'), 'AT')).to.equal('+436641234567');
    expect(regionOf('Atlantis')).to.equal(null);
    expect(regionOf('Vereinigtes Königreich')).to.equal('GB');
    expect(regionOf('france')).to.equal('FR');
  });

  const folds: [string, string, string][] = [
    ['Krüger', 'krueger', 'kruger'],
    ['Strauß', 'strauss', 'strauss'],
    ['JÖRG-Peter', 'joerg peter', 'jorg peter'],
    ['Øberg', 'oberg', 'oberg'],
    ['  Anna   Maria ', 'anna maria', 'anna maria'],
    ['J.', 'j', 'j'],
  ];
  for (const [input, german, plain] of folds) {
    it(`folds ${input} → ${german} / ${plain}`, () => {
      expect(foldGerman(input)).to.equal(german);
      expect(foldPlain(input)).to.equal(plain);
    });
  }

  const sounds: [string[], string][] = [
    [['Müller', 'Mueller', 'Muller'], '657'],
    [['Meier', 'Mayer', 'Maier', 'Meyer'], '67'],
    [['Schmidt', 'Schmitt'], '862'],
    [['Krüger', 'Krueger', 'Kruger'], '4747'],
    [['Wikipedia'], '3412'],
  ];
  for (const [names, code] of sounds) {
    it(`Kölner Phonetik: ${names.join(', ')} → ${code}`, () => {
      for (const n of names) expect(colognePhonetic(n), n).to.equal(code);
    });
  }

  const similar: [string, string, number][] = [
    ['martha', 'marhta', 0.961],
    ['dwayne', 'duane', 0.84],
    ['dixon', 'dicksonx', 0.813],
    ['abc', 'abc', 1],
    ['abc', 'xyz', 0],
  ];
  for (const [a, b, expected] of similar) {
    it(`Jaro-Winkler ${a} / ${b} ≈ ${expected}`, () => {
      expect(jaroWinkler(a, b)).to.be.closeTo(expected, 0.001);
      expect(jaroWinkler(b, a)).to.be.closeTo(expected, 0.001);
    });
  }
});
