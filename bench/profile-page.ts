// Profiles one page of `skillnet serve` (production settings) under autocannon: starts the server with --cpu-prof,
// logs in through the real form, warms up, loads PATH with 10 connections, stops the server gracefully so V8
// writes its profiles into OUTDIR (one per thread: the largest is the server's main thread). Summarise with
// `npx tsx bench/profile-summary.ts $(ls -S OUTDIR/*.cpuprofile | head -1)`.
// Usage: npx tsx bench/profile-page.ts DBFILE OUTDIR PATH [seconds]   (DBFILE: e.g. from `npm run bench -- --keep`)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { freePort, ROOT } from './util.js';
import { login, listeningLine, PROXY_HEADERS } from './servers.js';

const [db, out, path, secs = '10'] = process.argv.slice(2) as [string, string, string, string | undefined];
if (!db || !out || !path) throw new Error('usage: npx tsx bench/profile-page.ts DBFILE OUTDIR PATH [seconds]');
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${out}`, 'bin/skillnet.js', 'serve'], {
  cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env, NODE_ENV: 'production', SESSION_SECRET: randomBytes(24).toString('hex'), HOST: '127.0.0.1', TRUST_PROXY: 'loopback',
    PORT: String(port), DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  },
});
let printed = '';
await new Promise<void>((resolve) => child.stdout!.on('data', (d) => {
  if (printed.length < 10_000) printed += String(d);
  if (printed.includes(listeningLine(url))) resolve();
}));
const cookie = await login(url);
const headers = { ...PROXY_HEADERS, cookie };
for (let i = 0; i < 200; i++) await (await fetch(url + path, { headers })).arrayBuffer();
const res = await autocannon({ url: url + path, connections: 10, duration: Number(secs ?? 10), headers });
console.log(`${path}: ${Math.round(res['2xx'] / res.duration)} req/s, p99 ${res.latency.p99} ms, non-2xx ${res.non2xx}, errors ${res.errors}`);
child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
