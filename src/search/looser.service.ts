// When a search finds nobody: the nearest looser searches with how many each finds: any instead of all skills,
// each filter left out (also those read from the search box), a similar skill name for an unknown one.
import type { Knex } from 'knex';
import type { Translate } from '../i18n/i18n.js';
import { editDistance, phraseKey, queryWithout, type Interpretation } from './interpret.domain.js';
import { parsePeopleFilters, type ParamOverrides, type PeopleFilters } from './search.domain.js';
import type { PeopleResult } from './rows.queries.js';
import { activeFilters, peopleUrl } from './view.domain.js';
import { skillNames } from './vocabulary.queries.js';

export interface LooserSearch {
  label: string;
  href: string;
  count: number;
}

const MAX_SHOWN = 5;

/** The filters behind a /people link's parameters. */
export function filtersFromParams(qs: string): PeopleFilters {
  const params = new URLSearchParams(qs);
  const input: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) input[key] = params.getAll(key);
  return parsePeopleFilters(input);
}

/** The closest skill name to a typed word, when it is close (one edit per four letters, at most two). */
export function nearestName(typed: string, names: string[]): string | null {
  const key = phraseKey(typed);
  if (key.length < 3) return null;
  const max = Math.min(2, Math.max(1, Math.floor(key.length / 4)));
  let best: { name: string; d: number } | null = null;
  for (const name of names) {
    const d = editDistance(key, phraseKey(name), max);
    if (d > 0 && d <= max && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** Looser searches for a search that found nobody, best first; `count` runs a search and gives its total. */
export async function looserSearches(db: Knex, f: PeopleFilters, result: PeopleResult, t: Translate, locale: string,
  count: (f: PeopleFilters) => Promise<number>): Promise<LooserSearch[]> {
  const candidates: { label: string; href: string }[] = [];
  const add = (label: string, overrides: ParamOverrides) => candidates.push({ label, href: peopleUrl(f, overrides) });
  const read = result.interpretation;
  const skillCount = result.skills.length + result.unknownSkills.length;
  if (f.match === 'all' && skillCount > 1) add(t('search.looser.any'), { match: 'any' });
  // Each filter left out: the chips' links are exactly that (a chip read from the box drops its words).
  for (const chip of activeFilters(f, result, t, locale)) candidates.push({ label: t('search.looser.without', { name: chip.label }), href: chip.href });
  const names = await skillNames(db, locale);
  for (const typed of result.unknownSkills) {
    const near = nearestName(typed, names);
    if (near) add(t('search.looser.similar', { name: near, typed }), { skill: f.skills.map((s) => (s === typed ? near : s)) });
  }
  // A word of the box that is nearly a skill's name ("Wordpres"): the search with that skill instead.
  read?.tokens.forEach((token, k) => {
    if (token.quoted || read.items.some((i) => k >= i.start && k < i.end)) return;
    const near = nearestName(token.text, names);
    if (near) add(t('search.looser.similar', { name: near, typed: token.text }), { q: `${withoutToken(read, k)} ${near}`.trim() });
  });
  const out: LooserSearch[] = [];
  for (const c of candidates.slice(0, 10)) {
    const n = await count(filtersFromParams(c.href.split('?')[1] ?? ''));
    if (n > 0) out.push({ ...c, count: n });
  }
  return out.sort((a, b) => b.count - a.count).slice(0, MAX_SHOWN);
}

function withoutToken(read: Interpretation, k: number): string {
  return queryWithout(read, { kind: 'skill', value: '', label: '', phrase: '', start: k, end: k + 1 });
}
