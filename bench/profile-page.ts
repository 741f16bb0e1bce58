// Profiles one page of `skillnet serve` (production settings) under autocannon: starts the server with --cpu-prof,
// logs in through the real form, warms up, loads PATH with 10 connections, stops the server gracefully so V8
// writes the profile into OUTDIR. Summarise with `npx tsx bench/profile-summary.ts OUTDIR/*.cpuprofile`.
// Usage: npx tsx bench/profile-page.ts DBFILE OUTDIR PATH [seconds]   (DBFILE: e.g. from `npm run bench -- --keep`)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { ROOT } from './util.js';
import { login, PROXY_HEADERS } from './servers.js';
const [db, out, path, secs = '10'] = process.argv.slice(2) as [string, string, string, string];
const port = 4100 + Math.floor(Math.random() * 500);
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, 'bin/skillnet.js', 'serve'], {
  cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'), HOST: '127.0.0.1', TRUST_PROXY: 'loopback', PORT: String(port), DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
});
let lines = 0;
await new Promise<void>((r) => child.stdout!.on('data', (d) => { lines++; if (String(d).includes('running at')) r(); }));
child.stdout!.resume();
const url = `http://127.0.0.1:${port}`;
const cookie = await login(url);
for (let i = 0; i < 200; i++) await (await fetch(url + path, { headers: { ...PROXY_HEADERS, cookie } })).arrayBuffer();
const res = await autocannon({ url: url + path, connections: 10, duration: Number(secs), headers: { ...PROXY_HEADERS, cookie } });
console.log(`${path}: ${Math.round(res['2xx'] / res.duration)} req/s, p99 ${res.latency.p99} ms, non2xx ${res.non2xx} errors ${res.errors}`);
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
