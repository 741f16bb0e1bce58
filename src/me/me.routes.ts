// /me/TOKEN: a person's own page by signed link, without an account. The token opens this one person's page
// and nothing else; a wrong, expired or revoked token gets the same plain page.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { formatLanguages } from '../people/languages.domain.js';
import type { Knex } from 'knex';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { findPerson, personSkills, type PersonRow } from '../people/people.queries.js';
import { AVAILABILITY, displayName } from '../people/people.domain.js';
import { listSkillOptions, skillEntryCandidates } from '../skills/skills.queries.js';
import { matchSkills } from '../skills/skill-entry.domain.js';
import { readSkillEntry } from '../skills/skill-entry.service.js';
import { pickerQuery } from '../pickers/pickers.domain.js';
import { CONSENT_PURPOSES, currentConsents, todayIso } from '../privacy/privacy.domain.js';
import { isSuppressed, personConsents, recordConsent, withdrawConsent } from '../privacy/privacy.queries.js';
import { confirmPeople } from '../privacy/retention.queries.js';
import { LOCALES } from '../i18n/i18n.js';
import { validateOwnDetails, validateOwnSkills } from './me.domain.js';
import { addPersonRequest, findValidLink, noteLinkOutcome, noteLinkUsed, openRequestsOf, type PersonLink } from './me.queries.js';
import { auditOwnRequest, emailUsedByOther, selfActor, stopOwnMails, updateOwnDetails, updateOwnSkills } from './me.changes.queries.js';

interface MeLocals {
  link: PersonLink;
  person: PersonRow;
  token: string;
}

/** The one answer for every token that opens nothing: no hint whether it was wrong, expired or revoked. */
function invalidLink(req: Request, res: Response): void {
  res.status(404).render('me/invalid', { title: req.t('me.invalidTitle') });
}

export function meRoutes({ db }: { db: Knex }) {
  const r = Router();

  const load = (req: Request, res: Response, next: NextFunction) => {
    (async () => {
      res.set('Cache-Control', 'no-store');
      res.set('X-Robots-Tag', 'noindex');
      const token = String(req.params.token ?? '');
      const link = await findValidLink(db, token);
      const person = link ? await findPerson(db, link.person_id) : undefined;
      if (!link || !person) return invalidLink(req, res);
      res.locals.me = { link, person, token } satisfies MeLocals;
      next();
    })().catch(next);
  };
  const me = (res: Response) => res.locals.me as MeLocals;
  const home = (res: Response) => `/me/${me(res).token}`;

  const pageLocals = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const { person } = me(res);
    const consents = currentConsents(await personConsents(db, person.id));
    const skills = await personSkills(db, person.id);
    return {
      title: req.t('me.title', { name: displayName(person) }), person, base: home(res), name: displayName(person),
      skills, chosenSkills: skills.map((s) => ({ skillId: s.skill_id, level: s.level })), skillAdd: null,
      skillOptions: await listSkillOptions(db), availability: AVAILABILITY,
      locales: LOCALES, purposes: CONSENT_PURPOSES, consents, requests: await openRequestsOf(db, person.id),
      values: { ...person, languages: formatLanguages(person.languages, req.locale) }, errors: {}, today: todayIso(), ...extra,
    };
  };

  r.get('/me/:token', load, async (req, res) => {
    const { link, person } = me(res);
    await noteLinkUsed(db, link.id, person.id);
    res.render('me/page', await pageLocals(req, res));
  });

  r.post('/me/:token/details', load, async (req, res) => {
    const { link, person } = me(res);
    const body = bodyOf(req);
    const result = validateOwnDetails(body, todayIso());
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && result.value.email && (await emailUsedByOther(db, result.value.email, person.id))) errors.email = 'me.emailTaken';
    if (result.ok && result.value.email && (await isSuppressed(db, result.value.email))) errors.email = 'me.emailTaken';
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'me/page', { ...(await pageLocals(req, res)), values: { ...person, ...body }, errors });
    }
    const changed = await updateOwnDetails(db, selfActor(person), person.id, result.value);
    if (changed) await noteLinkOutcome(db, link.id, person.id, 'changed');
    flash(req, 'success', changed ? 'me.saved' : 'me.nothingChanged');
    res.redirect(home(res));
  });

  // the skill entry's type-ahead (public/skill-entry.js), for this link only: the same answer as /pickers/skills
  r.get('/me/:token/skills/find', load, async (req, res) => {
    const q = pickerQuery(req.query.q);
    const options = matchSkills(await skillEntryCandidates(db), q, req.locale);
    res.json({ q, options, status: q && !options.length ? req.t('pickers.none', { q }) : '' });
  });

  r.post('/me/:token/skills', load, async (req, res) => {
    const { link, person } = me(res);
    // Add (without JavaScript), a choice among matches or a removal comes back to the page, nothing saved yet
    const entry = await readSkillEntry(db, bodyOf(req), 'skill_level', req.locale);
    const again = { chosenSkills: entry.rows, skillAdd: entry.add, suggestValues: entry.body };
    if (entry.stay) return res.render('me/page', await pageLocals(req, res, again));
    const known = new Set((await listSkillOptions(db)).map((s) => s.id));
    const result = validateOwnSkills(entry.body, known);
    if (!result.ok) return renderInvalid(res, 'me/page', { ...(await pageLocals(req, res, again)), errors: result.errors });
    const actor = selfActor(person);
    const changed = await updateOwnSkills(db, actor, person.id, result.value.skills);
    if (result.value.suggestion && (await addPersonRequest(db, person.id, 'skill', result.value.suggestion))) {
      await auditOwnRequest(db, actor, person.id, 'skill', { skill: result.value.suggestion.name, level: result.value.suggestion.level });
      flash(req, 'success', 'me.suggested', { skill: result.value.suggestion.name });
    }
    if (changed) await noteLinkOutcome(db, link.id, person.id, 'changed');
    if (changed || !result.value.suggestion) flash(req, 'success', changed ? 'me.saved' : 'me.nothingChanged');
    res.redirect(`${home(res)}#skills`);
  });

  r.post('/me/:token/confirm', load, async (req, res) => {
    const { link, person } = me(res);
    await confirmPeople(db, selfActor(person), [person.id]);
    await noteLinkOutcome(db, link.id, person.id, 'confirmed');
    flash(req, 'success', 'me.confirmed');
    res.redirect(home(res));
  });

  r.post('/me/:token/consents', load, async (req, res) => {
    const { link, person } = me(res);
    const body = bodyOf(req);
    const purpose = String(body.purpose ?? '');
    if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) return res.redirect(`${home(res)}#consents`);
    const actor = selfActor(person);
    if (body.status === 'given') {
      await recordConsent(db, actor, person.id, { purpose, status: 'given', method: 'web_form', noticeText: req.t(`me.consentNotice.${purpose}`) });
      flash(req, 'success', 'me.consentGiven');
    } else if (await withdrawConsent(db, actor, person.id, purpose, 'web_form')) {
      flash(req, 'success', 'me.consentWithdrawn');
    }
    await noteLinkOutcome(db, link.id, person.id, 'changed');
    res.redirect(`${home(res)}#consents`);
  });

  r.post('/me/:token/erase', load, async (req, res) => {
    const { person } = me(res);
    if (bodyOf(req).sure !== '1') {
      flash(req, 'error', 'me.eraseTick');
      return res.redirect(`${home(res)}#erase`);
    }
    if (await addPersonRequest(db, person.id, 'erasure', null)) await auditOwnRequest(db, selfActor(person), person.id, 'erasure');
    flash(req, 'success', 'me.eraseRequested');
    res.redirect(`${home(res)}#erase`);
  });

  r.get('/me/:token/stop', load, async (req, res) => {
    res.render('me/stop', { title: req.t('me.stopTitle'), base: home(res), person: me(res).person });
  });

  r.post('/me/:token/stop', load, async (req, res) => {
    const { person } = me(res);
    await stopOwnMails(db, selfActor(person), person.id);
    flash(req, 'success', 'me.stopped');
    res.redirect(home(res));
  });

  return r;
}
