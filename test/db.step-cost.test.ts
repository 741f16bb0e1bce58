// How a long job's step is measured for sizing the next one (stepCost in src/db.ts): on SQLite the work runs on
// this thread, so a step costs this process's CPU time, with the wall clock as an upper bound on stalls; on
// PostgreSQL it costs its wall-clock time.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { isPostgres, stepCost } from '../src/db.js';
import { testDb } from './support/app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
/** Burns this much of the process's own CPU time (not wall time: a loaded machine must not shorten it). */
const spin = (ms: number) => { const end = cpuMs() + ms; while (cpuMs() < end) { /* CPU */ } };

describe('a long job step\'s cost (stepCost)', () => {
  let db: Knex;
  before(async () => { db = await testDb(); });
  after(async () => { await db.destroy(); });

  it('counts CPU on SQLite (waiting is free), wall-clock time on PostgreSQL', async () => {
    // a step of a second: the wall-clock bound (six steps) stays out of the way however slow the timers fire
    const cost = stepCost(db, 1000);
    const t = cost.start();
    await sleep(60);
    const waited = cost.since(t);
    if (isPostgres(db)) expect(waited).to.be.at.least(55);
    else expect(waited).to.be.below(30);
    const u = cost.start();
    spin(50);
    expect(cost.since(u)).to.be.at.least(35);
  });

  it('a step that stalls past six times the step counts as at least a sixth of its wall time (SQLite), all of it (PostgreSQL)', async () => {
    const cost = stepCost(db, 10);
    const t = cost.start();
    await sleep(120);
    expect(cost.since(t)).to.be.at.least(isPostgres(db) ? 119 : 120 / 6 - 1);
  });
});
