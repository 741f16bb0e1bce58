// The last 32 questions' matching sets and facet counts per database, at the snapshot's version: paging,
// re-sorting and going back to a result skip straight to the page. Any write moves the version on (triggers and
// reindexPeople log to search_changes), so a cached result is never stale. Used by both dialects' searches.
import type { Knex } from 'knex';
import { facetCounts, matchingIds, type EngineQuery, type Facets } from './engine.domain.js';
import { sortedSlice } from './order.domain.js';
import type { Snapshot } from './snapshot.domain.js';

interface CachedResult {
  hits: Int32Array;
  facets: Facets;
}

const RESULT_CACHE_SIZE = 32;
const resultCaches = new WeakMap<Knex, Map<string, CachedResult>>();

/** The cache key of a question: everything but the order and the page. */
export function resultKey(snapshot: Snapshot, query: EngineQuery, text: string | null): string {
  const { textIds: _t, words: _w, textSkillIds: _k, sort: _s, page: _p, pageSize: _z, ...rest } = query;
  return JSON.stringify({ v: snapshot.version, text, ...rest });
}

/** Is this question's result cached (then no text matching is needed)? */
export function hasCachedResult(db: Knex, snapshot: Snapshot, query: EngineQuery, text: string | null): boolean {
  return snapshot.trusted && !!resultCaches.get(db)?.has(resultKey(snapshot, query, text));
}

/** cachedSearch with the text matching supplied by the caller (PostgreSQL reads it before, asynchronously). */
export function cachedSearchWith(db: Knex, snapshot: Snapshot, query: EngineQuery, text: string | null, withText: (q: EngineQuery) => EngineQuery) {
  const key = resultKey(snapshot, query, text);
  let cache = resultCaches.get(db);
  if (!cache) resultCaches.set(db, (cache = new Map()));
  let hit = snapshot.trusted ? cache.get(key) : undefined;
  if (hit) {
    cache.delete(key);
  } else {
    const full = withText(query);
    const { hits, dncHidden } = matchingIds(snapshot, full);
    hit = { hits, facets: facetCounts(snapshot, full, hits, dncHidden) };
    if (cache.size >= RESULT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, hit);
  const total = hit.hits.length;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  return { total, page, pages, ids: sortedSlice(snapshot, query, hit.hits, (page - 1) * query.pageSize, query.pageSize), facets: hit.facets };
}

/** Drops a database's cached results (with its snapshot). */
export function forgetResults(db: Knex): void {
  resultCaches.delete(db);
}
