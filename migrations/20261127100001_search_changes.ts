import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';
import { createChangeFeedPg, dropChangeFeedPg } from '../src/search/schema.queries.js';

// People search keeps an in-memory snapshot of what it filters and counts on (src/search/snapshot.service.ts):
// at 100,000 people SQLite needs ~1 µs per row for a facet join, far too slow for counts over large results.
// Triggers log every change that can alter a search result; the highest seq is the snapshot's version, and
// the logged person ids let it refresh. The log keeps itself short (the last 20,000 entries).
// Note for later migrations: SQLite drops a table's triggers when knex rebuilds it (dropColumn, renameColumn
// and the like on people, person_skills, person_tags, engagements or projects); re-create these triggers then.
// The search notices missing triggers and stays correct (it reloads on every search) but slow, and says so.

const LOG = (personIds: string) => `INSERT INTO search_changes (person_id) ${personIds};`;

const SEARCH_TRIGGERS: [string, string, string][] = [
  ['search_changes_people_insert', 'AFTER INSERT ON people', LOG('VALUES (NEW.id)')],
  ['search_changes_people_update', 'AFTER UPDATE ON people', LOG('VALUES (NEW.id)')],
  ['search_changes_people_delete', 'AFTER DELETE ON people', LOG('VALUES (OLD.id)')],
  ['search_changes_person_skills_insert', 'AFTER INSERT ON person_skills', LOG('VALUES (NEW.person_id)')],
  ['search_changes_person_skills_update', 'AFTER UPDATE ON person_skills', LOG('VALUES (NEW.person_id)')],
  ['search_changes_person_skills_delete', 'AFTER DELETE ON person_skills', LOG('VALUES (OLD.person_id)')],
  ['search_changes_person_tags_insert', 'AFTER INSERT ON person_tags', LOG('VALUES (NEW.person_id)')],
  ['search_changes_person_tags_delete', 'AFTER DELETE ON person_tags', LOG('VALUES (OLD.person_id)')],
  ['search_changes_engagements_insert', 'AFTER INSERT ON engagements', LOG('VALUES (NEW.person_id)')],
  ['search_changes_engagements_update', 'AFTER UPDATE ON engagements', LOG('VALUES (OLD.person_id), (NEW.person_id)')],
  ['search_changes_engagements_delete', 'AFTER DELETE ON engagements', LOG('VALUES (OLD.person_id)')],
  ['search_changes_projects_update', 'AFTER UPDATE OF organisation_id, kind, start_date, end_date ON projects',
    LOG('SELECT person_id FROM engagements WHERE project_id = NEW.id')],
  ['search_changes_prune', 'AFTER INSERT ON search_changes WHEN NEW.seq % 1000 = 0',
    'DELETE FROM search_changes WHERE seq <= NEW.seq - 20000;'],
];

// PostgreSQL: plpgsql triggers deferred to commit (src/search/schema.queries.ts).
export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return createChangeFeedPg(knex);
  await knex.raw('CREATE TABLE search_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, person_id INTEGER NOT NULL)');
  for (const [name, when, body] of SEARCH_TRIGGERS) await knex.raw(`CREATE TRIGGER ${name} ${when} BEGIN ${body} END`);
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) return dropChangeFeedPg(knex);
  // IF EXISTS: rebuilding a table (knex does for dropColumn on SQLite) drops its triggers along with it.
  for (const [name] of [...SEARCH_TRIGGERS].reverse()) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
  await knex.raw('DROP TABLE search_changes');
}
