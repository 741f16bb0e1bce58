// The bench's server children: a port that another process takes while a child starts must never be measured
// as that child (a stranger's Skillnet answered the bare side's pages with 302, or vanished: "fetch failed").
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { buildNetwork } from '../../bench/data.js';
import { benchEnv, listeningLine } from '../../bench/servers.js';
import { BENCH_DIR, freePort, startChild, startServerChild, type Server } from '../../bench/util.js';

describe('bench server children', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let stranger: http.Server;
  let strangerPort: number;
  const rawArgs = ['--import', 'tsx', path.join(BENCH_DIR, 'raw-server.ts')];
  const rawEnv = (port: number) => ({ ...benchEnv(), PORT: String(port), BENCH_DB: file });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-benchmark-test-'));
    file = path.join(dir, 'network.sqlite');
    await buildNetwork(file, 100, 1);
    // another process's server on the port the child was given: /health is fine, pages want a login
    stranger = http.createServer((req, res) => {
      if (req.url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      else res.writeHead(302, { location: '/login' }).end();
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', () => resolve()));
    strangerPort = (stranger.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise((resolve) => stranger.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not take a stranger answering /health on its port for the child', async () => {
    let server: Server | null = null;
    const err = await startChild(rawArgs, rawEnv(strangerPort), strangerPort, 'bare server', listeningLine).then(
      (s) => {
        server = s;
        return null;
      },
      (e: Error) => e,
    );
    await (server as Server | null)?.stop();
    expect(err, 'startChild resolved with the stranger as the bare server').to.be.instanceOf(Error);
    expect(err!.message).to.include(`Port ${strangerPort} is already in use`);
  });

  it('moves to another port when the first one was taken, and serves the bare pages from there', async () => {
    const offered: number[] = [];
    const pick = async () => {
      const port = offered.length ? await freePort() : strangerPort;
      offered.push(port);
      return port;
    };
    const server = await startServerChild(rawArgs, rawEnv, 'bare server', listeningLine, pick);
    try {
      expect(offered).to.have.length(2);
      expect(server.url).to.equal(`http://127.0.0.1:${offered[1]}`);
      const res = await fetch(`${server.url}/people?q=a`, { redirect: 'manual' });
      expect(res.status).to.equal(200);
      expect(await res.text()).to.match(/<a href="\/people\/\d+"/);
    } finally {
      await server.stop();
    }
  });
});
