// The search snapshot of a big file database is built in a worker thread (the event loop keeps turning), and
// while an import writes, search answers from the last snapshot instead of reloading on every search.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb, migrate } from '../../src/db.js';
import { findPeople, forgetSnapshot } from '../../src/search/search.queries.js';
import { parsePeopleFilters } from '../../src/search/search.domain.js';
import { snapshotLoading, workerBuilds } from '../../src/search/snapshot.service.js';
import { onPostgres } from '../support/pg.js';

const berlin = parsePeopleFilters({ city: 'Berlin' });
const now = () => new Date().toISOString();

async function addPeople(db: Knex, from: number, n: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({
    first_name: 'Anna', last_name: `Person ${from + i}`, name_norm: `anna person ${from + i}`, city: 'Berlin', city_norm: 'berlin',
    created_at: now(), updated_at: now(),
  }));
  for (let i = 0; i < rows.length; i += 200) await db('people').insert(rows.slice(i, i + 200));
}

(onPostgres ? describe.skip : describe)('search snapshot: loaded beside the server, not in its way (SQLite file)', () => {
  let dir: string;
  let db: Knex;
  const saved = snapshotLoading.backgroundFrom;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-snapshot-'));
    db = createDb({ databaseFile: path.join(dir, 'net.sqlite') });
    await migrate(db);
    await addPeople(db, 0, 300);
    snapshotLoading.backgroundFrom = 100;
  });
  after(async () => {
    snapshotLoading.backgroundFrom = saved;
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first search waits for a snapshot built in a worker thread while the event loop keeps turning', async () => {
    forgetSnapshot(db);
    let turned = false;
    setImmediate(() => { turned = true; });
    const result = await findPeople(db, berlin);
    expect(turned).to.equal(true);
    expect(result.total).to.equal(300);
    expect(workerBuilds(db)).to.equal(1);
  });

  it('a few changes are patched in place; many changes without an import wait for a new build and show at once', async () => {
    await addPeople(db, 300, 5);
    expect((await findPeople(db, berlin)).total).to.equal(305);
    expect(workerBuilds(db)).to.equal(1);
    await addPeople(db, 305, 2_100); // more than a patch takes
    expect((await findPeople(db, berlin)).total).to.equal(2_405);
    expect(workerBuilds(db)).to.equal(2);
  });

  it('while an import holds the lock, search answers from the last snapshot and catches up beside it', async () => {
    await db('import_lock').where({ id: 1 }).update({ owner: 'test-import', job_id: null, heartbeat_at: now() });
    try {
      await addPeople(db, 2_405, 2_100);
      const during = await findPeople(db, berlin);
      expect(during.total).to.equal(2_405); // the last snapshot: no full reload on the way
      // the build it started lands; then the new people are found
      for (let i = 0; i < 200 && workerBuilds(db) < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(workerBuilds(db)).to.equal(3);
      expect((await findPeople(db, berlin)).total).to.equal(4_505);
    } finally {
      await db('import_lock').where({ id: 1 }).update({ owner: null, job_id: null, heartbeat_at: null });
    }
  });
});
