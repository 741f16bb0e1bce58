// Queues the invitation and reset mails (in the account's language).
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { composeMail, mailLocale } from '../mail/compose.domain.js';
import { enqueueMail } from '../mail/mail.queries.js';
import { createAccountLink, type AccountLinkKind } from './account-links.queries.js';

export async function sendAccountLink(
  db: Knex, config: Pick<Config, 'publicUrl'>, user: { id: number; email: string; name: string; locale: string | null },
  kind: AccountLinkKind, inviter = '',
): Promise<void> {
  const { token, expiresAt } = await createAccountLink(db, user.id, kind);
  const locale = mailLocale(user.locale);
  await enqueueMail(db, {
    kind, to: { name: user.name, address: user.email }, locale,
    content: composeMail(kind, locale, { name: user.name, url: `${config.publicUrl}/password/set/${token}`, until: expiresAt, vars: { email: user.email, inviter } }),
  });
}
