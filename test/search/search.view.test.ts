import { expect } from 'chai';
import { activeFilters, facetGroups, peopleUrl } from '../../src/search/view.domain.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import type { PeopleFacets } from '../../src/search/rows.queries.js';
import { makeTranslator } from '../../src/i18n/i18n.js';
import { catalog } from '../../src/i18n/catalog.js';
import '../../src/features.js'; // the features register their messages

const t = makeTranslator(catalog, 'en');
const none: PeopleFacets = { city: [], kind: [], availability: [], language: [], skill: [], level: [], tag: [], org: [], project_kind: [], active: [], dncHidden: 0 };

describe('search view helpers', () => {
  it('facet links narrow the current search and drop the page', () => {
    const f = parsePeopleFilters({ q: 'web', skill: 'SEO', match: 'any', page: '4' });
    const groups = facetGroups(f, {
      ...none,
      skill: [{ value: 'WordPress', label: 'WordPress', count: 3 }],
      city: [{ value: 'Köln', label: 'Köln', count: 2 }],
      kind: [{ value: 'freelancer', label: 'freelancer', count: 1 }],
      level: [{ value: '3', label: '3', count: 1 }],
      project_kind: [{ value: 'consulting', label: 'consulting', count: 1 }],
      active: [{ value: '2', label: '2', count: 1 }],
    }, t);
    const byParam = Object.fromEntries(groups.map((g) => [g.param, g.options[0]!]));
    expect(groups.map((g) => g.param)).to.deep.equal(['skill', 'level', 'city', 'kind', 'project_kind', 'active']);
    // a second skill: all of them (with one skill chosen, "any" would widen the result)
    expect(byParam.skill!.href).to.equal('/people?q=web&skill=SEO&skill=WordPress');
    expect(byParam.city!.href).to.equal('/people?q=web&skill=SEO&city=K%C3%B6ln');
    expect(byParam.kind!.label).to.equal('Freelancer');
    expect(byParam.level!.label).to.equal('at least Advanced');
    expect(byParam.project_kind!.label).to.equal('Consulting');
    expect(byParam.active!.label).to.equal('the last 2 years');
  });

  it('each active filter has a link without it', () => {
    const f = parsePeopleFilters({ q: 'x', skill: ['A', 'B'], level: '2', city: 'Jena', tag: 'web', org: '7', dnc: '1', sort: 'name' });
    const chips = activeFilters(f, { orgName: 'Tafel' }, t);
    expect(chips.map((c) => c.label)).to.deep.equal(['“x”', 'A', 'B', 'at least Intermediate', 'Jena', '#web', 'Worked with: Tafel', 'Include people marked do-not-contact']);
    expect(chips[1]!.href).to.equal('/people?q=x&skill=B&level=2&city=Jena&tag=web&org=7&dnc=1&sort=name');
    expect(chips[0]!.href).to.not.contain('q=');
  });

  it('peopleUrl leaves out defaults', () => {
    expect(peopleUrl(parsePeopleFilters({}))).to.equal('/people');
    expect(peopleUrl(parsePeopleFilters({ page: '3' }))).to.equal('/people');
  });
});
