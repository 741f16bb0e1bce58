// /people/bulk: act on the people a search chose (ticked on the page, or all that match). GET shows what will
// happen and to how many (the confirmation step, no JavaScript needed); POST runs it as one audited change and
// leads to a result page that can undo it. Export and mail hand the chosen people on to their own screens.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, HttpError, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { LIMITS } from '../shared/validate.js';
import { findAllPeopleIds } from '../search/search.queries.js';
import { filtersToParams, parsePeopleFilters, type PeopleFilters } from '../search/search.domain.js';
import { filtersFromParams } from '../search/looser.service.js';
import { peopleToConfirm } from '../privacy/retention.queries.js';
import { findProject } from '../projects/projects.queries.js';
import { PROJECT_LIMITS } from '../projects/projects.domain.js';
import { canShortlist } from '../shortlists/shortlists.domain.js';
import { BULK_PERMISSION, HANDED_ON, isBulkAction, scopeOf, UNDOABLE, type BulkAction, type Scope } from './bulk.domain.js';
import { bulkDelete, bulkDoNotContact, bulkShortlist, bulkTag, projectsTitled, changedIds, engagementCount, findBulkChange, undoBulkChange } from './bulk.queries.js';

const SAMPLE = 20;

/** The chosen people's search: the ticked ones (`id`) within the search, or everyone it finds. */
function chosenFilters(f: PeopleFilters, scope: Scope): PeopleFilters {
  return { ...f, ids: scope === 'all' ? [] : f.ids, page: 1 };
}

/** Checks the permission of the action named in the query or form (403 for a role without it; 400 for no action). */
function permitted(req: Request, res: Response, next: NextFunction): void {
  const raw = req.method === 'GET' ? (req.query as Record<string, unknown>).action : bodyOf(req).action;
  if (!isBulkAction(raw)) return next(new HttpError(400));
  authorize(BULK_PERMISSION[raw])(req, res, next);
}

export function bulkRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');

  const confirmLocals = async (req: Request, action: BulkAction, scope: Scope, filters: PeopleFilters, values: Record<string, unknown>) => {
    const ids = await findAllPeopleIds(db, filters);
    const query = filtersToParams(filters, { page: null });
    return {
      title: req.t(`bulk.${action}.title`, { count: ids.length }), action, scope, query, count: ids.length, hidden: [...new URLSearchParams(query)],
      sample: await peopleToConfirm(db, ids, SAMPLE), engagements: action === 'delete' ? await engagementCount(db, ids) : 0,
      backHref: query ? `/people?${query}` : '/people', values, errors: {} as Record<string, string>,
      ...(action === 'shortlist' ? await projectChoice(req, values) : {}),
    };
  };

  /** The shortlist's project: found by words of its title (a search step that keeps what was typed; no JavaScript needed). */
  const projectChoice = async (req: Request, values: Record<string, unknown>) => {
    const projectQ = String(values.project_q ?? '').trim().slice(0, PROJECT_LIMITS.title);
    const chosen = /^\d{1,9}$/.test(String(values.project ?? '')) ? await findProject(db, Number(values.project)) : undefined;
    const own = req.user?.role === 'staff' ? (req.user.organisation_id ?? -1) : null;
    const projects = projectQ ? await projectsTitled(db, projectQ, own) : [];
    return { projectQ, projects, chosenProject: chosen && canShortlist(req.user, chosen) ? chosen : null };
  };

  r.get('/people/bulk', read, permitted, async (req, res) => {
    const action = (req.query as Record<string, unknown>).action as BulkAction;
    const scope = scopeOf((req.query as Record<string, unknown>).scope);
    const filters = chosenFilters(parsePeopleFilters(req.query as Record<string, unknown>), scope);
    const query = filtersToParams(filters, { page: null });
    if (scope === 'selected' && !filters.ids.length) {
      flash(req, 'error', 'bulk.noneSelected');
      return res.redirect(303, `/people?${filtersToParams(filters, { page: null, id: null })}`);
    }
    if (HANDED_ON.includes(action)) return res.redirect(303, `${action === 'export' ? '/exports/people' : '/campaigns/new'}${query ? `?${query}` : ''}`);
    const q = req.query as Record<string, unknown>;
    res.render('people/bulk-confirm', await confirmLocals(req, action, scope, filters, { tag: q.tag_name ?? '', project: q.project, project_q: q.project_q }));
  });

  r.post('/people/bulk', read, permitted, async (req, res) => {
    const body = bodyOf(req);
    const action = body.action as BulkAction;
    const scope = scopeOf(body.scope);
    const filters = chosenFilters(filtersFromParams(String(body.query ?? '')), scope);
    const tag = String(body.tag ?? '').trim();
    const errors: Record<string, string> = {};
    if ((action === 'tag_add' || action === 'tag_remove') && !tag) errors.tag = 'bulk.tagRequired';
    if (tag.length > LIMITS.tag) errors.tag = 'bulk.tagTooLong';
    const ids = await findAllPeopleIds(db, filters);
    if (action === 'delete' && body.confirm_history !== '1' && (await engagementCount(db, ids)) > 0) errors.confirm_history = 'bulk.delete.historyRequired';
    if (!ids.length) errors.ids = 'bulk.noneLeft';
    if (HANDED_ON.includes(action)) throw new HttpError(400);
    const project = action === 'shortlist' && /^\d{1,9}$/.test(String(body.project ?? '')) ? await findProject(db, Number(body.project)) : undefined;
    if (action === 'shortlist' && !project) errors.project = 'bulk.shortlist.projectRequired';
    if (project && !canShortlist(req.user, project)) throw new HttpError(403);
    if (Object.keys(errors).length) {
      return renderInvalid(res, 'people/bulk-confirm', { ...(await confirmLocals(req, action, scope, filters, body)), errors });
    }
    const query = filtersToParams(filters, { page: null });
    if (action === 'delete') {
      const n = await bulkDelete(db, actorOf(req), ids, query);
      flash(req, 'success', 'bulk.delete.done', { count: n });
      return res.redirect(303, '/people');
    }
    if (project) {
      const { id, result } = await bulkShortlist(db, actorOf(req), project, ids, query);
      flash(req, 'success', 'bulk.shortlist.skipped', { already: result.already.length, dnc: result.doNotContact.length });
      return res.redirect(303, `/people/bulk/${id}`);
    }
    const id = action === 'dnc' ? await bulkDoNotContact(db, actorOf(req), ids, query)
      : await bulkTag(db, actorOf(req), ids, tag, action === 'tag_add', query);
    res.redirect(303, `/people/bulk/${id}`);
  });

  const loadChange = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const change = found(await findBulkChange(db, parseId(req.params.id)));
      res.locals.change = change;
      authorize(BULK_PERMISSION[change.action])(req, res, next);
    } catch (err) {
      next(err);
    }
  };

  r.get('/people/bulk/:id', read, loadChange, async (req, res) => {
    const change = res.locals.change as Awaited<ReturnType<typeof findBulkChange>> & object;
    res.render('people/bulk-result', {
      title: req.t(`bulk.${change.action}.done`, { count: changedIds(change).length, chosen: change.chosen, label: change.label ?? '' }),
      change, changed: changedIds(change).length, undoable: UNDOABLE.includes(change.action) && !change.undone_at,
      backHref: change.query ? `/people?${change.query}` : '/people',
    });
  });

  r.post('/people/bulk/:id/undo', read, loadChange, async (req, res) => {
    const change = res.locals.change as Awaited<ReturnType<typeof findBulkChange>> & object;
    if (!UNDOABLE.includes(change.action)) throw new HttpError(400);
    const done = await undoBulkChange(db, actorOf(req), change);
    flash(req, done ? 'success' : 'error', done ? 'bulk.undone' : 'bulk.undoneAlready', { count: changedIds(change).length });
    res.redirect(303, `/people/bulk/${change.id}`);
  });

  return r;
}
