import type { Knex } from 'knex';
import { isPostgres } from '../src/db.js';
import { CHANGE_FEED_LOCK } from '../src/search/schema.queries.js';

// The search box reads skill names, aliases and tags from in-memory lookup tables (src/search/vocabulary.queries.ts).
// They follow the database through the search change feed: a change to skills, skill_aliases or tags logs
// person_id 0 (no person has id 0; the snapshot ignores it), so every instance sees its tables are stale.
const TABLES = ['skills', 'skill_aliases', 'tags'] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;

export async function up(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    await knex.raw(`CREATE FUNCTION search_vocabulary_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${CHANGE_FEED_LOCK});
  INSERT INTO search_changes (person_id) VALUES (0);
  RETURN NULL;
END $$`);
    for (const table of TABLES) {
      await knex.raw(`CREATE CONSTRAINT TRIGGER search_vocabulary_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_vocabulary_log()`);
    }
    return;
  }
  for (const table of TABLES) {
    for (const ev of EVENTS) {
      await knex.raw(`CREATE TRIGGER search_vocabulary_${table}_${ev} AFTER ${ev.toUpperCase()} ON ${table} BEGIN INSERT INTO search_changes (person_id) VALUES (0); END`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) {
    for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS search_vocabulary_${table} ON ${table}`);
    await knex.raw('DROP FUNCTION search_vocabulary_log()');
    return;
  }
  for (const table of TABLES) for (const ev of EVENTS) await knex.raw(`DROP TRIGGER IF EXISTS search_vocabulary_${table}_${ev}`);
}
