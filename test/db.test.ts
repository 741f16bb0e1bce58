import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrate, rollbackAll, withBatchConnection } from '../src/db.js';
import { testConfig } from '../src/config.js';

describe('migrations', () => {
  it('go all the way up and all the way down, and up again', async () => {
    const db = createDb(testConfig());
    try {
      const ran = await migrate(db);
      expect(ran.length).to.be.greaterThan(4);
      for (const t of ['users', 'people', 'skills', 'skill_aliases', 'person_skills', 'organisations', 'projects', 'project_skills', 'engagements', 'tags', 'import_batches', 'import_changes', 'consents', 'audit_log', 'sessions', 'people_fts']) {
        expect(await db.schema.hasTable(t), t).to.equal(true);
      }
      await rollbackAll(db);
      const left = await db.raw("select name from sqlite_master where type = 'table' and name not like 'knex_%' and name not like 'sqlite_%'");
      expect(left).to.deep.equal([]);
      expect((await migrate(db)).length).to.equal(ran.length);
    } finally {
      await db.destroy();
    }
  });

  it('enforces foreign keys and the unique normalised e-mail', async () => {
    const db = createDb(testConfig());
    try {
      await migrate(db);
      const base = { created_at: 'x', updated_at: 'x' };
      await db('people').insert({ ...base, last_name: 'A', email_norm: 'a@b.de' });
      let err: unknown = null;
      await db('people').insert({ ...base, last_name: 'B', email_norm: 'a@b.de' }).catch((e) => (err = e));
      expect(String(err)).to.match(/UNIQUE/);
      err = null;
      await db('person_skills').insert({ person_id: 1, skill_id: 999, level: 1 }).catch((e) => (err = e));
      expect(String(err)).to.match(/FOREIGN KEY/);
    } finally {
      await db.destroy();
    }
  });
});

describe('withBatchConnection', () => {
  it('gives a file database a second connection: pages can read while a batch holds the write lock', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-db-'));
    const db = createDb({ databaseFile: path.join(dir, 'x.sqlite') });
    try {
      await migrate(db);
      const seenDuringBatch = await withBatchConnection(db, async (conn) => {
        conn.exec('BEGIN IMMEDIATE');
        conn.prepare('insert into tags (name, name_norm) values (?, ?)').run('Berlin', 'berlin');
        // through the pool: with one shared connection this would wait forever
        const row = await db('tags').count<{ n: number }>({ n: '*' }).first();
        conn.exec('COMMIT');
        return Number(row?.n);
      });
      expect(seenDuringBatch).to.equal(0); // not yet committed
      expect(await db('tags').pluck('name')).to.deep.equal(['Berlin']);
    } finally {
      await db.destroy();
    }
  });
});
