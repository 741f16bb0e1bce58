import { expect } from 'chai';
import {
  addNames, applyInterpretation, editDistance, interpretQuery, queryAsText, queryWithout, tokenizeQuery, vocabularyOf, type VocabularyEntry,
} from '../../src/search/interpret.domain.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { KIND_WORDS } from '../../src/search/interpret.words.domain.js';

function vocab() {
  const skills = new Map<string, VocabularyEntry>();
  const cities = new Map<string, VocabularyEntry>();
  const tags = new Map<string, VocabularyEntry>();
  const languages = new Map<string, VocabularyEntry>();
  const kinds = new Map<string, VocabularyEntry>();
  const skill = (id: number, ...names: string[]) => names.map((name) => ({ name, value: String(id), label: names[0]! }));
  let most = addNames(skills, 'skill', [
    ...skill(1, 'WordPress', 'WP'), ...skill(2, 'SEO', 'Suchmaschinenoptimierung', 'Search engine optimisation'),
    ...skill(3, 'Social Media', 'Soziale Medien'), ...skill(4, 'Essen ausgeben'), ...skill(5, 'Node.js'),
  ]);
  most = Math.max(most, addNames(cities, 'city', ['Berlin', 'Essen', 'Frankfurt am Main', 'Halle (Saale)', 'München'].map((c) => ({ name: c, value: c.toLowerCase(), label: c }))));
  addNames(tags, 'tag', [{ name: 'Mentor', value: 'Mentor', label: '#Mentor' }, { name: 'Berlin', value: 'Berlin', label: '#Berlin' }]);
  addNames(languages, 'language', ['German', 'Deutsch', 'Turkish'].map((l) => ({ name: l, value: l, label: l })));
  for (const [k, words] of Object.entries(KIND_WORDS)) addNames(kinds, 'kind', words.map((w) => ({ name: w, value: k, label: k })));
  return vocabularyOf([skills, cities, tags, languages, kinds], most);
}

describe('the search box read as filters', () => {
  const v = vocab();
  const cases: [string, string, string[], string][] = [
    // [what, typed, items as kind:value, remaining text]
    ['two skills and a city', 'WordPress SEO Berlin', ['skill:1', 'skill:2', 'city:berlin'], ''],
    ['any letter case', 'wordpress seo BERLIN', ['skill:1', 'skill:2', 'city:berlin'], ''],
    ['an alias', 'WP', ['skill:1'], ''],
    ['a German name', 'suchmaschinenoptimierung', ['skill:2'], ''],
    ['a skill with spaces', 'social media Berlin', ['skill:3', 'city:berlin'], ''],
    ['a German skill with spaces', 'Soziale Medien', ['skill:3'], ''],
    ['a multi-word alias', 'search engine optimisation', ['skill:2'], ''],
    ['punctuation in a name', 'node.js', ['skill:5'], ''],
    ['a city that is also a skill word: alone it is the city', 'Essen', ['city:essen'], ''],
    ['a city that is also a skill word: the longer skill wins', 'Essen ausgeben', ['skill:4'], ''],
    ['the skill phrase, then the city', 'Essen ausgeben Essen', ['skill:4', 'city:essen'], ''],
    ['a city of several words', 'frankfurt am main', ['city:frankfurt am main'], ''],
    ['a city with brackets', 'Halle Saale', ['city:halle (saale)'], ''],
    ['accents folded', 'munchen', ['city:münchen'], ''],
    ['a second city stays text', 'Berlin Essen', ['city:berlin'], 'Essen'],
    ['the same name as city and tag: city first, then tag', 'Berlin Berlin', ['city:berlin', 'tag:Berlin'], ''],
    ['a tag', 'mentor', ['tag:Mentor'], ''],
    ['a language, English or German', 'Deutsch', ['language:Deutsch'], ''],
    ['a kind, German plural', 'Ehrenamtliche', ['kind:volunteer'], ''],
    ['a kind, English plural', 'freelancers', ['kind:freelancer'], ''],
    ['words that are neither stay text', 'Müller website', [], 'Müller website'],
    ['mixed: the rest stays text', 'Müller WordPress', ['skill:1'], 'Müller'],
    ['filler words between filters are dropped', 'WordPress in Berlin', ['skill:1', 'city:berlin'], ''],
    ['filler words alone are text', 'in and', [], 'in and'],
    ['a quoted word is text', '"Berlin" WordPress', ['skill:1'], '"Berlin"'],
    ['a quoted phrase is text', '"social media" Berlin', ['city:berlin'], '"social media"'],
    ['part of a name is not the name', 'social', [], 'social'],
    ['the same skill twice counts once', 'WP WordPress', ['skill:1'], 'WordPress'],
    ['commas separate', 'WordPress, SEO;Berlin', ['skill:1', 'skill:2', 'city:berlin'], ''],
    ['empty', '   ', [], ''],
  ];
  for (const [what, typed, items, text] of cases) {
    it(what, () => {
      const r = interpretQuery(v, typed);
      expect(r.items.map((i) => `${i.kind}:${i.value}`)).to.deep.equal(items);
      expect(r.text).to.equal(text);
    });
  }

  it('a filter set in the form is not taken from the words again (skills add up)', () => {
    const r = interpretQuery(v, 'Berlin WordPress', { city: true, tag: true });
    expect(r.items.map((i) => i.kind)).to.deep.equal(['skill']);
    expect(r.text).to.equal('Berlin');
  });

  it('removing a chip drops its words; "as text" quotes them', () => {
    const r = interpretQuery(v, 'Müller social media Berlin');
    const social = r.items.find((i) => i.kind === 'skill')!;
    expect(social.phrase).to.equal('social media');
    expect(queryWithout(r, social)).to.equal('Müller Berlin');
    const asText = queryAsText(r, social);
    expect(asText).to.equal('Müller "social media" Berlin');
    const again = interpretQuery(v, asText);
    expect(again.items.map((i) => i.kind)).to.deep.equal(['city']);
    expect(again.text).to.equal('Müller "social media"');
  });

  it('the filters a search runs with', () => {
    const f = parsePeopleFilters({ q: 'WordPress SEO Berlin freelancer Mentor Müller', skill: 'Newsletter' });
    const out = applyInterpretation(f, interpretQuery(v, f.q));
    expect(out).to.include({ q: 'Müller', city: 'berlin', kind: 'freelancer', tag: 'Mentor' });
    expect(out.skills).to.deep.equal(['Newsletter', '1', '2']);
    expect(applyInterpretation(f, interpretQuery(v, 'Müller'))).to.equal(f);
  });

  it('tokens keep what was typed; an unclosed quote runs to the end', () => {
    expect(tokenizeQuery('a "b c').map((t) => [t.text, t.quoted])).to.deep.equal([['a', false], ['b c', true]]);
  });

  it('edit distance, capped', () => {
    expect(editDistance('wordpres', 'wordpress')).to.equal(1);
    expect(editDistance('seo', 'seo')).to.equal(0);
    expect(editDistance('photography', 'seo')).to.equal(4);
  });
});
