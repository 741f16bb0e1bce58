// /imports: the history of import batches with undo, plus the wizard (wizard.routes.ts).
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { batchPeople, findBatch, listBatches } from './imports.queries.js';
import { UndoConflictError, undoBatch, undoImpact } from './undo.service.js';
import { wizardRoutes } from './wizard.routes.js';
import { pageNumber } from '../shared/validate.js';

const PAGE = 50;

export function importsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const run = authorize('imports.run');
  // the import pages' own stylesheet and progressive-enhancement script
  r.use('/imports', (_req, res, next) => {
    res.locals.styles = ['/imports.css'];
    res.locals.scripts = ['/imports.js'];
    next();
  });

  r.get('/imports', run, async (req, res) => {
    const page = pageNumber(req.query.page);
    const { rows, total } = await listBatches(db, { limit: PAGE, offset: (page - 1) * PAGE });
    res.render('imports/list', { title: req.t('imports.title'), batches: rows, page, pages: Math.max(1, Math.ceil(total / PAGE)) });
  });

  r.use(wizardRoutes({ db }));

  r.get('/imports/:id', run, async (req, res) => {
    const batch = found(await findBatch(db, parseId(req.params.id)));
    const page = pageNumber(req.query.page);
    const people = await batchPeople(db, batch.id, { limit: PAGE, offset: (page - 1) * PAGE });
    res.render('imports/batch', {
      title: req.t('imports.batchTitle', { id: batch.id }), batch, people: people.rows, page, pages: Math.max(1, Math.ceil(people.total / PAGE)),
    });
  });

  r.get('/imports/:id/undo', run, async (req, res) => {
    const batch = found(await findBatch(db, parseId(req.params.id)));
    const impact = batch.undone_at ? null : await undoImpact(db, batch.id);
    res.render('imports/undo', { title: req.t('imports.undoTitle', { id: batch.id }), batch, impact });
  });

  r.post('/imports/:id/undo', run, async (req, res) => {
    const batch = found(await findBatch(db, parseId(req.params.id)));
    if (batch.undone_at) {
      flash(req, 'info', 'imports.alreadyUndone');
      return res.redirect(303, `/imports/${batch.id}`);
    }
    try {
      const done = await undoBatch(db, actorOf(req), batch.id, { force: bodyOf(req).confirm_conflicts === '1' });
      flash(req, 'success', 'imports.undoDone', { id: batch.id, ...done });
      res.redirect(303, `/imports/${batch.id}`);
    } catch (err) {
      if (!(err instanceof UndoConflictError)) throw err;
      // people changed since the import: show them and ask again
      res.status(409).render('imports/undo', { title: req.t('imports.undoTitle', { id: batch.id }), batch, impact: err.impact });
    }
  });

  return r;
}
