// /requests (managers): skill suggestions to approve or decline, erasure requests to carry out or decline, and
// confirmed offers from /join to accept (a new person, or merged by e-mail) or decline; the admin's /join switch.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { recordAudit } from '../audit/audit.queries.js';
import { setSetting } from '../settings/settings.queries.js';
import { listSkillOptions } from '../skills/skills.queries.js';
import { approveSkillSuggestion, decideRequest, findOpenRequest, openRequests } from './requests.queries.js';
import { acceptApplication, confirmedApplications, declineApplication, findConfirmedApplication } from '../join/join.queries.js';
import { joinEnabled } from '../join/join.routes.js';
import { likelyDuplicateOf } from '../duplicates/duplicates.queries.js';

export function requestsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const manage = authorize('privacy.manage');

  r.get('/requests', manage, async (req, res) => {
    const skillNames: Record<number, string> = {};
    for (const s of await listSkillOptions(db)) skillNames[s.id] = req.locale === 'de' && s.name_de ? s.name_de : s.name;
    const applications = await confirmedApplications(db);
    // an offer from someone not found by e-mail may still be a person already here (src/duplicates)
    for (const a of applications) {
      if (a.existing_person_id) continue;
      const d = a.data;
      const likely = await likelyDuplicateOf(db, { first_name: d.first_name, last_name: d.last_name, email: a.email, phone: null, city: d.city, postcode: null, country: null, organisation: null });
      if (likely) Object.assign(a, { likely });
    }
    res.render('me/requests', {
      title: req.t('requests.title'), requests: await openRequests(db), applications, skillNames,
      joinOn: await joinEnabled(db),
    });
  });

  r.post('/requests/:id/approve', manage, async (req, res) => {
    const request = found(await findOpenRequest(db, parseId(req.params.id)));
    if (request.kind !== 'skill') return res.redirect(`/people/${request.person_id}/erase`);
    await approveSkillSuggestion(db, actorOf(req), request);
    flash(req, 'success', 'requests.skillAdded');
    res.redirect('/requests');
  });

  r.post('/requests/:id/decline', manage, async (req, res) => {
    const request = found(await findOpenRequest(db, parseId(req.params.id)));
    await decideRequest(db, request.id, req.user!.id, 'declined');
    flash(req, 'success', 'requests.declined');
    res.redirect('/requests');
  });

  r.post('/join/applications/:id/accept', manage, async (req, res) => {
    const application = found(await findConfirmedApplication(db, parseId(req.params.id)));
    const { personId, merged } = await acceptApplication(db, actorOf(req), application);
    flash(req, 'success', merged ? 'requests.merged' : 'requests.accepted');
    res.redirect(`/people/${personId}`);
  });

  r.post('/join/applications/:id/decline', manage, async (req, res) => {
    if (await declineApplication(db, actorOf(req), parseId(req.params.id))) flash(req, 'success', 'requests.applicationDeclined');
    res.redirect('/requests');
  });

  r.post('/settings/join', authorize('settings.manage'), async (req, res) => {
    const on = bodyOf(req).join_enabled === '1';
    await setSetting(db, 'join_enabled', on ? '1' : '0');
    await recordAudit(db, actorOf(req), { action: 'update', entityType: 'setting', entityId: null, changes: { join_enabled: on } });
    flash(req, 'success', 'requests.joinSaved');
    res.redirect('/requests');
  });

  return r;
}
