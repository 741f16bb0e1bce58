// Garbage collections while a page is loaded: starts `skillnet serve` (production, LOG_LEVEL=silent) of ROOT with --trace-gc,
// logs in, warms up with 500 requests, loads PATH with 10 connections for 8 s and counts scavenges and mark-compacts
// (and their pause times) per 1,000 requests. Usage: npx tsx bench/gc-count.ts ROOT DBFILE PATH   (ROOT: a checkout)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { freePort } from './util.js';
import { login, listeningLine, PROXY_HEADERS } from './servers.js';
const [root, db, path] = process.argv.slice(2) as [string, string, string];
const port = await freePort(); const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['--trace-gc', 'bin/skillnet.js', 'serve'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'), HOST: '127.0.0.1', TRUST_PROXY: 'loopback', PORT: String(port), DATABASE_URL: `sqlite:${db}` } });
let printed = ''; let counting = false; let scav = 0; let mc = 0; let mcMs = 0; let scMs = 0;
child.stdout!.on('data', (d) => { const s = String(d); printed += s; if (!counting) return;
  for (const line of s.split('\n')) { const m = /(Scavenge|Mark-Compact)[^,]*?,\s*([\d.]+)\s*\/\s*[\d.]+\s*ms/.exec(line); if (!m) continue; if (m[1] === 'Scavenge') { scav++; scMs += Number(m[2]); } else { mc++; mcMs += Number(m[2]); } } });
await new Promise<void>((r) => { const i = setInterval(() => { if (printed.includes(listeningLine(url))) { clearInterval(i); r(); } }, 50); });
const headers = { ...PROXY_HEADERS, cookie: await login(url) };
for (let i = 0; i < 500; i++) await (await fetch(url + path, { headers })).arrayBuffer();
counting = true;
const res = await autocannon({ url: url + path, connections: 10, duration: 8, headers });
counting = false;
const n = res['2xx'];
console.log(JSON.stringify({ requests: n, scavenges: scav, scavenge_ms: Math.round(scMs), mark_compacts: mc, mark_compact_ms: Math.round(mcMs), per_1000_req: { scavenges: +(scav * 1000 / n).toFixed(1), mark_compacts: +(mc * 1000 / n).toFixed(2) } }));
child.kill('SIGTERM');
