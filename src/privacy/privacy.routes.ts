// Data protection screens: consents on a person, access/portability download, erasure, re-confirmation and
// the stale-record review with bulk actions.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, HttpError, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, queryString, renderInvalid } from '../http/forms.js';
import { findPerson } from '../people/people.queries.js';
import { displayName } from '../people/people.domain.js';
import {
  BULK_ACTIONS, CONSENT_METHODS, CONSENT_PURPOSES, CONSENT_STATUSES, flattenForCsv, parseIdList, personDataCsv, reviewCutoff,
  validateConsent, withdrawalPurpose, type BulkAction,
} from './privacy.domain.js';
import { exportRowCount, personConsents, personDataExport, recordConsent, recordDataExport, withdrawConsent } from './privacy.queries.js';
import { CAMPAIGN_ANSWER_DAYS } from '../campaigns/campaigns.domain.js';
import { anonymisePeople, confirmPeople, erasePeople, eraseImpact, existingPeopleIds, peopleToConfirm, staleRecords } from './retention.queries.js';
import { xlsxBuffer } from '../exports/xlsx.writer.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Back to the page the form was on: the person's page or their data-protection page. */
function backTo(body: Record<string, unknown>, id: number): string {
  return body.return === 'privacy' ? `/people/${id}/privacy` : `/people/${id}`;
}

const consentChoices = { purposes: CONSENT_PURPOSES, statuses: CONSENT_STATUSES, methods: CONSENT_METHODS };

export function privacyRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const manage = authorize('privacy.manage');
  const consentWrite = authorize('consents.record');

  const loadPerson = async (raw: unknown) => found(await findPerson(db, parseId(raw)));

  r.get('/people/:id/privacy', read, async (req, res) => {
    const person = await loadPerson(req.params.id);
    res.render('privacy/person', { title: req.t('privacy.pageTitle', { name: displayName(person) }), person, consents: await personConsents(db, person.id) });
  });

  r.get('/people/:id/consents/new', consentWrite, async (req, res) => {
    const person = await loadPerson(req.params.id);
    res.render('privacy/consent', { title: req.t('privacy.recordTitle', { name: displayName(person) }), person, ...consentChoices, values: { status: 'given' }, returnTo: 'privacy' });
  });

  r.post('/people/:id/consents', consentWrite, async (req, res) => {
    const person = await loadPerson(req.params.id);
    const body = bodyOf(req);
    const result = validateConsent(body);
    if (!result.ok) {
      return renderInvalid(res, 'privacy/consent', {
        title: req.t('privacy.recordTitle', { name: displayName(person) }), person, ...consentChoices, values: body, errors: result.errors,
        returnTo: body.return === 'privacy' ? 'privacy' : 'person',
      });
    }
    await recordConsent(db, actorOf(req), person.id, result.value);
    flash(req, 'success', 'privacy.recorded');
    res.redirect(backTo(body, person.id));
  });

  r.post('/people/:id/consents/withdraw', consentWrite, async (req, res) => {
    const person = await loadPerson(req.params.id);
    const body = bodyOf(req);
    const purpose = withdrawalPurpose(body.purpose);
    const label = purpose && (CONSENT_PURPOSES as readonly string[]).includes(purpose) ? req.t(`privacy.purpose.${purpose}`) : (purpose ?? '');
    if (purpose && (await withdrawConsent(db, actorOf(req), person.id, purpose))) flash(req, 'success', 'privacy.withdrawn', { purpose: label });
    else flash(req, 'error', 'privacy.notGiven', { purpose: label });
    res.redirect(backTo(body, person.id));
  });

  r.post('/people/:id/confirm', consentWrite, async (req, res) => {
    const person = await loadPerson(req.params.id);
    await confirmPeople(db, actorOf(req), [person.id]);
    flash(req, 'success', 'privacy.confirmed', { name: displayName(person) });
    res.redirect(backTo(bodyOf(req), person.id));
  });

  r.get('/people/:id/data-export', manage, async (req, res) => {
    const id = parseId(req.params.id);
    const format = queryString(req, 'format') || 'json';
    if (format !== 'json' && format !== 'csv' && format !== 'xlsx') throw new HttpError(400);
    const data = found(await personDataExport(db, id));
    await recordDataExport(db, actorOf(req), id, format, exportRowCount(data));
    res.set('Cache-Control', 'no-store');
    res.attachment(`person-${id}-data.${format}`);
    if (format === 'json') res.type('application/json').send(JSON.stringify(data, null, 2));
    else if (format === 'xlsx') res.type(XLSX_TYPE).send(await xlsxBuffer(['section', 'field', 'value'], flattenForCsv(data as unknown as Record<string, unknown>), `person-${id}`));
    else res.type('text/csv; charset=utf-8').send(personDataCsv(data as unknown as Record<string, unknown>));
  });

  r.get('/people/:id/erase', manage, async (req, res) => {
    const person = await loadPerson(req.params.id);
    res.render('privacy/erase', { title: req.t('privacy.eraseTitle', { name: displayName(person) }), person, impact: await eraseImpact(db, person.id) });
  });

  r.post('/people/:id/erase', manage, async (req, res) => {
    const person = await loadPerson(req.params.id);
    await erasePeople(db, actorOf(req), [person.id]);
    flash(req, 'success', 'privacy.erased', { id: person.id });
    res.redirect('/people');
  });

  const reviewLocals = async (req: import('express').Request, page: number) => {
    const months: number = req.app.locals.config?.reviewMonths ?? 24;
    const cutoff = reviewCutoff(new Date(), months);
    const result = await staleRecords(db, cutoff, page, 50, new Date(Date.now() - CAMPAIGN_ANSWER_DAYS * 86_400_000).toISOString());
    return { title: req.t('privacy.review.title'), months, cutoff, result, answerDays: CAMPAIGN_ANSWER_DAYS };
  };

  r.get('/privacy/review', manage, async (req, res) => {
    const page = Number(queryString(req, 'page')) || 1;
    res.render('privacy/review', { ...(await reviewLocals(req, page)), selected: [] });
  });

  r.post('/privacy/review', manage, async (req, res) => {
    const body = bodyOf(req);
    const page = Number(body.page) || 1;
    const action = String(body.action ?? '') as BulkAction;
    const ids = await existingPeopleIds(db, parseIdList(body.ids));
    const errors: Record<string, string> = {};
    if (!(BULK_ACTIONS as readonly string[]).includes(action)) errors.action = 'privacy.review.badAction';
    if (!ids.length) errors.ids = 'privacy.review.noneSelected';
    if (Object.keys(errors).length) {
      return renderInvalid(res, 'privacy/review', { ...(await reviewLocals(req, page)), selected: ids, errors });
    }
    const back = page > 1 ? `/privacy/review?page=${page}` : '/privacy/review';
    if (action === 'confirm') {
      const n = await confirmPeople(db, actorOf(req), ids);
      flash(req, 'success', 'privacy.review.confirmed', { count: n });
      return res.redirect(back);
    }
    if (body.confirmed !== '1') {
      const people = await peopleToConfirm(db, ids);
      return res.render('privacy/bulk-confirm', {
        title: req.t(`privacy.review.${action}Title`, { count: ids.length }), action, ids, people, page,
      });
    }
    const n = action === 'erase' ? await erasePeople(db, actorOf(req), ids) : await anonymisePeople(db, actorOf(req), ids);
    flash(req, 'success', action === 'erase' ? 'privacy.review.erased' : 'privacy.review.anonymised', { count: n });
    res.redirect(back);
  });

  return r;
}
