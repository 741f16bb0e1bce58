import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages
import { localeFromAcceptLanguage, makeFormatters, makeTranslator, mergeMessageSets } from '../../src/i18n/i18n.js';

describe('i18n', () => {
  it('English and German have exactly the same keys', () => {
    const en = Object.keys(catalog.en).sort();
    const de = Object.keys(catalog.de).sort();
    expect(en.filter((k) => !(k in catalog.de)), 'missing in German').to.deep.equal([]);
    expect(de.filter((k) => !(k in catalog.en)), 'missing in English').to.deep.equal([]);
  });

  it('no message is empty and placeholders match across languages', () => {
    for (const key of Object.keys(catalog.en)) {
      const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(catalog.en[key], key).to.not.equal('');
      expect(ph(catalog.de[key] ?? ''), key).to.equal(ph(catalog.en[key]!));
    }
  });

  it('every t(...) key used in views and sources exists', () => {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ejs|ts)$/.test(name)) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
          for (const m of text.matchAll(/\b(?:flash\(req, '\w+'|HttpError\(\d+), '([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
        }
      }
    };
    walk('views');
    walk('src');
    const missing = [...used].filter((k) => !(k in catalog.en) && !k.endsWith('.'));
    expect(missing).to.deep.equal([]);
  });

  const headers: [string | undefined, 'en' | 'de'][] = [
    [undefined, 'en'],
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9,de;q=0.5', 'de'],
    ['fr-FR', 'en'],
    ['de;q=0.1,en;q=0.9', 'en'],
    ['*', 'en'],
  ];
  for (const [h, expected] of headers) {
    it(`Accept-Language ${h} → ${expected}`, () => expect(localeFromAcceptLanguage(h)).to.equal(expected));
  }

  it('falls back to English, then to a readable text, never a raw key', () => {
    const t = makeTranslator({ en: { 'a.only': 'Only English {n}' }, de: {} }, 'de');
    expect(t('a.only', { n: 3 })).to.equal('Only English 3');
    expect(t('some.missingKey')).to.equal('Missing key');
  });

  it('uses the singular form for a count of one where a message has one', () => {
    const t = makeTranslator({ en: { n: '{count} people', 'n#one': '{count} person' }, de: { n: '{count} Personen', 'n#one': '{count} Person' } }, 'de');
    expect(t('n', { count: 1 })).to.equal('1 Person');
    expect(t('n', { count: '1' })).to.equal('1 Person');
    expect(t('n', { count: 2 })).to.equal('2 Personen');
    expect(t('n', { count: '1.000' })).to.equal('1.000 Personen');
    expect(t('n')).to.equal('{count} Personen');
  });

  it('refuses duplicate keys across features', () => {
    expect(() => mergeMessageSets([{ en: { x: '1' }, de: {} }, { en: { x: '2' }, de: {} }])).to.throw(/duplicate/);
  });

  it('formats dates and numbers per language', () => {
    expect(makeFormatters('de').date('2026-11-27')).to.equal('27.11.2026');
    expect(makeFormatters('en').date('2026-11-27')).to.equal('27/11/2026');
    expect(makeFormatters('de').number(12.5)).to.equal('12,5');
    expect(makeFormatters('en').number(1234.5)).to.equal('1,234.5');
  });
});
