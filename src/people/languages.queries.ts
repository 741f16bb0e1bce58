// The review of languages the migration to codes could not read (language_reviews): list, count, mark done.
import type { Knex } from 'knex';
import { byName, nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';

export const LANGUAGE_REVIEW_PAGE_SIZE = 50;

export interface LanguageReviewRow {
  id: number;
  person_id: number;
  first_name: string;
  last_name: string;
  original: string;
  unmapped: string;
  languages: string | null;
}

/** Entries not yet marked done, by person name. */
export async function openLanguageReviews(db: Knex, page: number, locale = 'en'): Promise<{ rows: LanguageReviewRow[]; total: number; page: number; pages: number }> {
  const total = await countOpenLanguageReviews(db);
  const pages = Math.max(1, Math.ceil(total / LANGUAGE_REVIEW_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db('language_reviews as r')
    .join('people as p', 'p.id', 'r.person_id')
    .whereNull('r.resolved_at')
    .orderBy(byName(db, 'p.last_name', locale)).orderBy(byName(db, 'p.first_name', locale)).orderBy('r.id')
    .limit(LANGUAGE_REVIEW_PAGE_SIZE)
    .offset((current - 1) * LANGUAGE_REVIEW_PAGE_SIZE)
    .select('r.id', 'r.person_id', 'p.first_name', 'p.last_name', 'r.original', 'r.unmapped', 'p.languages');
  return { rows, total, page: current, pages };
}

export async function countOpenLanguageReviews(db: Knex): Promise<number> {
  return Number((await db('language_reviews').whereNull('resolved_at').count<{ n: number }>({ n: '*' }).first())?.n ?? 0);
}

/** Marks one entry done (audited on the person); false when it is unknown or done already. */
export async function resolveLanguageReview(db: Knex, actor: Actor, id: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    const row = await trx('language_reviews').where({ id }).whereNull('resolved_at').first('person_id', 'unmapped');
    if (!row) return false;
    await trx('language_reviews').where({ id }).update({ resolved_at: nowIso(), resolved_by_user_id: actor.userId });
    await recordAudit(trx, actor, { action: 'languages.reviewed', entityType: 'person', entityId: row.person_id, changes: { unmapped: row.unmapped } });
    return true;
  });
}
