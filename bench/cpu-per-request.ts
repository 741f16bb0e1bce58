// Server CPU time per request of a few pages of `skillnet serve` (production settings) and, optionally, of the bare
// server: a quick before/after check that hardly moves with other load on the machine (req/s does).
// Usage: npx tsx bench/cpu-per-request.ts DBFILE SECONDS PATH… [--bare]
import autocannon from 'autocannon';
import { PROXY_HEADERS, loginTo, startAppServer, startRawServer } from './servers.js';
import { cpuSeconds, type Server } from './util.js';

const args = process.argv.slice(2);
const bare = args.includes('--bare');
const [db, secs, ...paths] = args.filter((a) => a !== '--bare') as [string, string, ...string[]];
if (!db || !secs || !paths.length) throw new Error('usage: npx tsx bench/cpu-per-request.ts DBFILE SECONDS PATH… [--bare]');
const app = await startAppServer(db);
const raw = bare ? await startRawServer(db) : null;
try {
  const cookie = await loginTo(app);
  for (const path of paths) {
    const sides: [string, Server, Record<string, string>][] = [['app', app, { ...PROXY_HEADERS, cookie }], ...(raw ? [['bare', raw, PROXY_HEADERS] as [string, Server, Record<string, string>]] : [])];
    for (const [name, server, headers] of sides) {
      const p = name === 'bare' && path === '/about' ? '/hello' : path;
      for (let i = 0; i < 400; i++) await (await fetch(server.url + p, { headers })).arrayBuffer();
      const cpu0 = cpuSeconds(server.pid)!;
      const res = await autocannon({ url: server.url + p, connections: 10, duration: Number(secs), headers });
      const cpu = cpuSeconds(server.pid)! - cpu0;
      console.log(`${name} ${p}: ${Math.round(res['2xx'] / res.duration)} req/s, ${Math.round((cpu / res['2xx']) * 1e6)} µs CPU/request, non-2xx ${res.non2xx}`);
    }
  }
} finally {
  await app.stop();
  await raw?.stop();
}
