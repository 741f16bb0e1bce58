// A knex transaction on SQLite that reads and then writes must not fail because another process wrote in
// between (SQLITE_BUSY_SNAPSHOT: a person's form saved while an import commits its steps answered 503).
// src/db.ts begins knex's transactions IMMEDIATE: the write lock is taken (and waited for) at BEGIN.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { createDb, migrate } from '../src/db.js';
import { onPostgres } from './support/pg.js';

(onPostgres ? describe.skip : describe)('SQLite transactions begin IMMEDIATE', () => {
  let dir: string;
  let file: string;
  let db: Knex;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-trx-'));
    file = path.join(dir, 'net.sqlite');
    db = createDb({ databaseFile: file });
    await migrate(db);
    await db('people').insert({ first_name: 'Jana', last_name: 'Krüger', name_norm: 'jana kruger', created_at: 'x', updated_at: 'x' });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-then-write transaction keeps its right to write while another connection tries to write', async () => {
    const other = new Database(file);
    other.pragma('busy_timeout = 0');
    let otherError = '';
    try {
      await db.transaction(async (trx) => {
        const row = await trx('people').first('id', 'city');
        try {
          other.prepare('UPDATE people SET city = ? WHERE id = ?').run('Hamburg', row.id);
        } catch (err) {
          otherError = (err as { code?: string }).code ?? String(err);
        }
        await trx('people').where({ id: row.id }).update({ city: 'Berlin' });
      });
    } finally {
      other.close();
    }
    // deferred BEGIN: the other write lands and the transaction's update fails with SQLITE_BUSY_SNAPSHOT
    expect(otherError).to.equal('SQLITE_BUSY');
    expect(await db('people').first('city')).to.deep.equal({ city: 'Berlin' });
  });

  it('a transaction waits for a writer that holds the lock for a moment, without blocking the event loop', async () => {
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare('UPDATE people SET city = ?').run('Köln');
    let turned = 0;
    const ticker = setInterval(() => turned++, 5);
    setTimeout(() => other.exec('COMMIT'), 300);
    try {
      await db.transaction(async (trx) => {
        const row = await trx('people').first('city');
        expect(row.city).to.equal('Köln');
        await trx('people').update({ city: 'München' });
      });
    } finally {
      clearInterval(ticker);
      other.close();
    }
    expect(turned).to.be.greaterThan(3);
    expect(await db('people').first('city')).to.deep.equal({ city: 'München' });
  });
});
