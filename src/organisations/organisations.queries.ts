// Organisations.
import type { Knex } from 'knex';

/** id and name of every organisation, for pickers. */
export function listOrganisationOptions(db: Knex): Promise<{ id: number; name: string }[]> {
  return db('organisations').orderBy('name').select('id', 'name');
}
