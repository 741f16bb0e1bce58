// Saved searches: a name and the /people query string, stored in its canonical form (defaults and page left out).
import { filtersToParams, parsePeopleFilters } from '../search/search.domain.js';
import { Validator, type Result } from '../shared/validate.js';

export const SAVED_SEARCH_NAME_MAX = 120;
export const SAVED_SEARCH_QUERY_MAX = 4000;

export interface SavedSearchInput {
  name: string;
  query: string;
}

/** "?q=x&page=3&junk=1" → "q=x": only what /people understands, in a stable order. */
export function canonicalQuery(raw: string): string {
  const params = new URLSearchParams(raw.replace(/^[?]/, '').slice(0, SAVED_SEARCH_QUERY_MAX));
  const input: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    input[key] = all.length > 1 ? all : all[0]!;
  }
  return filtersToParams(parsePeopleFilters(input), { page: null });
}

export function validateSavedSearch(body: Record<string, unknown>): Result<SavedSearchInput> {
  const v = new Validator(body);
  const name = v.text('name', { max: SAVED_SEARCH_NAME_MAX });
  if (!name) v.fail('name', 'searches.nameRequired');
  const query = canonicalQuery(v.raw('query'));
  return v.result({ name: name ?? '', query });
}
