// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the time went, by package or file, and the top
// functions by self and by inclusive time. Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

/** node_modules/<package> or the path inside the repository, so time adds up per library or module. */
export function placeOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  // the compiled CLI (bin/compile.js) runs from node_modules/.cache/skillnet/…/src/…: named as its source file
  const nm = url.includes('/node_modules/.cache/skillnet/') ? null : /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  const repo = /\/(src|bench|seeds|views|migrations)\/(.*)$/.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url.replace(/^file:\/\//, '');
}

export function summarise(p: Profile, top = 15): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = p.samples.length;
  const self = new Map<number, number>();
  for (const s of p.samples) self.set(s, (self.get(s) ?? 0) + 1);
  const inclusive = new Map<number, number>();
  const walk = (id: number): number => {
    const n = byId.get(id)!;
    let sum = self.get(id) ?? 0;
    for (const c of n.children ?? []) sum += walk(c);
    inclusive.set(id, sum);
    return sum;
  };
  walk(p.nodes[0]!.id);
  const bySelfPlace = new Map<string, number>();
  const byFnSelf = new Map<string, number>();
  const byFnIncl = new Map<string, number>();
  // inclusive per function, counted once per stack (recursion does not double count)
  const visit = (id: number, onStack: Set<string>) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${placeOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const s = self.get(id) ?? 0;
    bySelfPlace.set(placeOf(n.callFrame.url), (bySelfPlace.get(placeOf(n.callFrame.url)) ?? 0) + s);
    byFnSelf.set(key, (byFnSelf.get(key) ?? 0) + s);
    const fresh = !onStack.has(key);
    if (fresh) {
      byFnIncl.set(key, (byFnIncl.get(key) ?? 0) + inclusive.get(id)!);
      onStack.add(key);
    }
    for (const c of n.children ?? []) visit(c, onStack);
    if (fresh) onStack.delete(key);
  };
  visit(p.nodes[0]!.id, new Set());
  const pct = (x: number) => `${((100 * x) / total).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${pct(v)}  ${k}`).join('\n');
  return [
    `${total} samples over ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s`,
    'self time by package / file:', list(bySelfPlace),
    'top functions, self:', list(byFnSelf),
    'top functions, inclusive:', list(byFnIncl),
  ].join('\n');
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top ?? 15)));
}
