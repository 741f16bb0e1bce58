// /people/:id/links (managers): a person's own links — send one by mail, show a new one to pass on, revoke all.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { recordAudit } from '../audit/audit.queries.js';
import { findPerson } from '../people/people.queries.js';
import { displayName } from '../people/people.domain.js';
import { composeMail, mailLocale } from '../mail/compose.domain.js';
import { cleanAddress } from '../mail/mail.domain.js';
import { enqueueMail } from '../mail/mail.queries.js';
import { createPersonLink, personLinks, revokePersonLinks } from './me.queries.js';

export function linksRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();
  const manage = authorize('privacy.manage');
  const load = async (raw: unknown) => found(await findPerson(db, parseId(raw)));

  r.get('/people/:id/links', manage, async (req, res) => {
    const person = await load(req.params.id);
    res.render('me/links', {
      title: req.t('links.title', { name: displayName(person) }), person, links: await personLinks(db, person.id),
      canMail: Boolean(cleanAddress(person.email)) && !person.do_not_contact, now: new Date().toISOString(), newLink: null,
    });
  });

  r.post('/people/:id/links', manage, async (req, res) => {
    const person = await load(req.params.id);
    const byMail = req.body?.send === '1';
    if (byMail && (!cleanAddress(person.email) || person.do_not_contact)) {
      flash(req, 'error', 'links.cannotMail');
      return res.redirect(`/people/${person.id}/links`);
    }
    const { token, expiresAt } = await createPersonLink(db, person.id, config.meLinkDays);
    const url = `${config.publicUrl}/me/${token}`;
    await recordAudit(db, actorOf(req), { action: 'link', entityType: 'person', entityId: person.id, changes: { by_mail: byMail, expires_at: expiresAt } });
    if (byMail) {
      const locale = mailLocale(person.locale ?? req.locale);
      await enqueueMail(db, {
        kind: 'link', to: { name: displayName(person), address: person.email! }, locale, personId: person.id,
        content: composeMail('link', locale, { name: displayName(person), url, until: expiresAt }),
      });
      (req.app.locals.kickMail as (() => void) | undefined)?.();
      flash(req, 'success', 'links.mailed', { email: person.email! });
      return res.redirect(`/people/${person.id}/links`);
    }
    res.set('Cache-Control', 'no-store');
    res.render('me/links', {
      title: req.t('links.title', { name: displayName(person) }), person, links: await personLinks(db, person.id),
      canMail: Boolean(cleanAddress(person.email)) && !person.do_not_contact, now: new Date().toISOString(), newLink: { url, expiresAt },
    });
  });

  r.post('/people/:id/links/revoke', manage, async (req, res) => {
    const person = await load(req.params.id);
    const n = await revokePersonLinks(db, person.id);
    await recordAudit(db, actorOf(req), { action: 'link', entityType: 'person', entityId: person.id, changes: { revoked: n } });
    flash(req, 'success', 'links.revoked', { count: n });
    res.redirect(`/people/${person.id}/links`);
  });

  return r;
}
