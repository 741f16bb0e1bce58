// Singular and plural through Intl.PluralRules, in one place (src/i18n/i18n.ts), and one word per idea.
import { expect } from 'chai';
import { catalog } from '../../src/i18n/catalog.js';
import { makeTranslator, pluralCategory } from '../../src/i18n/i18n.js';
import '../../src/features.js';

describe('plurals and wording', () => {
  const en = makeTranslator(catalog, 'en');
  const de = makeTranslator(catalog, 'de');

  const cases: [string, ReturnType<typeof makeTranslator>, string, Record<string, number | string>, string][] = [
    ['German: one engagement and one consent', de, 'people.deleteImpact', { engagements: 1, consents: 1 }, 'Dabei werden auch 1 Einsatz und 1 Einwilligung gelöscht.'],
    ['German: two and zero', de, 'people.deleteImpact', { engagements: 2, consents: 0 }, 'Dabei werden auch 2 Einsätze und 0 Einwilligungen gelöscht.'],
    ['English: one and three', en, 'people.deleteImpact', { engagements: 1, consents: 3 }, 'This also deletes 1 engagement and 3 consent records.'],
    ['German rows', de, 'imports.skillRows', { count: 1 }, '1 Zeile'],
    ['German rows, formatted thousands', de, 'imports.skillRows', { count: '1.234' }, '1.234 Zeilen'],
    ['English years', en, 'search.activeYears', { years: 1 }, 'the last year'],
    ['English years, several', en, 'search.activeYears', { years: 5 }, 'the last 5 years'],
    ['German years', de, 'search.activeYears', { years: 2 }, 'den letzten 2 Jahren'],
    ['a #one key still picks the singular', en, 'bulk.undo', { count: 1 }, 'Undo (for 1 person)'],
  ];
  for (const [what, t, key, vars, expected] of cases) it(what, () => expect(t(key, vars)).to.equal(expected));

  it('plural categories come from Intl.PluralRules', () => {
    expect(pluralCategory('de', 1)).to.equal('one');
    expect(pluralCategory('de', 0)).to.equal('other');
    expect(pluralCategory('en', '1')).to.equal('one');
  });

  const all = () => (['en', 'de'] as const).flatMap((l) => Object.entries(catalog[l]).map(([k, v]) => [`${l}:${k}`, v] as const));

  it('no message spells a plural as "(s)", "(n)", "(en)", "(e)" or "/-"', () => {
    // "/-" as in "Schlagwort/-wörter" (after a letter; not "https://-Adresse")
    const bad = all().filter(([, v]) => /\((?:s|n|en|e)\)|\p{L}\/-\p{L}/u.test(v)).map(([k]) => k);
    expect(bad).to.deep.equal([]);
  });

  it('one word per idea: "Schlagwörter" (not "Schlagworte"), "nicht kontaktieren" (not "Kontaktsperre")', () => {
    const bad = all().filter(([, v]) => /Schlagworte|Kontaktsperre/i.test(v)).map(([k]) => k);
    expect(bad).to.deep.equal([]);
    // and the chosen words are in use
    expect(all().some(([, v]) => v.includes('Schlagwörter'))).to.equal(true);
    expect(all().some(([, v]) => /nicht kontaktier/i.test(v))).to.equal(true);
  });
});
