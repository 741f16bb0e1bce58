// What the /people page shows around the result: facet groups with their links and counts, and the active
// filters with a link that removes each. Pure: links are built from the filters alone.
import type { Translate } from '../i18n/i18n.js';
import { filtersToParams, type ParamOverrides, type PeopleFilters } from './search.domain.js';
import type { FacetOption, PeopleFacets, PeopleResult } from './rows.queries.js';
import { queryAsText, queryWithout } from './interpret.domain.js';

export interface FacetLink {
  href: string;
  label: string;
  count: number;
}

export interface FacetGroup {
  /** URL parameter the options set */
  param: string;
  title: string;
  options: FacetLink[];
}

export interface Chip {
  label: string;
  href: string;
  /** for a filter read from the search box: what it was read as, and the link searching the words as text */
  readAs?: string;
  asTextHref?: string;
}

/** The result table's columns: the sort each header sets (when it is one of SORTS) and its title's message key. */
export const RESULT_COLUMNS: readonly [string, string][] = [
  ['name', 'people.name'], ['skills', 'people.skills'], ['city', 'people.city'], ['kind', 'people.kind'],
  ['availability', 'people.availability'], ['recent_engagement', 'search.lastEngagement'],
];

export function peopleUrl(f: PeopleFilters, overrides: ParamOverrides = {}): string {
  const qs = filtersToParams(f, { page: null, ...overrides });
  return qs ? `/people?${qs}` : '/people';
}

function optionLabel(param: string, o: FacetOption, t: Translate): string {
  switch (param) {
    case 'kind': return t(`kinds.${o.value}`);
    case 'availability': return t(`availability.${o.value}`);
    case 'level': return t('search.atLeast', { level: t(`levels.${o.value}`) });
    case 'project_kind': return t(`search.projectKinds.${o.value}`);
    case 'active': return t('search.activeYears', { years: o.value });
    default: return o.label;
  }
}

const ORDER: (keyof Omit<PeopleFacets, 'dncHidden'>)[] = ['skill', 'level', 'city', 'kind', 'availability', 'language', 'tag', 'org', 'project_kind', 'active'];

/** Facet groups in display order; each option links to the current search narrowed by it. */
export function facetGroups(f: PeopleFilters, facets: PeopleFacets, t: Translate): FacetGroup[] {
  return ORDER.map((param) => ({
    param,
    title: t(`search.facet.${param}`),
    options: facets[param].map((o) => {
      // Adding a skill narrows: the link asks for all skills (the skill facet is hidden for "any" with 2+ skills).
      const set: ParamOverrides = param === 'skill' ? { skill: [...f.skills, o.value], match: null } : { [param]: o.value };
      return { href: peopleUrl(f, set), label: optionLabel(param, o, t), count: o.count };
    }),
  })).filter((g) => g.options.length > 0);
}

/** The filters in force, each with a link that removes it. */
export function activeFilters(f: PeopleFilters, r: Pick<PeopleResult, 'orgName' | 'interpretation'>, t: Translate, locale = 'en'): Chip[] {
  const chips: Chip[] = [];
  const add = (label: string, overrides: ParamOverrides) => chips.push({ label, href: peopleUrl(f, overrides) });
  const read = r.interpretation;
  if (read?.items.length) {
    for (const item of read.items) {
      chips.push({
        label: item.kind === 'kind' ? t(`kinds.${item.value}`) : (locale === 'de' && item.labelDe) || item.label,
        href: peopleUrl(f, { q: queryWithout(read, item) || null }),
        readAs: t(`search.readAs.${item.kind}`),
        asTextHref: peopleUrl(f, { q: queryAsText(read, item) }),
      });
    }
    if (read.text) add(`“${read.text}”`, { q: read.items.map((i) => i.phrase).join(' ') });
  } else if (f.q) add(`“${f.q}”`, { q: null });
  for (const s of f.skills) add(s, { skill: f.skills.filter((x) => x !== s) });
  if (f.minLevel > 1) add(t('search.atLeast', { level: t(`levels.${f.minLevel}`) }), { level: null });
  if (f.city) add(f.city, { city: null });
  if (f.kind) add(t(`kinds.${f.kind}`), { kind: null });
  if (f.availability) add(t(`availability.${f.availability}`), { availability: null });
  if (f.language) add(f.language, { language: null });
  if (f.tag) add(`#${f.tag}`, { tag: null });
  if (f.org) add(`${t('search.facet.org')}: ${r.orgName ?? `#${f.org}`}`, { org: null });
  if (f.projectKind) add(t(`search.projectKinds.${f.projectKind}`), { project_kind: null });
  if (f.activeYears) add(`${t('search.facet.active')} ${t('search.activeYears', { years: f.activeYears })}`, { active: null });
  if (f.includeDnc) add(t('search.includeDnc'), { dnc: null });
  if (f.ids.length) add(t('search.chosenPeople', { count: f.ids.length }), { id: null });
  return chips;
}
