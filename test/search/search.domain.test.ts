import { expect } from 'chai';
import Database from 'better-sqlite3';
import {
  buildPersonDoc, dateNumber, filtersToParams, ftsQuery, hasFilters, languageItems, parsePeopleFilters, searchWords, spellingVariants, yearsAgo,
} from '../../src/search/search.domain.js';
import { canonicalQuery, validateSavedSearch } from '../../src/saved-searches/saved-searches.domain.js';

export const HOSTILE_QUERIES: string[] = [
  '"', '""', '"unclosed', "'", "O'Brien", '*', '**', 'a*', '*a', '-', '--', '-wordpress', 'NEAR', 'NEAR(a b)', 'NEAR/3',
  'a NEAR b', 'AND', 'OR', 'NOT', 'AND OR NOT', 'a AND', 'OR b', 'NOT a', '^', '^start', ':', 'doc:x', 'doc : x', '{doc}: x',
  'rowid:1', '(', ')', '(a OR b)', '+', '+a', 'a+b', '[', ']', '{', '}', '\\', '%', '_', '%_%', '; DROP TABLE people; --',
  "' OR 1=1 --", '" OR ""="', 'SELECT * FROM users', "x'); DELETE FROM people; --", '🙂', '👩‍💻 web', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\uD800', 'a\uDC00b', '\u0000', 'tab\there', 'new\nline', 'ﬁ ligature', '½ ²', '٣', '中文', 'ℌ', 'x'.repeat(10_000),
  'a '.repeat(5000), 'schm*', 'müller"', '"müller"', 'é', '\u0301', 'e\u0301', '#', '@', 'user@', '@example.org', '0', '00',
];

describe('search domain', () => {
  describe('ftsQuery', () => {
    const cases: [string, string | null][] = [
      ['', null],
      ['   ', null],
      ['schm', '"schm"*'],
      ['Schm MÜL', '"schm"* AND "mul"*'],
      ['j', '"j"'],
      ['straße', '"strasse"*'],
      ['"wordpress" OR seo', '"wordpress"* AND "or"* AND "seo"*'],
      ['a-b', '"a" AND "b"'],
      ['doc:x', '"doc"* AND "x"'],
      ['seo seo SEO', '"seo"*'],
      ['*', null],
      ['NEAR(a b)', '"near"* AND "a" AND "b"'],
    ];
    for (const [q, expected] of cases) it(`${JSON.stringify(q)} → ${expected}`, () => expect(ftsQuery(q)).to.equal(expected));

    it('turns every hostile string into plain quoted terms (or nothing)', () => {
      for (const q of HOSTILE_QUERIES) {
        const m = ftsQuery(q);
        if (m !== null) expect(m, JSON.stringify(q.slice(0, 40))).to.match(/^"[\p{L}\p{N}]+"\*?( AND "[\p{L}\p{N}]+"\*?)*$/u);
      }
    });

    it('every hostile string is a valid FTS5 query on a real table', () => {
      const db = new Database(':memory:');
      db.exec(`CREATE VIRTUAL TABLE f USING fts5(doc, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`);
      db.prepare('INSERT INTO f (rowid, doc) VALUES (1, ?)').run(buildPersonDoc({ first_name: 'Jürgen', last_name: 'Müller', email: null, city: null, notes: null, tags: [], skillNames: [] }));
      const st = db.prepare('SELECT count(*) AS n FROM f WHERE f MATCH ?');
      for (const q of HOSTILE_QUERIES) {
        const m = ftsQuery(q);
        if (m) expect(() => st.get(m), JSON.stringify(q.slice(0, 40))).to.not.throw();
      }
      expect(st.get(ftsQuery('müller"')!)).to.deep.equal({ n: 1 });
      db.close();
    });

    it('keeps at most 12 distinct words of the first 500 characters', () => {
      expect(searchWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).to.have.length(12);
      expect(searchWords(`${'x'.repeat(600)} late`)).to.deep.equal(['x'.repeat(500)]);
    });
  });

  describe('buildPersonDoc', () => {
    it('holds names, e-mail words, city, notes, tags, skills and other spellings', () => {
      const doc = buildPersonDoc({
        first_name: 'Jürgen', last_name: 'Straßer', email: 'j.s@example.org', city: 'München', notes: 'Hi', tags: ['web'],
        skillNames: ['SEO', 'Suchmaschinenoptimierung'],
      });
      for (const part of ['Jürgen', 'Straßer', 'j.s@example.org', 'example org', 'München', 'Hi', 'web', 'Suchmaschinenoptimierung', 'juergen', 'strasser', 'muenchen']) {
        expect(doc).to.contain(part);
      }
    });

    const variants: [string, string[]][] = [
      ['Müller', ['muller', 'mueller']],
      ['Straße', ['strasse']],
      ['Søren Łukasz', ['soren', 'lukasz']],
      ['plain ascii', []],
    ];
    for (const [text, expected] of variants) {
      it(`spelling variants of ${text}`, () => expect(spellingVariants(text)).to.include.members(expected));
    }
  });

  describe('parsePeopleFilters', () => {
    const defaults = parsePeopleFilters({});
    it('has defaults for nothing', () => {
      expect(defaults).to.include({ q: '', match: 'all', minLevel: 1, kind: '', page: 1, sort: 'relevance', includeDnc: false, org: null });
      expect(hasFilters(defaults)).to.equal(false);
    });

    const cases: [Record<string, unknown>, Partial<ReturnType<typeof parsePeopleFilters>>][] = [
      [{ q: '  hello  ' }, { q: 'hello' }],
      [{ q: ['first', 'second'] }, { q: 'first' }],
      [{ q: { nested: 'object' } }, { q: '' }],
      [{ skill: ['SEO', ' seo ', 'SEO', ''] }, { skills: ['SEO', 'seo'] }],
      [{ skill: Array.from({ length: 20 }, (_, i) => `s${i}`) }, { skills: Array.from({ length: 10 }, (_, i) => `s${i}`) }],
      [{ match: 'any' }, { match: 'any' }],
      [{ match: 'ANY' }, { match: 'all' }],
      [{ level: '3' }, { minLevel: 3 }],
      [{ level: '4' }, { minLevel: 4 }],
      [{ level: '5' }, { minLevel: 1 }],
      [{ level: '2.5' }, { minLevel: 1 }],
      [{ kind: 'both' }, { kind: '' }],
      [{ kind: 'freelancer' }, { kind: 'freelancer' }],
      [{ availability: 'limited' }, { availability: 'limited' }],
      [{ availability: 'x' }, { availability: '' }],
      [{ org: '12' }, { org: 12 }],
      [{ org: '-1' }, { org: null }],
      [{ org: '1e3' }, { org: null }],
      [{ org: '99999999999999999999' }, { org: null }],
      [{ project_kind: 'consulting' }, { projectKind: 'consulting' }],
      [{ active: '2' }, { activeYears: 2 }],
      [{ active: '0' }, { activeYears: null }],
      [{ dnc: '1' }, { includeDnc: true }],
      [{ dnc: 'yes' }, { includeDnc: false }],
      [{ page: '500' }, { page: 500 }],
      [{ page: '0' }, { page: 1 }],
      [{ page: '-3' }, { page: 1 }],
      [{ page: 'abc' }, { page: 1 }],
      [{ sort: 'name' }, { sort: 'name' }],
      [{ sort: 'drop table' }, { sort: 'relevance' }],
      [{ q: 'a\uD800b' }, { q: 'a\uFFFDb' }],
      [{ q: 'x\u0000y' }, { q: 'x y' }],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input).slice(0, 60)}`, () => expect(parsePeopleFilters(input)).to.deep.include(expected));
    }

    it('round-trips through filtersToParams', () => {
      const input = { q: 'wp müller', skill: ['SEO', 'WordPress'], match: 'any', level: '2', city: 'Köln', kind: 'volunteer', language: 'German',
        availability: 'available', tag: 'web', org: '3', project_kind: 'mixed', active: '5', dnc: '1', page: '7', sort: 'name' };
      const f = parsePeopleFilters(input);
      const params = new URLSearchParams(filtersToParams(f));
      const back = parsePeopleFilters({ ...Object.fromEntries(params), skill: params.getAll('skill') });
      expect(back).to.deep.equal(f);
      expect(filtersToParams(parsePeopleFilters({}))).to.equal('');
      expect(filtersToParams(f, { page: null })).to.not.contain('page=');
    });
  });

  describe('small helpers', () => {
    it('dateNumber and yearsAgo', () => {
      expect(dateNumber('2026-11-27')).to.equal(20261127);
      expect(dateNumber('2026-11-27T10:00:00Z')).to.equal(20261127);
      expect(dateNumber(null)).to.equal(0);
      expect(dateNumber('junk')).to.equal(0);
      expect(yearsAgo(2, new Date('2026-11-27T12:00:00Z'))).to.equal(20241127);
    });

    it('languageItems splits free text and folds the key', () => {
      expect(languageItems('Deutsch, English / Türkisch und Français')).to.deep.equal([
        { norm: 'deutsch', label: 'Deutsch' }, { norm: 'english', label: 'English' }, { norm: 'turkisch', label: 'Türkisch' }, { norm: 'francais', label: 'Français' },
      ]);
      expect(languageItems('German; german')).to.have.length(1);
      expect(languageItems(null)).to.deep.equal([]);
    });
  });

  describe('saved searches', () => {
    const cases: [string, string][] = [
      ['?q=x&page=3&junk=1', 'q=x'],
      ['skill=SEO&skill=WordPress&match=any', 'skill=SEO&skill=WordPress&match=any'],
      ['sort=relevance&level=1', ''],
      ['city=K%C3%B6ln', 'city=K%C3%B6ln'],
      ['javascript:alert(1)', ''],
    ];
    for (const [raw, expected] of cases) it(`canonical query of ${raw}`, () => expect(canonicalQuery(raw)).to.equal(expected));

    it('needs a name', () => {
      expect(validateSavedSearch({ name: ' ', query: 'q=x' })).to.deep.equal({ ok: false, errors: { name: 'searches.nameRequired' } });
      expect(validateSavedSearch({ name: 'x'.repeat(121), query: '' }).ok).to.equal(false);
      expect(validateSavedSearch({ name: 'Berlin SEO', query: 'city=Berlin&skill=SEO' })).to.deep.equal({ ok: true, value: { name: 'Berlin SEO', query: 'skill=SEO&city=Berlin' } });
    });
  });
});
