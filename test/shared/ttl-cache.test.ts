import { expect } from 'chai';
import knex from 'knex';
import { TtlCache } from '../../src/shared/ttl-cache.js';

describe('TtlCache', () => {
  const dbA = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const dbB = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  after(async () => { await dbA.destroy(); await dbB.destroy(); });

  it('answers from the cache within the TTL, reads again after it, and keeps databases apart', async () => {
    let t = 0;
    let reads = 0;
    const cache = new TtlCache<string, number>(1000, 100, () => t);
    const load = (v: number) => async () => { reads++; return v; };
    expect(await cache.get(dbA, 'k', load(1))).to.equal(1);
    t = 999;
    expect(await cache.get(dbA, 'k', load(2))).to.equal(1);
    expect(await cache.get(dbB, 'k', load(3))).to.equal(3); // another database: its own entry
    t = 1000;
    expect(await cache.get(dbA, 'k', load(4))).to.equal(4);
    expect(reads).to.equal(3);
  });

  it('forgetAll makes the next read go to the database at once', async () => {
    const cache = new TtlCache<string, number>(60_000, 100, () => 0);
    expect(await cache.get(dbA, 'k', async () => 1)).to.equal(1);
    expect(await cache.get(dbA, 'k', async () => 2)).to.equal(1);
    cache.forgetAll();
    expect(await cache.get(dbA, 'k', async () => 3)).to.equal(3);
  });

  it('runs a knex query once, not on every read (a query builder is a thenable that runs again on each then)', async () => {
    const cache = new TtlCache<string, unknown>(60_000, 100, () => 0);
    await dbA.schema.createTable('t', (t) => { t.integer('n'); });
    await dbA('t').insert({ n: 1 });
    expect(await cache.get(dbA, 'k', () => dbA('t').first('n'))).to.deep.equal({ n: 1 });
    await dbA('t').update({ n: 2 });
    expect(await cache.get(dbA, 'k', () => dbA('t').first('n'))).to.deep.equal({ n: 1 });
  });

  it('does not keep a failed read', async () => {
    const cache = new TtlCache<string, number>(60_000, 100, () => 0);
    await cache.get(dbA, 'k', async () => { throw new Error('busy'); }).catch(() => undefined);
    expect(await cache.get(dbA, 'k', async () => 5)).to.equal(5);
  });
});
