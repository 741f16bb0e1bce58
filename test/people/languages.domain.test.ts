import { expect } from 'chai';
import {
  LANGUAGE_CODES, formatLanguages, languageChoices, languageName, parseLanguage, parseLanguages, storeLanguages,
} from '../../src/people/languages.domain.js';
import { Validator } from '../../src/shared/validate.js';
import { readLanguages } from '../../src/people/languages.domain.js';

describe('languages as ISO 639-1 codes (domain)', () => {
  const one: [string, string | null][] = [
    ['German', 'de'], ['Deutsch', 'de'], ['deutsch', 'de'], ['GERMAN', 'de'], ['Englisch', 'en'], ['EN', 'en'], ['en', 'en'], ['en-GB', 'en'],
    ['de_AT', 'de'], ['deu', 'de'], ['Türkisch', 'tr'], ['turkisch', 'tr'], ['Turkish', 'tr'], ['Farsi', 'fa'], ['Persisch', 'fa'],
    ['Französisch', 'fr'], ['Franzosisch', 'fr'], ['English (fluent)', 'en'], ['Deutsch: Muttersprache', 'de'],
    ['Englisch - verhandlungssicher', 'en'], ['English C1', 'en'], ['Spanisch Grundkenntnisse', 'es'], ['Ukrainian', 'uk'],
    ['Ukrainisch', 'uk'], ['Norwegisch (Bokmål)', 'nb'], ['Gebärdensprache', null], ['Klingon', null], ['', null], ['xx', null],
  ];
  for (const [raw, code] of one) it(`"${raw}" → ${code}`, () => expect(parseLanguage(raw)).to.equal(code));

  it('reads a list in either language and any separator, in order, without repeats, and says what it could not read', () => {
    expect(parseLanguages('German, Englisch / TR; deutsch und Französisch')).to.deep.equal({ codes: ['de', 'en', 'tr', 'fr'], unknown: [] });
    expect(parseLanguages('Deutsch (Muttersprache), Englisch (gut, schriftlich)')).to.deep.equal({ codes: ['de', 'en'], unknown: [] });
    expect(parseLanguages('Deutsch, Gebärdensprache, Klingonisch')).to.deep.equal({ codes: ['de'], unknown: ['Gebärdensprache', 'Klingonisch'] });
  });

  it('shows codes in the interface language', () => {
    expect(languageName('de', 'de')).to.equal('Deutsch');
    expect(languageName('de', 'en')).to.equal('German');
    expect(formatLanguages('de, en', 'de')).to.equal('Deutsch, Englisch');
    expect(formatLanguages('de, en', 'en')).to.equal('German, English');
    expect(storeLanguages(['de', 'en'])).to.equal('de, en');
    expect(storeLanguages([])).to.equal(null);
  });

  it('every code has a name in both languages, and every name reads back as its code', () => {
    expect(LANGUAGE_CODES).to.have.length(183);
    for (const c of LANGUAGE_CODES) {
      for (const loc of ['en', 'de']) {
        const name = languageName(c, loc);
        expect(name, `${c} ${loc}`).to.not.equal(c);
      }
      expect(parseLanguage(languageName(c, 'en')), c).to.be.a('string');
    }
    expect(languageChoices('de').map((l) => l.name).indexOf('Ägyptisch')).to.equal(-1);
    const de = languageChoices('de').map((l) => l.name);
    expect(de.indexOf('Dänisch')).to.be.lessThan(de.indexOf('Deutsch'));
  });

  it('a form or an import row with a word that is no language gets a field error, never a silent drop', () => {
    const v = new Validator({ languages: 'Deutsch, Klingonisch' });
    expect(readLanguages(v, 'languages', 200)).to.equal(null);
    expect(v.errors).to.deep.equal({ languages: 'people.languageUnknown' });
    const ok = new Validator({ languages: 'Deutsch, EN' });
    expect(readLanguages(ok, 'languages', 200)).to.equal('de, en');
    expect(ok.errors).to.deep.equal({});
  });
});
