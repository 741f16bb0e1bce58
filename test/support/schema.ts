// The schema as the database reports it, on either dialect: for inventory tests ("every table that refers to
// people is handled") that must run on SQLite and, under npm run test:pg, on PostgreSQL alike.
import type { Knex } from 'knex';
import { isPostgres, rawRows } from '../../src/db.js';

/** The application's tables (knex's migration tables and SQLite's own left out), sorted. */
export async function listTables(db: Knex): Promise<string[]> {
  const rows = isPostgres(db)
    ? await rawRows<{ name: string }>(db, "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")
    : await rawRows<{ name: string }>(db, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  return rows.map((r) => r.name).filter((n) => !n.startsWith('knex_')).sort();
}

/** The tables that `table`'s foreign keys refer to (each once). */
export async function referencedTables(db: Knex, table: string): Promise<string[]> {
  const rows = isPostgres(db)
    ? await rawRows<{ target: string }>(db, `select distinct ccu.table_name as target
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() and tc.table_name = ?`, [table])
    : await rawRows<{ target: string }>(db, 'select distinct "table" as target from pragma_foreign_key_list(?)', [table]);
  return rows.map((r) => r.target).sort();
}
