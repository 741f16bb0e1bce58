// The end of every sign-in (password, password + second factor, single sign-on): a new session (req.login regenerates
// it, so no fixation), what the user's session list shows about it, the failure count reset, and the audit entry.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit.queries.js';
import type { SessionMeta } from './sessions.domain.js';
import type { PendingOidcLogin } from './oidc.service.js';
import { recordSignIn } from './users.queries.js';

declare module 'express-session' {
  interface SessionData {
    /** how and from where this session signed in (the account page's session list) */
    signIn?: SessionMeta;
    /** the provider's ID token, for its logout (RP-initiated logout) */
    idToken?: string;
    /** between /login/oidc and its callback */
    oidcLogin?: PendingOidcLogin;
    /** the right password was given; the second factor is still to come */
    secondStep?: { userId: number; email: string; next: string; at: number };
    /** a TOTP secret shown for enrolment, not yet confirmed with a code */
    totpEnrol?: { secret: string; at: number };
  }
}

export async function completeSignIn(db: Knex, req: Request, user: Express.User, method: SessionMeta['method'], extra: { idToken?: string } = {}): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.signIn = {
    ua: String(req.get('user-agent') ?? '').slice(0, 300), ip: String(req.ip ?? '').slice(0, 100), at: new Date().toISOString(), method,
  };
  if (extra.idToken) req.session.idToken = extra.idToken;
  await recordSignIn(db, user.id);
  await recordAudit(db, { userId: user.id, label: user.email, source: 'web' }, {
    action: 'login', entityType: 'user', entityId: user.id, ...(method === 'password' ? {} : { changes: { method } }),
  });
}
