// The whole-network scan: block people by their keys, compare only within a block, group the pairs found.
// Keys are hashed into one sorted Float64Array (hash and position packed into 53 bits), so a million people
// cost tens of megabytes for blocking instead of a Map of millions of strings.
import { blockingKeys, compare, evidence, LIKELY, scoreOf, type Features, type Match } from './score.domain.js';

/** Blocks bigger than this (a very common name) are not compared as a whole; the name-within-city key still is. */
export const MAX_BLOCK = 200;
const POSITION_BITS = 2 ** 22; // up to 4,194,304 people per scan

export interface Pair extends Match {
  a: number;
  b: number;
}

export interface ScanResult {
  pairs: Pair[];
  /** ids connected by pairs, biggest group first (three records of one person form one group) */
  groups: number[][];
  compared: number;
  skippedBlocks: number;
}

export interface ScanOptions {
  threshold?: number;
  /** pairs "not the same person": `${low}-${high}` ids */
  dismissed?: ReadonlySet<string>;
}

/** 31-bit FNV-1a: collisions only merge blocks (more comparisons), never lose a pair. */
function hash31(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Finds likely duplicates among these people, comparing each pair once, within shared blocks only. */
export function scanForDuplicates(people: Features[], opts: ScanOptions = {}): ScanResult {
  if (people.length >= POSITION_BITS) throw new Error(`a scan handles up to ${POSITION_BITS - 1} people at once`);
  const threshold = opts.threshold ?? LIKELY;
  const dismissed = opts.dismissed && opts.dismissed.size ? opts.dismissed : null;
  const keyHashes: Uint32Array[] = new Array(people.length);
  let total = 0;
  for (let i = 0; i < people.length; i++) {
    const hs = new Uint32Array(new Set(blockingKeys(people[i]!).map(hash31)));
    keyHashes[i] = hs;
    total += hs.length;
  }
  const packed = new Float64Array(total);
  let n = 0;
  for (let i = 0; i < people.length; i++) for (const h of keyHashes[i]!) packed[n++] = h * POSITION_BITS + i;
  packed.sort();
  const blockEnd = (start: number, h: number) => {
    let end = start + 1;
    while (end < n && Math.floor(packed[end]! / POSITION_BITS) === h) end++;
    return end;
  };
  const oversized = new Set<number>();
  for (let start = 0; start < n;) {
    const h = Math.floor(packed[start]! / POSITION_BITS);
    const end = blockEnd(start, h);
    if (end - start > MAX_BLOCK) oversized.add(h);
    start = end;
  }
  const pairs: Pair[] = [];
  let compared = 0;
  for (let start = 0; start < n;) {
    const h = Math.floor(packed[start]! / POSITION_BITS);
    const end = blockEnd(start, h);
    if (end - start > 1 && !oversized.has(h)) {
      for (let x = start; x < end; x++) {
        const i = packed[x]! - h * POSITION_BITS;
        for (let y = x + 1; y < end; y++) {
          const j = packed[y]! - h * POSITION_BITS;
          // a pair sharing several keys is compared in the block of its smallest shared key only
          if (smallestShared(keyHashes[i]!, keyHashes[j]!, oversized) !== h) continue;
          const a = people[i]!;
          const b = people[j]!;
          if (dismissed && dismissed.has(pairKey(a.id, b.id))) continue;
          compared++;
          if (scoreOf(evidence(a, b)) < threshold) continue;
          pairs.push({ a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), ...compare(a, b) });
        }
      }
    }
    start = end;
  }
  const kept = keepClosestLinks(pairs, people);
  kept.sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  return { pairs: kept, groups: groupPairs(kept), compared, skippedBlocks: oversized.size };
}

/**
 * A record that fits two people who are clearly different from each other (different e-mails or phones) is one of
 * them at most: its weaker links to such people go when they rest on names and places only (not on an e-mail or
 * phone), so father and son do not end up in one group with a bare record that is one of them. Equal scores stay:
 * then a person decides.
 */
const STRONG = new Set(['sameEmail', 'emailAlike', 'samePhone']);

function keepClosestLinks(pairs: Pair[], people: Features[]): Pair[] {
  const links = new Map<number, Pair[]>();
  for (const p of pairs) for (const id of [p.a, p.b]) links.set(id, [...(links.get(id) ?? []), p]);
  const byId = new Map<number, Features>();
  for (const f of people) if (links.has(f.id)) byId.set(f.id, f);
  const linked = new Set(pairs.map((p) => pairKey(p.a, p.b)));
  const drop = new Set<Pair>();
  for (const [id, list] of links) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((p, q) => q.score - p.score);
    const best = sorted[0]!;
    const bestOther = best.a === id ? best.b : best.a;
    for (const weaker of sorted.slice(1)) {
      if (weaker.score >= best.score || weaker.reasons.some((r) => STRONG.has(r.key))) continue;
      const other = weaker.a === id ? weaker.b : weaker.a;
      if (linked.has(pairKey(bestOther, other))) continue;
      const between = compare(byId.get(bestOther)!, byId.get(other)!);
      if (between.reasons.some((r) => r.key === 'differentEmails' || r.key === 'differentPhones')) drop.add(weaker);
    }
  }
  return pairs.filter((p) => !drop.has(p));
}

function smallestShared(x: Uint32Array, y: Uint32Array, skip: ReadonlySet<number>): number {
  let best = -1;
  for (const h of x) if ((best < 0 || h < best) && y.includes(h) && !skip.has(h)) best = h;
  return best;
}

/** Connected groups of ids (union-find), biggest first, each sorted. */
export function groupPairs(pairs: { a: number; b: number }[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    groups.set(r, [...(groups.get(r) ?? []), id]);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((g, h) => h.length - g.length || g[0]! - h[0]!);
}

/** The likely duplicates of one (new or edited) person among candidates found by its keys, best first. */
export function duplicatesOf(person: Features, candidates: Features[], threshold = LIKELY): Pair[] {
  const out: Pair[] = [];
  for (const c of candidates) {
    if (c.id === person.id) continue;
    const m = compare(person, c);
    if (m.score >= threshold) out.push({ a: person.id, b: c.id, ...m });
  }
  return out.sort((p, q) => q.score - p.score || p.b - q.b);
}
