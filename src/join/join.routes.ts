// /join (public, no login): someone offers help; double opt-in through the link in a mail. Spam protection
// without third parties: a honeypot field, a minimum fill time (signed start time) and request counters per
// client address and per e-mail address.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { AVAILABILITY } from '../people/people.domain.js';
import { listSkillOptions } from '../skills/skills.queries.js';
import { getSetting } from '../settings/settings.queries.js';
import { countHit } from '../shared/rate-limit.queries.js';
import { composeMail, mailLocale } from '../mail/compose.domain.js';
import { enqueueMail } from '../mail/mail.queries.js';
import { JOIN_PURPOSE, JOIN_SKILL_ROWS, MIN_FILL_SECONDS, secondsSinceStart, signedStart, validateJoin } from './join.domain.js';
import { addApplication, applicationExists, confirmApplication, recentApplicationsFor } from './join.queries.js';

/** Posts of the join form allowed per client address in 10 minutes. */
export const JOIN_POSTS_PER_WINDOW = 10;
const WINDOW_MS = 10 * 60_000;
/** Confirmation mails to one e-mail address per day. */
const MAILS_PER_ADDRESS = 3;

export async function joinEnabled(db: Knex): Promise<boolean> {
  return (await getSetting(db, 'join_enabled')) !== '0';
}

export function joinRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();

  const formLocals = async (req: Request, extra: Record<string, unknown> = {}) => ({
    title: req.t('join.title'), skillOptions: await listSkillOptions(db), availability: AVAILABILITY, rows: JOIN_SKILL_ROWS,
    started: signedStart(config.sessionSecret), purpose: JOIN_PURPOSE, values: { availability: 'available' }, errors: {}, ...extra,
  });
  const closed = (req: Request, res: Response) => res.status(404).render('join/closed', { title: req.t('join.closedTitle') });
  const sent = (req: Request, res: Response) => res.render('join/sent', { title: req.t('join.sentTitle') });

  r.get('/join', async (req, res) => {
    if (!(await joinEnabled(db))) return closed(req, res);
    res.render('join/form', await formLocals(req));
  });

  r.post('/join', async (req, res) => {
    if (!(await joinEnabled(db))) return closed(req, res);
    const hits = await countHit(db, `join:${req.ip ?? 'unknown'}`, WINDOW_MS);
    if (hits > JOIN_POSTS_PER_WINDOW) {
      res.set('Retry-After', String(WINDOW_MS / 1000));
      return res.status(429).render('join/closed', { title: req.t('join.tooManyTitle'), tooMany: true });
    }
    const body = bodyOf(req);
    const seconds = secondsSinceStart(config.sessionSecret, body.started);
    // a bot: answer as if all went well, keep nothing
    if (String(body.website ?? '') !== '' || seconds === null || seconds < MIN_FILL_SECONDS) return sent(req, res);
    const known = new Set((await listSkillOptions(db)).map((s) => s.id));
    const result = validateJoin(body, known);
    if (!result.ok) return renderInvalid(res, 'join/form', await formLocals(req, { values: body, errors: result.errors }));
    if ((await recentApplicationsFor(db, result.value.email)) >= MAILS_PER_ADDRESS) return sent(req, res);
    const locale = mailLocale(req.locale);
    const { token } = await addApplication(db, result.value, locale, req.t(`join.consentText`));
    await enqueueMail(db, {
      kind: 'join', to: { name: `${result.value.first_name} ${result.value.last_name}`, address: result.value.email }, locale,
      content: composeMail('join', locale, { name: `${result.value.first_name} ${result.value.last_name}`, url: `${config.publicUrl}/join/confirm/${token}` }),
    });
    (req.app.locals.kickMail as (() => void) | undefined)?.();
    sent(req, res);
  });

  r.get('/join/confirm/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!(await applicationExists(db, req.params.token))) return res.status(404).render('join/invalid', { title: req.t('join.invalidTitle') });
    res.render('join/confirm', { title: req.t('join.confirmTitle'), token: req.params.token });
  });

  r.post('/join/confirm/:token', async (req, res) => {
    if (!(await confirmApplication(db, req.params.token))) {
      if (await applicationExists(db, req.params.token)) return res.render('join/confirmed', { title: req.t('join.confirmedTitle') });
      return res.status(404).render('join/invalid', { title: req.t('join.invalidTitle') });
    }
    res.render('join/confirmed', { title: req.t('join.confirmedTitle') });
  });

  return r;
}
