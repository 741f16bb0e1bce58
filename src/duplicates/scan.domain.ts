// The whole-network scan: block people by their keys, compare only within a block, group the pairs found.
// Blocking lives in compact typed arrays (blocks.domain.ts); full normal forms are needed only for the people
// who share a comparable block with somebody.
import { Blocks, KeyCounts, MAX_BLOCK } from './blocks.domain.js';
import { blockingKeys, compare, evidence, LIKELY, namesakeKey, scoreBound, scoreOf, type Features, type Match } from './score.domain.js';

export { MAX_BLOCK };

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
  /** people whose full normal forms were needed (they share a comparable block with somebody) */
  read: number;
}

export interface ScanOptions {
  threshold?: number;
  /** pairs "not the same person": `${low}-${high}` ids */
  dismissed?: ReadonlySet<string>;
  /** called once every pair has been compared: the caller may drop its people's normal forms before the grouping */
  compared?: () => void;
}

export const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Finds likely duplicates among these people, comparing each pair once, within shared blocks only. */
export function scanForDuplicates(people: Features[], opts: ScanOptions = {}): ScanResult {
  const blocks = new Blocks();
  const names = new KeyCounts();
  for (const f of people) {
    blocks.add(f.id, blockingKeys(f));
    const k = namesakeKey(f);
    if (k) names.add(k);
  }
  blocks.seal();
  names.seal();
  for (const f of people) countNamesakes(f, names);
  return scanBlocks(blocks, (i) => people[i], opts);
}

/** Sets how many people have this person's name in their city (from the counts of the whole network). */
export function countNamesakes(f: Features, names: KeyCounts): void {
  const k = namesakeKey(f);
  if (k) f.namesakes = Math.max(1, names.count(k));
}

/** Sets how many of these people (and the person) have the person's name in their city: the form's check. */
export function countNamesakesAmong(person: Features, candidates: Features[]): void {
  const k = namesakeKey(person);
  if (!k) return;
  const same = candidates.filter((c) => c.id !== person.id && namesakeKey(c) === k);
  person.namesakes = same.length + 1;
  for (const c of same) c.namesakes = person.namesakes;
}

/**
 * The pairs of a sealed set of blocks; `person(i)` gives the normal forms of the person at position i (asked only
 * for positions in `blocks.needed`).
 */
export function scanBlocks(blocks: Blocks, person: (i: number) => Features | undefined, opts: ScanOptions = {}): ScanResult {
  const threshold = opts.threshold ?? LIKELY;
  const dismissed = opts.dismissed && opts.dismissed.size ? opts.dismissed : null;
  const pairs: Pair[] = [];
  /** positions of each pair's a and b; how many pairs each position is in (saturating) */
  const at: number[] = [];
  const degree = new Uint8Array(blocks.size);
  let compared = 0;
  blocks.forEachPair((i, j) => {
    const a = person(i);
    const b = person(j);
    if (!a || !b) return; // gone between reading the keys and the people
    if (dismissed && dismissed.has(pairKey(a.id, b.id))) return;
    compared++;
    if (scoreBound(a, b) < threshold || scoreOf(evidence(a, b)) < threshold) return;
    pairs.push({ a: Math.min(a.id, b.id), b: Math.max(a.id, b.id), ...compare(a, b) });
    if (a.id < b.id) at.push(i, j);
    else at.push(j, i);
    if (degree[i]! < 2) degree[i]!++;
    if (degree[j]! < 2) degree[j]!++;
  });
  // keepClosestLinks compares the neighbours of people in two or more pairs: only their normal forms are kept
  const linked = new Map<number, Features>();
  const multi = new Set<number>();
  for (let k = 0; k < pairs.length; k++) {
    const i = at[2 * k]!;
    const j = at[2 * k + 1]!;
    if (degree[i] === 2) linked.set(pairs[k]!.b, person(j)!), multi.add(pairs[k]!.a);
    if (degree[j] === 2) linked.set(pairs[k]!.a, person(i)!), multi.add(pairs[k]!.b);
  }
  at.length = 0;
  opts.compared?.();
  const kept = keepClosestLinks(pairs, linked, multi);
  kept.sort((p, q) => q.score - p.score || p.a - q.a || p.b - q.b);
  let read = 0;
  for (const x of blocks.needed) read += x;
  return { pairs: kept, groups: groupPairs(kept), compared, skippedBlocks: blocks.oversized.size, read };
}

/**
 * A record that fits two people who are clearly different from each other (different e-mails or phones) is one of
 * them at most: its weaker links to such people go when they rest on names and places only (not on an e-mail or
 * phone), so father and son do not end up in one group with a bare record that is one of them. Equal scores stay:
 * then a person decides.
 */
const STRONG = new Set(['sameEmail', 'emailAlike', 'samePhone']);

function keepClosestLinks(pairs: Pair[], byId: ReadonlyMap<number, Features>, multi: ReadonlySet<number>): Pair[] {
  // the pairs of each person in two or more pairs (nobody else has a weaker link to drop)
  const links = new Map<number, Pair[]>();
  const add = (id: number, p: Pair) => {
    if (!multi.has(id)) return;
    const list = links.get(id);
    if (list) list.push(p);
    else links.set(id, [p]);
  };
  for (const p of pairs) {
    add(p.a, p);
    add(p.b, p);
  }
  // x and y paired: then x is in two or more pairs (with y and the person asking), so its list says
  const paired = (x: number, y: number) => {
    for (const p of links.get(x) ?? []) if (p.a === y || p.b === y) return true;
    return false;
  };
  const drop = new Set<Pair>();
  for (const [id, list] of links) {
    list.sort((p, q) => q.score - p.score);
    const best = list[0]!;
    const bestOther = best.a === id ? best.b : best.a;
    for (let k = 1; k < list.length; k++) {
      const weaker = list[k]!;
      if (weaker.score >= best.score || weaker.reasons.some((r) => STRONG.has(r.key))) continue;
      const other = weaker.a === id ? weaker.b : weaker.a;
      if (paired(bestOther, other)) continue;
      const between = compare(byId.get(bestOther)!, byId.get(other)!);
      if (between.reasons.some((r) => r.key === 'differentEmails' || r.key === 'differentPhones')) drop.add(weaker);
    }
  }
  return drop.size ? pairs.filter((p) => !drop.has(p)) : pairs;
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
    const g = groups.get(r);
    if (g) g.push(id);
    else groups.set(r, [id]);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((g, h) => h.length - g.length || g[0]! - h[0]!);
}

/** The likely duplicates of one (new or edited) person among candidates found by its keys, best first. */
export function duplicatesOf(person: Features, candidates: Features[], threshold = LIKELY): Pair[] {
  countNamesakesAmong(person, candidates);
  const out: Pair[] = [];
  for (const c of candidates) {
    if (c.id === person.id) continue;
    // the reasons (with their values) only for the candidates that are listed
    if (scoreBound(person, c) < threshold || scoreOf(evidence(person, c)) < threshold) continue;
    out.push({ a: person.id, b: c.id, ...compare(person, c) });
  }
  return out.sort((p, q) => q.score - p.score || p.b - q.b);
}
