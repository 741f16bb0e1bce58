// Before/after of logged-in pages on a busy machine: another checkout's app (e.g. main, unpacked with `git archive`
// and its node_modules linked), this checkout's app and the bare server run at once; each page is loaded in short
// rounds that alternate between the three, and the median server CPU time per request of each is printed (CPU
// time moves far less with other load than req/s). /about is compared with the bare /hello.
// Usage: npx tsx bench/cpu-ab.ts OTHER_CHECKOUT DB_OTHER DB_THIS ROUNDS SECONDS PATH…   (two copies of one network)
import autocannon from 'autocannon';
import { benchEnv, listeningLine, login, PROXY_HEADERS, startRawServer } from './servers.js';
import { cpuSeconds, startServerChild, type Server } from './util.js';
const [other, dbA, dbB, rounds = '6', secs = '3', ...paths] = process.argv.slice(2);
if (!other || !dbA || !dbB || !paths.length) throw new Error('usage: npx tsx bench/cpu-ab.ts OTHER_CHECKOUT DB_OTHER DB_THIS ROUNDS SECONDS PATH…');
const start = (bin: string, db: string) => startServerChild([bin, 'serve'], (port) => ({ ...benchEnv(), PORT: String(port), DATABASE_URL: `sqlite:${db}` }), bin, listeningLine);
const base = await start(`${other}/bin/skillnet.js`, dbA);
const branch = await start('bin/skillnet.js', dbB);
const bare = await startRawServer(dbB);
const sides: [string, Server, Record<string, string>][] = [
  ['other', base, { ...PROXY_HEADERS, cookie: await login(base.url) }],
  ['this', branch, { ...PROXY_HEADERS, cookie: await login(branch.url) }],
  ['bare', bare, { ...PROXY_HEADERS }],
];
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]!; };
try {
  for (const path of paths) {
    const cpu: Record<string, number[]> = {}; const rps: Record<string, number[]> = {};
    for (const [n, s, h] of sides) { const p = n === 'bare' && path === '/about' ? '/hello' : path; for (let i = 0; i < 300; i++) await (await fetch(s.url + p, { headers: h })).arrayBuffer(); }
    for (let r = 0; r < Number(rounds); r++) {
      for (const [n, s, h] of r % 2 ? [...sides].reverse() : sides) {
        const p = n === 'bare' && path === '/about' ? '/hello' : path;
        const c0 = cpuSeconds(s.pid)!;
        const res = await autocannon({ url: s.url + p, connections: 10, duration: Number(secs), headers: h });
        if (res.non2xx || res.errors) throw new Error(`${n} ${p}: ${res.non2xx} non-2xx`);
        (cpu[n] ??= []).push(((cpuSeconds(s.pid)! - c0) / res['2xx']) * 1e6);
        (rps[n] ??= []).push(res['2xx'] / res.duration);
      }
    }
    console.log(path, Object.keys(cpu).map((n) => `${n}: median ${Math.round(med(cpu[n]!))} µs/req [${cpu[n]!.map(Math.round).join(' ')}], ${Math.round(med(rps[n]!))} req/s`).join('; '));
  }
} finally { for (const [, s] of sides) await s.stop(); }
