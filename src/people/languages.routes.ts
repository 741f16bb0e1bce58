// /people/languages: what the migration of free-text languages to codes could not read, for a manager to check.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { queryString } from '../http/forms.js';
import { openLanguageReviews, resolveLanguageReview } from './languages.queries.js';
import { pageNumber } from '../shared/validate.js';

export function languagesRoutes({ db }: { db: Knex }) {
  const r = Router();
  // data quality, as finding duplicates: managers and admins
  const manage = authorize('people.merge');

  r.get('/people/languages', manage, async (req, res) => {
    const result = await openLanguageReviews(db, pageNumber(queryString(req, 'page')), req.locale);
    res.render('people/languages', { title: req.t('languages.review.title'), result });
  });

  r.post('/people/languages/:id/done', manage, async (req, res) => {
    if (await resolveLanguageReview(db, actorOf(req), parseId(req.params.id))) flash(req, 'success', 'languages.review.doneFlash');
    res.redirect('/people/languages');
  });

  return r;
}
