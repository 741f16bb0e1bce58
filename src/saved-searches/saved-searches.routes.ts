// /searches: a user's saved people searches: save the current search, list them, delete one (after confirming).
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { canonicalQuery, validateSavedSearch } from './saved-searches.domain.js';
import { createSavedSearch, deleteSavedSearch, findSavedSearch, listSavedSearches } from './saved-searches.queries.js';

export function savedSearchesRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');

  r.get('/searches', read, async (req, res) => {
    res.render('saved-searches/index', { title: req.t('searches.title'), savedSearches: await listSavedSearches(db, req.user!.id), values: {}, errors: {} });
  });

  r.post('/searches', read, async (req, res) => {
    const body = bodyOf(req);
    const result = validateSavedSearch(body);
    if (!result.ok) {
      return renderInvalid(res, 'saved-searches/index', {
        title: req.t('searches.title'), savedSearches: await listSavedSearches(db, req.user!.id),
        values: { ...body, query: canonicalQuery(String(body.query ?? '')) }, errors: result.errors,
      });
    }
    await createSavedSearch(db, actorOf(req), req.user!.id, result.value);
    flash(req, 'success', 'searches.saved', { name: result.value.name });
    res.redirect(result.value.query ? `/people?${result.value.query}` : '/people');
  });

  r.get('/searches/:id/delete', read, async (req, res) => {
    const search = found(await findSavedSearch(db, req.user!.id, parseId(req.params.id)));
    res.render('saved-searches/delete', { title: req.t('searches.deleteTitle', { name: search.name }), search });
  });

  r.post('/searches/:id/delete', read, async (req, res) => {
    const search = found(await findSavedSearch(db, req.user!.id, parseId(req.params.id)));
    await deleteSavedSearch(db, actorOf(req), search);
    flash(req, 'success', 'searches.deleted', { name: search.name });
    res.redirect('/searches');
  });

  return r;
}
