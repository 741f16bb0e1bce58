// The background loop behind the mail and webhook workers: a failing step is logged with its stack, once while it
// keeps failing the same way, and again after it has worked; a failing start-up step is logged too.
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { useLogger } from '../../src/log.js';
import { startBackgroundLoop } from '../../src/shared/background.js';

function capture(): { lines: Record<string, unknown>[]; restore: () => void } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  const before = useLogger(pino({ level: 'info' }, sink));
  return { lines, restore: () => useLogger(before) };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('background loop', () => {
  it('logs a failing step once while it fails the same way, again after a success, with its stack and name', async () => {
    const { lines, restore } = capture();
    const outcomes = ['busy', 'busy', 'busy', 'ok', 'busy', 'full'];
    let i = 0;
    const loop = startBackgroundLoop(async () => {
      const o = outcomes[i++];
      if (o !== 'ok') throw new Error(`database ${o}`);
    }, { name: 'test worker', intervalMs: 60_000 });
    try {
      await tick();
      for (let k = 1; k < outcomes.length; k++) {
        loop.kick();
        await tick();
      }
    } finally {
      await loop.stop();
      restore();
    }
    expect(i).to.equal(outcomes.length);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors.map((l) => (l.err as { message: string }).message)).to.deep.equal(['database busy', 'database busy', 'database full']);
    expect(errors[0]).to.include({ job: 'test worker', msg: 'test worker: step failed' });
    expect((errors[0]!.err as { stack: string }).stack).to.contain('Error: database busy');
  });

  it('logs a failing start-up step and still runs', async () => {
    const { lines, restore } = capture();
    let ran = 0;
    const loop = startBackgroundLoop(async () => { ran++; }, { name: 'test worker', intervalMs: 60_000, before: Promise.reject(new Error('no database')) });
    try {
      await tick();
    } finally {
      await loop.stop();
      restore();
    }
    expect(ran).to.equal(1);
    expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).to.deep.equal(['test worker: start failed']);
  });
});
