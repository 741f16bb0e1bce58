// Saved searches of a user: list, create, delete (audited).
import type { Knex } from 'knex';
import { nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import type { SavedSearchInput } from './saved-searches.domain.js';

export interface SavedSearch {
  id: number;
  user_id: number;
  name: string;
  query: string;
  created_at: string;
}

/** A user's saved searches, by name. */
export function listSavedSearches(db: Knex, userId: number): Promise<SavedSearch[]> {
  return db('saved_searches').where({ user_id: userId }).orderBy([{ column: 'name' }, { column: 'id' }])
    .select('id', 'user_id', 'name', 'query', 'created_at');
}

/** One saved search, only if it belongs to this user. */
export function findSavedSearch(db: Knex, userId: number, id: number): Promise<SavedSearch | undefined> {
  return db('saved_searches').where({ id, user_id: userId }).first('id', 'user_id', 'name', 'query', 'created_at');
}

/** Saves a search under a name for the user; returns its id. */
export async function createSavedSearch(db: Knex, actor: Actor, userId: number, input: SavedSearchInput): Promise<number> {
  return db.transaction(async (trx) => {
    const [row] = await trx('saved_searches').insert({ user_id: userId, name: input.name, query: input.query, created_at: nowIso() }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await recordAudit(trx, actor, { action: 'create', entityType: 'saved_search', entityId: id, changes: { ...input } });
    return id;
  });
}

/** Deletes a saved search (the caller has checked it is the user's). */
export async function deleteSavedSearch(db: Knex, actor: Actor, search: SavedSearch): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('saved_searches').where({ id: search.id }).del();
    await recordAudit(trx, actor, { action: 'delete', entityType: 'saved_search', entityId: search.id, changes: { name: search.name, query: search.query } });
  });
}
