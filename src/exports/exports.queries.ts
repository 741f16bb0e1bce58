// The SQL of the exports. Built with knex, run on a raw better-sqlite3 connection of the export's own
// (`iterate` reads one row at a time: memory stays flat however many rows; the pool stays free meanwhile).
// On PostgreSQL the "connection" is a REPEATABLE READ transaction and rows come through a cursor, 500 at a
// time (cursorRows in db.ts): the same flat memory and one consistent snapshot.
import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import { cursorRows, dbErrorText, isPostgres, listAgg, withBatchConnection } from '../db.js';
import { foldText } from '../shared/normalise.js';
import { likePattern } from '../organisations/organisations.domain.js';
import type { ProjectFilters } from '../projects/projects.domain.js';
import { whereTitleMatches } from '../projects/projects.queries.js';
import type { EngagementExportRow, OrganisationExportRow, PersonExportRow, ProjectExportRow } from './columns.domain.js';
import type { NetworkTable } from './network.domain.js';
import type { DocPerson, DocSkillRow, DocTagRow } from '../search/index.queries.js';
import { HIGHEST_LEVEL } from '../skills/levels.domain.js';

type Native = { sql: string; bindings: unknown[] };

function native(q: Knex.QueryBuilder): Native {
  const n = q.toSQL().toNative();
  return { sql: n.sql, bindings: [...n.bindings] };
}

/** A raw SQLite connection, or on PostgreSQL the transaction an export or a network load runs in. */
export type ExportConn = Database | Knex.Transaction;

export function isSqliteConn(conn: ExportConn): conn is Database {
  return typeof (conn as Database).prepare === 'function';
}

/** On SQLite, the export's own connection reads (or the network import writes) in one transaction; on
 * PostgreSQL the connection is a knex transaction already, so these do nothing. */
export function beginConnTx(conn: ExportConn, mode: 'read' | 'write'): void {
  if (isSqliteConn(conn)) conn.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
}

export function commitConnTx(conn: ExportConn): void {
  if (isSqliteConn(conn)) conn.exec('COMMIT');
}

export function rollbackConnTx(conn: ExportConn): void {
  if (isSqliteConn(conn) && conn.inTransaction) conn.exec('ROLLBACK');
}

/**
 * Runs `fn` on a connection of its own (in WAL mode a consistent read beside the app); :memory: uses the pool's.
 * On PostgreSQL: in a REPEATABLE READ transaction (one snapshot for every file); what `fn` throws rolls it back.
 */
export function withExportConnection<T>(db: Knex, fn: (conn: ExportConn) => Promise<T> | T): Promise<T> {
  if (isPostgres(db)) return db.transaction(async (trx) => fn(trx), { isolationLevel: 'repeatable read' });
  return withBatchConnection(db, fn);
}

/** The rows of a query, one at a time (SQLite: iterate; PostgreSQL: a cursor inside the export's transaction). */
function iterate<T>(conn: ExportConn, q: Knex.QueryBuilder): Iterable<T> | AsyncIterable<T> {
  if (isSqliteConn(conn)) {
    const n = native(q);
    return conn.prepare(n.sql).iterate(...n.bindings) as IterableIterator<T>;
  }
  const { sql, bindings } = q.toSQL();
  return cursorRows<T>(conn, sql, bindings as unknown[]);
}

async function allRows<T>(conn: ExportConn, q: Knex.QueryBuilder): Promise<T[]> {
  if (isSqliteConn(conn)) {
    const n = native(q);
    return conn.prepare(n.sql).all(...n.bindings) as T[];
  }
  return (await q.transacting(conn)) as T[];
}

const PEOPLE_CHUNK = 500;

/** A skill's name in a language: the German name where one is set (the import maps both back: it is an alias). */
function skillName(lang: string): string {
  return lang === 'de' ? "coalesce(nullif(s.name_de, ''), s.name)" : 's.name';
}

function peopleQuery(db: Knex, ids: string | number[], lang: string): Knex.QueryBuilder {
  return db('people as p')
    .modify((qb) => {
      if (typeof ids === 'string') qb.whereRaw('p.id in (select value from json_each(?))', [ids]);
      else qb.whereRaw('p.id = any(?::int[])', [ids]);
    })
    .select(
      'p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.phone', 'p.city', 'p.postcode', 'p.country', 'p.languages', 'p.kind',
      'p.availability', 'p.organisation', 'p.job_title', 'p.portfolio_url', 'p.notes', 'p.do_not_contact', 'p.last_confirmed_at',
      'p.created_at',
      db.raw(`(select ${listAgg(db, `${skillName(lang)} || ' (' || ps.level || '/${HIGHEST_LEVEL})'`, '; ', `ps.level desc, ${skillName(lang)}`)} from person_skills ps
               join skills s on s.id = ps.skill_id where ps.person_id = p.id) as skills`),
      db.raw(`(select ${listAgg(db, 't.name', '; ', 't.name')} from person_tags pt join tags t on t.id = pt.tag_id
               where pt.person_id = p.id) as tags`),
    );
}

/** These people (ids in the search's order), with their skills (named in `lang`) and tags; read 500 at a time. */
export function peopleByIds(db: Knex, conn: ExportConn, ids: readonly number[], lang = 'en'): Iterable<PersonExportRow> | AsyncIterable<PersonExportRow> {
  return isSqliteConn(conn) ? peopleByIdsSqlite(db, conn, ids, lang) : peopleByIdsPg(db, conn, ids, lang);
}

function* peopleByIdsSqlite(db: Knex, conn: Database, ids: readonly number[], lang: string): Generator<PersonExportRow> {
  const q = native(peopleQuery(db, '[]', lang));
  const st = conn.prepare(q.sql);
  for (let i = 0; i < ids.length; i += PEOPLE_CHUNK) {
    const chunk = ids.slice(i, i + PEOPLE_CHUNK);
    const byId = new Map<number, PersonExportRow>();
    for (const r of st.iterate(JSON.stringify(chunk)) as IterableIterator<PersonExportRow>) byId.set(r.id, r);
    // each row let go once written: what a chunk holds while it is written outlives the young generation's
    // collections and is promoted, so the old generation (collected seldom) grew with the export
    for (const id of chunk) {
      const r = byId.get(id);
      if (!r) continue;
      byId.delete(id);
      yield r;
    }
  }
}

async function* peopleByIdsPg(db: Knex, trx: Knex.Transaction, ids: readonly number[], lang: string): AsyncGenerator<PersonExportRow> {
  for (let i = 0; i < ids.length; i += PEOPLE_CHUNK) {
    const chunk = ids.slice(i, i + PEOPLE_CHUNK);
    const rows = (await peopleQuery(db, chunk, lang).transacting(trx)) as PersonExportRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (r) yield r;
    }
  }
}

/** True when the person exists (a one-person export answers 404 otherwise). */
export async function personExists(db: Knex, id: number): Promise<boolean> {
  return Boolean(await db('people').where({ id }).first('id'));
}

/** Organisations whose folded name contains the search words (as /organisations lists them), by name. */
export function organisationRows(db: Knex, conn: ExportConn, opts: { q: string }): Iterable<OrganisationExportRow> | AsyncIterable<OrganisationExportRow> {
  const q = foldText(opts.q);
  return iterate(conn, db('organisations as o')
    .modify((qb) => {
      if (q) qb.whereRaw(`o.name_norm like ? escape '\\'`, [likePattern(q)]);
    })
    .orderBy([{ column: 'o.name_norm' }, { column: 'o.id' }])
    .select(
      'o.id', 'o.name', 'o.kind', 'o.city', 'o.website', 'o.contact_name', 'o.contact_email', 'o.notes', 'o.created_at',
      db.raw('(select count(*) from projects p where p.organisation_id = o.id) as projects'),
      db.raw(`(select count(distinct e.person_id) from engagements e join projects p on p.id = e.project_id
               where p.organisation_id = o.id) as helpers`),
    ));
}

function projectFilter(f: Pick<ProjectFilters, 'status' | 'kind' | 'org'> & { q?: string }) {
  return (qb: Knex.QueryBuilder) => {
    if (f.q) whereTitleMatches(qb, f.q);
    if (f.status) qb.where('p.status', f.status);
    if (f.kind) qb.where('p.kind', f.kind);
    if (f.org) qb.where('p.organisation_id', f.org);
  };
}

/** Projects matching the /projects filters, in the list's order (newest first), with needed skills and team size. */
export function projectRows(db: Knex, conn: ExportConn, f: Pick<ProjectFilters, 'status' | 'kind' | 'org'> & { q?: string }, lang = 'en'): Iterable<ProjectExportRow> | AsyncIterable<ProjectExportRow> {
  return iterate(conn, db('projects as p')
    .join('organisations as o', 'o.id', 'p.organisation_id')
    .modify(projectFilter(f))
    .orderByRaw('coalesce(p.start_date, substr(p.created_at, 1, 10)) desc, p.id desc')
    .select(
      'p.id', 'p.title', 'o.name as organisation', 'p.kind', 'p.status', 'p.start_date', 'p.end_date', 'p.description', 'p.created_at',
      db.raw(`(select ${listAgg(db, `${skillName(lang)} || ' (' || pk.min_level || '/${HIGHEST_LEVEL})'`, '; ', `pk.min_level desc, ${skillName(lang)}`)} from project_skills pk
               join skills s on s.id = pk.skill_id where pk.project_id = p.id) as needed_skills`),
      db.raw('(select count(*) from engagements e where e.project_id = p.id) as team'),
    ));
}

/** Engagements on the projects matching the /projects filters: by organisation, project, start. */
export function engagementRows(db: Knex, conn: ExportConn, f: Pick<ProjectFilters, 'status' | 'kind' | 'org'> & { q?: string }): Iterable<EngagementExportRow> | AsyncIterable<EngagementExportRow> {
  return iterate(conn, db('engagements as e')
    .join('projects as p', 'p.id', 'e.project_id')
    .join('organisations as o', 'o.id', 'p.organisation_id')
    .join('people as pe', 'pe.id', 'e.person_id')
    .modify(projectFilter(f))
    .orderBy([{ column: 'o.name_norm' }, { column: 'o.id' }, { column: 'p.title' }, { column: 'p.id' }, { column: 'e.start_date' }, { column: 'e.id' }])
    .select(
      'e.id', 'pe.email', 'pe.first_name', 'pe.last_name', 'o.name as organisation', 'p.title as project', 'p.kind as project_kind',
      'e.role', 'e.start_date', 'e.end_date', 'e.hours', 'e.paid', 'e.rate', 'e.outcome', 'e.feedback', 'e.rating', 'e.handover',
    ));
}

/** Every row of a network table, its stored columns in file order. */
export function networkRows(db: Knex, conn: ExportConn, spec: NetworkTable): Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>> {
  return iterate(conn, db(spec.table).select(spec.columns.map(([c]) => c)).orderBy(spec.orderBy));
}

/** A row a network load could not insert; `tag` is what the caller passed to run() (its line number). */
export class NetworkRowError extends Error {
  constructor(message: string, readonly tag: number | undefined) {
    super(message);
  }
}

/** How many rows the tables a network load fills hold (all 0: the database is empty). */
export async function networkRowCounts(db: Knex, conn: ExportConn, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await allRows<{ n: number }>(conn, db(t).count({ n: '*' }));
    out[t] = Number(row!.n);
  }
  return out;
}

/**
 * An insert of these columns into a table; `run(values)` takes the values in `columns` order. SQLite: a
 * prepared statement run at once; PostgreSQL: rows are gathered and sent 500 at a time (call flush() at the end).
 */
export function networkInsert(db: Knex, conn: ExportConn, table: string, columns: string[]): { run(values: unknown[], tag?: number): Promise<void> | void; flush(): Promise<void> } {
  if (!isSqliteConn(conn)) {
    let pending: Record<string, unknown>[] = [];
    let tags: (number | undefined)[] = [];
    const flush = async () => {
      const rows = pending;
      const rowTags = tags;
      pending = [];
      tags = [];
      if (!rows.length) return;
      try {
        await conn.transaction((sp) => sp(table).insert(rows)); // a savepoint: a failure leaves the load's transaction usable
      } catch {
        // find the row that failed, so the message can name it
        for (let i = 0; i < rows.length; i++) {
          try {
            await conn.transaction((sp) => sp(table).insert(rows[i]!));
          } catch (err) {
            throw new NetworkRowError(dbErrorText(err), rowTags[i]);
          }
        }
      }
    };
    return {
      run(values, tag) {
        pending.push(Object.fromEntries(columns.map((c, i) => [c, values[i]])));
        tags.push(tag);
        return pending.length >= 500 ? flush() : undefined;
      },
      flush,
    };
  }
  // knex orders insert columns itself: mark each value to learn where its column went
  const n = native(db(table).insert(Object.fromEntries(columns.map((c, i) => [c, `\u0000${i}`]))));
  const order = n.bindings.map((b) => Number(String(b).slice(1)));
  const st = conn.prepare(n.sql);
  return {
    run(values) {
      st.run(...order.map((i) => values[i]));
    },
    flush: async () => {},
  };
}

/**
 * People with id above `after`, `limit` of them, with the rows their search document is made of (skills with
 * aliases, tags): index.queries.ts's personDocs assembles it. SQLite's network load only (raw connection).
 */
export function searchDocRows(db: Knex, conn: Database, after: number, limit: number): { people: DocPerson[]; skills: DocSkillRow[]; tags: DocTagRow[] } {
  const people = native(db('people').where('id', '>', after).orderBy('id').limit(limit)
    .select('id', 'first_name', 'last_name', 'email', 'city', 'organisation', 'job_title', 'notes'));
  const rows = conn.prepare(people.sql).all(...people.bindings) as DocPerson[];
  if (!rows.length) return { people: [], skills: [], tags: [] };
  const range = [rows[0]!.id, rows[rows.length - 1]!.id];
  const skills = native(db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').leftJoin('skill_aliases as a', 'a.skill_id', 's.id')
    .whereBetween('ps.person_id', [range[0]!, range[1]!]).select('ps.person_id', 's.name', 's.name_de', 'a.alias'));
  const tags = native(db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id')
    .whereBetween('pt.person_id', [range[0]!, range[1]!]).select('pt.person_id', 't.name'));
  return {
    people: rows,
    skills: conn.prepare(skills.sql).all(...skills.bindings) as DocSkillRow[],
    tags: conn.prepare(tags.sql).all(...tags.bindings) as DocTagRow[],
  };
}

