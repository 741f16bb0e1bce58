// Two instances on one PostgreSQL database (issue 12): two `skillnet serve` processes share the database (and the
// session secret, as behind a proxy), the same logged-in session is loaded on both at once with the connections
// split between them, against one instance alone with all the connections. In alternating rounds of about 2 s
// (one, two, two, one, …) so a burst of load from elsewhere on the machine hits both alike. Target: two
// instances serve at least 1.6× the pages per second of one.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { PROXY_HEADERS, loginTo, startAppServer } from './servers.js';
import { log, ratio, round, type Server } from './util.js';

export interface InstancePage {
  name: string;
  path: string;
  one_rps: number | null;
  two_rps: number | null;
  ratio: number | null;
  note: string;
}

export interface InstancesFigure {
  pages: InstancePage[];
  /** the worse (lower) of the pages' ratios: two instances ÷ one */
  ratio: number | null;
}

interface Tally {
  ok: number;
  seconds: number;
  bad: string;
}

async function round2(servers: Server[], path: string, connections: number, seconds: number, headers: Record<string, string>, t: Tally): Promise<void> {
  // the connections split between the servers (10 → 5 + 5), all loaded at the same time
  const share = servers.map((_, i) => Math.floor(connections / servers.length) + (i < connections % servers.length ? 1 : 0));
  const results = await Promise.all(servers.map((s, i) => autocannon({ url: s.url + path, connections: Math.max(1, share[i]!), duration: seconds, headers })));
  for (const res of results) {
    if (res.non2xx + res.errors + res.timeouts > 0 || res['2xx'] === 0) t.bad ||= `${res.non2xx} non-2xx, ${res.errors} errors, ${res.timeouts} timeouts`;
    t.ok += res['2xx'];
  }
  t.seconds += Math.max(...results.map((r) => r.duration));
}

export async function instancesFigure(url: string, paths: { name: string; path: string }[], connections: number, duration: number): Promise<InstancesFigure> {
  const secret = randomBytes(24).toString('hex');
  const a = await startAppServer(url, secret);
  let b: Server | null = null;
  const pages: InstancePage[] = [];
  try {
    b = await startAppServer(url, secret);
    const cookie = await loginTo(a);
    const headers = { ...PROXY_HEADERS, cookie };
    for (const p of paths) {
      // both answer the page for the one session (it lives in the database) before the load starts
      for (const s of [a, b]) {
        const res = await fetch(s.url + p.path, { headers, redirect: 'manual' });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${p.path} answers ${res.status} on ${s.url}`);
        for (let i = 0; i < 20; i++) await (await fetch(s.url + p.path, { headers })).arrayBuffer();
      }
      const one: Tally = { ok: 0, seconds: 0, bad: '' };
      const two: Tally = { ok: 0, seconds: 0, bad: '' };
      const rounds = Math.max(1, Math.floor(duration / 2));
      for (let r = 0; r < rounds; r++) {
        const slice = Math.floor(duration / rounds) + (r < duration % rounds ? 1 : 0);
        const order = r % 2 ? [two, one] : [one, two];
        for (const t of order) await round2(t === one ? [a] : [a, b], p.path, connections, slice, headers, t);
      }
      const note = [one.bad && `one: ${one.bad}`, two.bad && `two: ${two.bad}`].filter(Boolean).join('; ');
      const oneRps = one.bad ? null : round(one.ok / one.seconds, 0);
      const twoRps = two.bad ? null : round(two.ok / two.seconds, 0);
      pages.push({ name: p.name, path: p.path, one_rps: oneRps, two_rps: twoRps, ratio: ratio(twoRps, oneRps), note });
      log(`two instances: ${p.name}: one ${oneRps} req/s, two ${twoRps} req/s ${note}`);
    }
  } finally {
    await a.stop();
    await b?.stop();
  }
  const measured = pages.map((p) => p.ratio).filter((r): r is number => r !== null);
  return { pages, ratio: measured.length === pages.length && measured.length ? Math.min(...measured) : null };
}
