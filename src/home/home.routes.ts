// /: the start page with the network's counts and the main actions.
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../users/auth.service.js';
import { PROJECT_KINDS } from '../projects/projects.domain.js';
import { shiftMonths } from '../insights/insights.domain.js';
import { homeCounts } from './home.queries.js';
import { listSavedSearches } from '../saved-searches/saved-searches.queries.js';
import { countOpenLanguageReviews } from '../people/languages.queries.js';
import { can } from '../users/roles.domain.js';

export function homeRoutes({ db }: { db: Knex }) {
  const r = Router();
  r.get('/', authorize('directory.read'), async (req, res) => {
    const today = new Date().toISOString().slice(0, 10);
    const counts = await homeCounts(db, shiftMonths(today, -12));
    const byKind = new Map(counts.projectsByKind.map((k) => [k.kind, k.n]));
    res.render('home/index', {
      title: req.t('nav.home'), counts, kinds: PROJECT_KINDS.map((k) => ({ kind: k, n: byKind.get(k) ?? 0 })),
      empty: counts.people === 0 && counts.projects === 0 && counts.organisations === 0,
      savedSearches: await listSavedSearches(db, req.user!.id),
      // languages the move to codes could not read: a notice for whoever may check them
      languageReviews: can(req.user!.role, 'people.merge') ? await countOpenLanguageReviews(db) : 0,
    });
  });
  return r;
}
