// The statement cache in src/db.ts replaces knex's private Client_BetterSQLite3#_query. These tests fail when
// knex changes that method (its source is pinned by hash: read the new one and adapt cacheStatements), and
// prove that the replacement answers exactly as knex's own for every kind of query the app runs.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { createDb, migrate } from '../src/db.js';

/** sha256 of knex 3.3's Client_BetterSQLite3.prototype._query source, the contract cacheStatements copies. */
const KNEX_QUERY_SHA256 = '86dc68b277b5fb6888c6e0b586ee9ddb071c88043f2bae63cbdbd493625be0e9';

type Proto = { _query: (...args: unknown[]) => unknown; __knexQuery?: (...args: unknown[]) => unknown; __cached?: boolean };

/** knex's own _query: the cache replaces it on the client's prototype and keeps the original beside it. */
function knexOwnQuery(db: Knex): (...args: unknown[]) => unknown {
  const proto = Object.getPrototypeOf(db.client) as Proto;
  return proto.__knexQuery ?? proto._query;
}

describe('statement cache (knex private _query, SQLite only)', () => {
  it('knex\'s own _query is the one the cache was written against', () => {
    const plain = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    try {
      const source = knexOwnQuery(plain).toString();
      expect(createHash('sha256').update(source).digest('hex'), `knex changed _query:\n${source}`).to.equal(KNEX_QUERY_SHA256);
    } finally {
      void plain.destroy();
    }
  });

  it('is installed on SQLite and never on PostgreSQL', async () => {
    const sqlite = createDb({ databaseFile: ':memory:' });
    const pg = createDb({ databaseFile: '', databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const sqliteProto = Object.getPrototypeOf(sqlite.client) as Proto;
      const pgProto = Object.getPrototypeOf(pg.client) as Proto;
      expect(sqliteProto.__cached).to.equal(true);
      expect(sqliteProto._query).to.not.equal(sqliteProto.__knexQuery);
      expect(pgProto.__cached).to.equal(undefined);
      expect(Object.hasOwn(pg.client, '_query')).to.equal(false);
    } finally {
      await sqlite.destroy();
      await pg.destroy();
    }
  });

  it('answers every kind of query exactly as knex\'s own _query does', async () => {
    const cached = createDb({ databaseFile: ':memory:' });
    const plain = createDb({ databaseFile: ':memory:' });
    // the second instance runs knex's own method: an own property shadows the prototype's cache (transactions
    // inherit it, as their client is made from this one)
    (plain.client as { _query?: unknown })._query = knexOwnQuery(plain);
    expect((plain.client as { _query: unknown })._query).to.not.equal((Object.getPrototypeOf(cached.client) as Proto)._query);
    try {
      const script = async (db: Knex) => {
        const out: unknown[] = [];
        await migrate(db);
        const now = '2026-01-01T00:00:00.000Z';
        out.push(await db('tags').insert({ name: 'A', name_norm: 'a' }));
        out.push(await db('tags').insert({ name: 'B', name_norm: 'b' }).returning('id'));
        out.push(await db('tags').insert([{ name: 'C', name_norm: 'c' }, { name: 'D', name_norm: 'd' }]).returning(['id', 'name']));
        out.push(await db('tags').where({ name: 'A' }).update({ name: 'A2' }));
        out.push(await db('tags').where({ name: 'D' }).del());
        out.push(await db('tags').orderBy('id').select());
        out.push(await db('tags').where('id', '>', 1).first());
        out.push(await db('tags').pluck('name'));
        out.push(await db('tags').count({ n: '*' }));
        out.push(await db.raw('select ? as x, ? as y', [1, 'two']));
        out.push(await db('people').insert({ last_name: 'X', created_at: now, updated_at: now, do_not_contact: true }).returning('id'));
        out.push(await db('people').select('do_not_contact', 'kind'));
        out.push(await db.transaction(async (trx) => trx('tags').insert({ name: 'E', name_norm: 'e' })));
        // the same statement twice (the second from the cache) gives the same answer
        out.push(await db('tags').where({ name: 'B' }).select('id'), await db('tags').where({ name: 'B' }).select('id'));
        out.push(await db('tags').insert({ name: 'B', name_norm: 'b' }).catch((e: Error) => e.message.replace(/^.* - /, '')));
        return out;
      };
      expect(await script(cached)).to.deep.equal(await script(plain));
    } finally {
      await cached.destroy();
      await plain.destroy();
    }
  });
});
