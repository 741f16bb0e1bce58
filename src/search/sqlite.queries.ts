// The prepared statements of people search, cached per connection (the hot path prepares nothing twice).
import type { Database, Statement } from 'better-sqlite3';

const statements = new WeakMap<Database, Map<string, Statement>>();

export function prepared(conn: Database, sql: string): Statement {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) {
    if (cache.size > 200) cache.clear();
    st = conn.prepare(sql);
    cache.set(sql, st);
  }
  return st;
}

export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
