// The last 32 questions' matching sets and facet counts per database, at the snapshot's version: paging,
// re-sorting and going back to a result skip straight to the page. Any write moves the version on (triggers and
// reindexPeople log to search_changes), so a cached result is never stale. Used by both dialects' searches.
// A result whose order is costly (relevance scores, or a sort of many hits by their ranks: ~20 ms for 23,000 hits
// at 1,000,000 people, all cache misses) keeps that whole order too, per sort, once it is asked again or paged.
import type { Knex } from 'knex';
import { facetCounts, matchingIds, type EngineQuery, type Facets } from './engine.domain.js';
import { sortedSlice } from './order.domain.js';
import type { Snapshot } from './snapshot.domain.js';

interface CachedResult {
  hits: Int32Array;
  facets: Facets;
  /** every hit in order, per orderKey: built when a page of that order is asked again, or a later page (worthOrdering) */
  orders: Map<string, Int32Array>;
  /** the orderKeys whose first page was sorted alone: asked once */
  firstPages: Set<string>;
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
    hit = { hits, facets: facetCounts(snapshot, full, hits, dncHidden), orders: new Map(), firstPages: new Set() };
    if (cache.size >= RESULT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, hit);
  const total = hit.hits.length;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  return { total, page, pages, ids: pageOf(snapshot, query, hit, (page - 1) * query.pageSize), facets: hit.facets };
}

/** Everything the order of a result depends on beyond its key: the sort and, for relevance, the words and skills named. */
function orderKey(q: EngineQuery): string {
  return q.sort === 'relevance' ? JSON.stringify([q.sort, q.words, q.textSkillIds]) : q.sort;
}

/**
 * A result keeps its order from `from` hits on (below, a page is sorted in well under a millisecond) up to `upTo`
 * hits (4 bytes each held: the 32 results hold at most 32 MB of orders); sorted other than by relevance, only
 * while the hits are at most 1/`share` of everyone. Tests lower `from` and `share`.
 */
export const resultOrders = { from: 2000, upTo: 262_144, share: 8 };

/**
 * Is the order of these hits worth keeping? Relevance with words or skills scores every hit; any other sort of a
 * small share of everyone sorts the hits' ranks. Not kept when the result is not cached (untrusted snapshot). A large share in a precomputed order is walked, which stops
 * once the page is full: cheap for the first pages, and not worth 4 bytes a hit.
 */
function worthOrdering(s: Snapshot, q: EngineQuery, hits: Int32Array): boolean {
  if (!s.trusted || hits.length < resultOrders.from || hits.length > resultOrders.upTo || q.pageSize === Infinity) return false;
  const scored = q.sort === 'relevance' && (q.words.length > 0 || q.skillIds.length > 0 || q.textSkillIds.length > 0);
  return scored || hits.length * resultOrders.share <= s.size;
}

/** The page of a cached result from `from`: sliced from its kept order, or sorted for this page alone. */
function pageOf(s: Snapshot, q: EngineQuery, hit: CachedResult, from: number): Int32Array {
  if (!worthOrdering(s, q, hit.hits)) return sortedSlice(s, q, hit.hits, from, q.pageSize);
  const key = orderKey(q);
  let order = hit.orders.get(key);
  if (!order) {
    // A question asked for the first time shows its first page: that page is sorted alone (a bounded heap), and the
    // whole order only when the question comes back or pages on (at 1,000,000 people the whole order of 23,000
    // hits was a fifth of a first ask that most people never page through).
    if (from === 0 && !hit.firstPages.has(key)) {
      hit.firstPages.add(key);
      return sortedSlice(s, q, hit.hits, 0, q.pageSize);
    }
    hit.orders.set(key, (order = sortedSlice(s, q, hit.hits, 0, hit.hits.length)));
  }
  return order.slice(from, from + q.pageSize);
}

/** Drops a database's cached results (with its snapshot). */
export function forgetResults(db: Knex): void {
  resultCaches.delete(db);
}
