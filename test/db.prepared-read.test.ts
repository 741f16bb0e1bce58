// PreparedRead and readTogether (src/db.ts): a read compiled once per database answers exactly as its knex
// query, alone and together with others, on SQLite and PostgreSQL; inside a transaction it runs as knex's query
// (the transaction's connection, its uncommitted rows); a builder whose SQL depends on a parameter is refused.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { PreparedRead, readTogether } from '../src/db.js';
import { testDb } from './support/app.js';

const NOW = '2026-01-01T00:00:00.000Z';

const PERSON = new PreparedRead((db, id: number) => db('people').where({ id }).first('id', 'last_name', 'do_not_contact'));
const TAG_NAMES = new PreparedRead((db, prefix: string) => db('tags').where('name', 'like', prefix).orderBy('name').pluck('name'));
const TAGS_AFTER = new PreparedRead((db, id: number, limit: number) => db('tags').where('id', '>', id).orderBy('id').limit(limit).select('id', 'name'));

describe('prepared reads (PreparedRead, readTogether)', () => {
  let db: Knex;

  before(async () => {
    db = await testDb();
    for (const name of ['Alpha', 'Beta', 'Bravo', 'Charlie']) await db('tags').insert({ name, name_norm: name.toLowerCase() });
    await db('people').insert({ last_name: 'Adler', created_at: NOW, updated_at: NOW, do_not_contact: true });
  });
  after(() => db.destroy());

  it('answers as the knex query does: first, pluck and select, with other values each time', async () => {
    const [person] = await db('people').select('id');
    const ids = (await db('tags').orderBy('id').pluck('id')) as number[];
    for (let round = 0; round < 2; round++) {
      expect(await PERSON.run(db, person.id)).to.deep.equal(await db('people').where({ id: person.id }).first('id', 'last_name', 'do_not_contact'));
      expect(await PERSON.run(db, person.id + 1000)).to.equal(undefined);
      expect(await TAG_NAMES.run(db, 'B%')).to.deep.equal(['Beta', 'Bravo']);
      expect(await TAG_NAMES.run(db, 'C%')).to.deep.equal(['Charlie']);
      expect(await TAGS_AFTER.run(db, ids[0]!, 2)).to.deep.equal(await db('tags').where('id', '>', ids[0]!).orderBy('id').limit(2).select('id', 'name'));
    }
  });

  it('runs several reads in one go, each result in its place', async () => {
    const [person] = await db('people').select('id');
    const [p, names, none, after] = await readTogether(db, [PERSON.with(person.id), TAG_NAMES.with('%a%'), TAG_NAMES.with('zz%'), TAGS_AFTER.with(0, 1)] as const);
    expect(p).to.include({ last_name: 'Adler' });
    expect(names).to.deep.equal(await db('tags').where('name', 'like', '%a%').orderBy('name').pluck('name'));
    expect(none).to.deep.equal([]);
    expect(after).to.have.length(1);
    expect(await readTogether(db, [] as const)).to.deep.equal([]);
  });

  it('inside a transaction reads through it (its own rows, not yet committed)', async () => {
    await db.transaction(async (trx) => {
      await trx('tags').insert({ name: 'Bingo', name_norm: 'bingo' });
      expect(await TAG_NAMES.run(trx, 'Bi%')).to.deep.equal(['Bingo']);
      const [names] = await readTogether(trx, [TAG_NAMES.with('Bi%')] as const);
      expect(names).to.deep.equal(['Bingo']);
      await trx.rollback();
    }).catch(() => undefined);
    expect(await TAG_NAMES.run(db, 'Bi%')).to.deep.equal([]);
  });

  it('refuses a builder whose SQL depends on a parameter\'s value (it could not be compiled once)', async () => {
    const shaped = new PreparedRead((d, id: number) => (id > 0 ? d('tags').where({ id }).select('id') : d('tags').select('id')));
    const sqlite = !(db.client as { config: { client: string } }).config.client.includes('pg');
    if (sqlite) {
      let error: unknown = null;
      await shaped.run(db, 1).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/not a plain read with every parameter bound/);
    } else {
      // PostgreSQL runs the knex query as it is: nothing is compiled ahead
      expect(await shaped.run(db, 1)).to.be.an('array');
    }
  });
});
