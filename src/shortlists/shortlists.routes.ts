// /projects/:id/shortlist: who is considered for a project and how far each one is (suggested → shortlisted →
// asked → accepted / declined); accepting records the engagement. Adding comes from the suggestions page (and
// the people search's bulk action, which calls addToShortlist itself).
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { forbidden, found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { displayName } from '../people/people.domain.js';
import { findProject, type ProjectRow } from '../projects/projects.queries.js';
import { RECENTLY_ASKED_DAYS, SHORTLIST_STATES, SHORTLIST_TRANSITIONS, REMOVABLE_STATES, canShortlist, readStateChange, recentlyAskedSince } from './shortlists.domain.js';
import {
  ShortlistConflict, addToShortlist, askedElsewhereSince, changeShortlistState, coveredSkillNames, findShortlistEntry, projectShortlist,
  removeFromShortlist, shortlistEvents,
} from './shortlists.queries.js';

const today = () => new Date().toISOString().slice(0, 10);

/** Person ids from a form: `person_id` (one button) wins over `ids` (ticked boxes). */
export function chosenPersonIds(body: Record<string, unknown>): number[] {
  const one = String(body.person_id ?? '');
  const raw = /^\d{1,15}$/.test(one) ? [one] : ([] as unknown[]).concat(body.ids ?? []).map(String);
  return [...new Set(raw.filter((s) => /^[1-9]\d{0,14}$/.test(s)).map(Number))];
}

/** Where to go back to after adding: the suggestions page with its filters, or the shortlist. */
function backTo(project: ProjectRow, raw: unknown): string {
  const s = String(raw ?? '');
  const suggestions = `/projects/${project.id}/suggestions`;
  if (s === suggestions || s.startsWith(`${suggestions}?`)) return s;
  return `/projects/${project.id}/shortlist`;
}

export function shortlistsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const write = authorize('engagements.write');

  async function manageable(req: Request): Promise<ProjectRow> {
    const project = found(await findProject(db, parseId(req.params.id)));
    if (!canShortlist(req.user, project)) throw forbidden();
    return project;
  }

  r.get('/projects/:id/shortlist', read, async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    const rows = await projectShortlist(db, project.id);
    const [events, askedElsewhere] = await Promise.all([
      shortlistEvents(db, project.id),
      askedElsewhereSince(db, project.id, rows.map((x) => x.person_id), recentlyAskedSince(new Date())),
    ]);
    res.render('shortlists/list', {
      title: req.t('shortlist.title', { title: project.title }), project, rows, events, askedElsewhere,
      transitions: SHORTLIST_TRANSITIONS, removable: REMOVABLE_STATES, states: SHORTLIST_STATES,
      canChange: canShortlist(req.user, project), recentDays: RECENTLY_ASKED_DAYS, errors: {},
    });
  });

  r.post('/projects/:id/shortlist', write, async (req, res) => {
    const project = await manageable(req);
    const body = bodyOf(req);
    const ids = chosenPersonIds(body);
    const back = backTo(project, body.return);
    if (!ids.length) {
      flash(req, 'error', 'shortlist.nobodyChosen');
      return res.redirect(back);
    }
    const result = await addToShortlist(db, actorOf(req), project.id, ids, { via: back.includes('/suggestions') ? 'suggestions' : 'shortlist' });
    flash(req, 'success', 'shortlist.added', { count: result.added.length, title: project.title });
    if (result.already.length) flash(req, 'info', 'shortlist.alreadyOn', { count: result.already.length });
    if (result.doNotContact.length) flash(req, 'info', 'shortlist.leftOutDnc', { count: result.doNotContact.length });
    res.redirect(back);
  });

  r.post('/projects/:id/shortlist/:personId', write, async (req, res) => {
    const project = await manageable(req);
    const entry = found(await findShortlistEntry(db, project.id, parseId(req.params.personId)));
    const change = readStateChange(entry.state, bodyOf(req));
    const name = displayName(entry);
    if (!change.ok) {
      flash(req, 'error', change.error);
      return res.redirect(`/projects/${project.id}/shortlist#entry-${entry.person_id}`);
    }
    const engagement = change.to === 'accepted' ? {
      person_id: entry.person_id, role: (await coveredSkillNames(db, project.id, entry.person_id, req.locale)).join(', ').slice(0, 200) || null,
      start_date: project.start_date ?? today(), end_date: null, hours: null, paid: false, rate: null, outcome: null, feedback: null, rating: null, handover: null,
    } : undefined;
    try {
      await changeShortlistState(db, actorOf(req), entry, project.id, change, engagement);
    } catch (err) {
      if (!(err instanceof ShortlistConflict)) throw err;
      flash(req, 'error', 'shortlist.conflict');
      return res.redirect(`/projects/${project.id}/shortlist#entry-${entry.person_id}`);
    }
    if (change.to === 'accepted') {
      flash(req, 'success', 'shortlist.accepted', { name, title: project.title });
      return res.redirect(`/projects/${project.id}`);
    }
    flash(req, 'success', 'shortlist.changed', { name, state: req.t(`shortlist.states.${change.to}`) });
    res.redirect(`/projects/${project.id}/shortlist#entry-${entry.person_id}`);
  });

  r.get('/projects/:id/shortlist/:personId/delete', write, async (req, res) => {
    const project = await manageable(req);
    const entry = found(await findShortlistEntry(db, project.id, parseId(req.params.personId)));
    if (!REMOVABLE_STATES.includes(entry.state)) throw forbidden();
    res.render('shortlists/delete', { title: req.t('shortlist.removeTitle', { name: displayName(entry), title: project.title }), project, entry });
  });

  r.post('/projects/:id/shortlist/:personId/delete', write, async (req, res) => {
    const project = await manageable(req);
    const entry = found(await findShortlistEntry(db, project.id, parseId(req.params.personId)));
    if (await removeFromShortlist(db, actorOf(req), project.id, [entry.person_id])) flash(req, 'success', 'shortlist.removed', { name: displayName(entry) });
    else flash(req, 'error', 'shortlist.notAllowed');
    res.redirect(`/projects/${project.id}/shortlist`);
  });

  return r;
}
