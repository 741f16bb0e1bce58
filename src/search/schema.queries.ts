// The search tables on PostgreSQL (migrations 20261127000005 and 20261127100001 call these; SQLite's
// versions stay in those migrations). Same names and meaning on both databases:
// - people_fts (rowid = people.id, doc) plus `tsv`, the document's words as a tsvector with a GIN index. The
//   words are cut and folded in JavaScript by the one index writer (index.queries.ts, searchTokens), so
//   PostgreSQL finds exactly what SQLite's FTS5 (unicode61, remove_diacritics 2) finds.
// - search_changes (seq, person_id), the change feed of the in-memory snapshot, filled by triggers. On
//   PostgreSQL the triggers are deferred to commit and serialise on one advisory lock, so seq follows commit
//   order: a reader that has seen seq N has seen every change up to N (with plain row triggers a slower
//   transaction could commit a smaller seq after a reader moved past it).
import type { Knex } from 'knex';

/** The advisory lock key the change feed's writers serialise on (pg_advisory_xact_lock). */
export const CHANGE_FEED_LOCK = 734_211_001;

export async function createTextIndexPg(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE people_fts (rowid integer PRIMARY KEY, doc text NOT NULL, tsv tsvector NOT NULL)');
  await knex.raw('CREATE INDEX people_fts_tsv ON people_fts USING gin (tsv)');
}

export async function dropTextIndexPg(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE people_fts');
}

/** Tables whose changes can alter a search result, and the trigger events on each. */
export const CHANGE_FEED_TABLES: [table: string, events: string][] = [
  ['people', 'INSERT OR UPDATE OR DELETE'],
  ['person_skills', 'INSERT OR UPDATE OR DELETE'],
  ['person_tags', 'INSERT OR DELETE'],
  ['engagements', 'INSERT OR UPDATE OR DELETE'],
  ['projects', 'UPDATE OF organisation_id, kind, start_date, end_date'],
];

export async function createChangeFeedPg(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE search_changes (seq bigserial PRIMARY KEY, person_id integer NOT NULL)');
  await knex.raw(`CREATE FUNCTION search_changes_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${CHANGE_FEED_LOCK});
  IF TG_TABLE_NAME = 'people' THEN
    INSERT INTO search_changes (person_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  ELSIF TG_TABLE_NAME = 'projects' THEN
    INSERT INTO search_changes (person_id) SELECT person_id FROM engagements WHERE project_id = NEW.id;
  ELSE
    IF TG_OP <> 'INSERT' THEN INSERT INTO search_changes (person_id) VALUES (OLD.person_id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.person_id <> OLD.person_id) THEN
      INSERT INTO search_changes (person_id) VALUES (NEW.person_id);
    END IF;
  END IF;
  RETURN NULL;
END $$`);
  for (const [table, events] of CHANGE_FEED_TABLES) {
    await knex.raw(`CREATE CONSTRAINT TRIGGER search_changes_${table} AFTER ${events} ON ${table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_changes_log()`);
  }
  // The log keeps itself short (the last 20,000 entries), as on SQLite.
  await knex.raw(`CREATE FUNCTION search_changes_prune() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_changes WHERE seq <= NEW.seq - 20000;
  RETURN NULL;
END $$`);
  await knex.raw(`CREATE TRIGGER search_changes_prune AFTER INSERT ON search_changes
    FOR EACH ROW WHEN (NEW.seq % 1000 = 0) EXECUTE FUNCTION search_changes_prune()`);
}

export async function dropChangeFeedPg(knex: Knex): Promise<void> {
  for (const [table] of CHANGE_FEED_TABLES) await knex.raw(`DROP TRIGGER IF EXISTS search_changes_${table} ON ${table}`);
  await knex.raw('DROP TABLE search_changes');
  await knex.raw('DROP FUNCTION search_changes_log()');
  await knex.raw('DROP FUNCTION search_changes_prune()');
}
