// /outbox (admins): every mail with its state, why a failed one failed, and the .eml file when there is no SMTP server.
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { authorize } from '../users/auth.service.js';
import { found, notFound, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { queryString } from '../http/forms.js';
import { findOutboxMail, MAIL_STATUSES, outboxCounts, outboxList, requeueMail } from './mail.queries.js';
import { outboxDir } from './transport.service.js';

const PAGE = 100;

function smtpHost(url: string | null): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
  } catch {
    return '';
  }
}

export function mailRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();
  const admin = authorize('outbox.read');

  r.get('/outbox', admin, async (req, res) => {
    const status = (MAIL_STATUSES as readonly string[]).includes(queryString(req, 'status')) ? queryString(req, 'status') : '';
    const page = Math.max(1, Number.parseInt(queryString(req, 'page'), 10) || 1);
    const rows = await outboxList(db, { status: status || undefined, limit: PAGE + 1, offset: (page - 1) * PAGE });
    res.render('mail/outbox', {
      title: req.t('outbox.title'), rows: rows.slice(0, PAGE), hasMore: rows.length > PAGE, page, status, statuses: MAIL_STATUSES,
      counts: await outboxCounts(db), mode: config.smtpUrl ? 'smtp' : 'file', server: smtpHost(config.smtpUrl),
      rate: config.mailRatePerMinute, dir: outboxDir(config),
    });
  });

  r.get('/outbox/:id.eml', admin, async (req, res) => {
    const mail = found(await findOutboxMail(db, parseId(req.params.id)));
    const file = mail.file ? path.join(outboxDir(config), path.basename(mail.file)) : '';
    if (!file || !existsSync(file)) throw notFound();
    res.type('message/rfc822').attachment(path.basename(file));
    createReadStream(file).pipe(res);
  });

  r.post('/outbox/:id/retry', admin, async (req, res) => {
    const ok = await requeueMail(db, parseId(req.params.id));
    flash(req, ok ? 'success' : 'error', ok ? 'outbox.retried' : 'outbox.notFailed');
    res.redirect('/outbox');
  });

  return r;
}
