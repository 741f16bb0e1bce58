// Single sign-on through an OpenID Connect provider (openid-client): discovery, cached and retried without ever
// holding up start-up or a request longer than its timeout; the authorisation code flow with PKCE, state and nonce;
// and who the provider's account is in Skillnet (linked by subject, first by verified e-mail).
import * as client from 'openid-client';
import type { Knex } from 'knex';
import type { OidcConfig } from '../config.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { newToken } from '../shared/tokens.js';
import { log } from '../log.js';
import { emailDomainAllowed, providerLabel, roleFromClaims, type OidcRefusal } from './oidc.domain.js';
import { findIdentityUser, linkIdentity, touchIdentity } from './identities.queries.js';
import { hashPassword } from './passwords.service.js';
import { isRole, type Role } from './roles.domain.js';
import { countActiveAdmins, deleteSessionsOfUser, findUserByEmail, findUserById, insertUser, updateUser, type PublicUser } from './users.queries.js';

export const CALLBACK_PATH = '/login/oidc/callback';
/** How long a started sign-in may take at the provider. */
export const OIDC_LOGIN_MS = 10 * 60 * 1000;

/** What the session keeps between /login/oidc and the callback. */
export interface PendingOidcLogin {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  at: number;
}

export interface OidcOptions {
  /** after a failed discovery, how long to answer "unavailable" before asking the provider again */
  retryAfterMs?: number;
  /** how long a good discovery is used before it is fetched again (in the background) */
  refreshAfterMs?: number;
  /** seconds a request to the provider may take */
  timeoutSeconds?: number;
}

export class OidcUnavailable extends Error {}

export class OidcService {
  readonly label: string;
  private cached: { config: client.Configuration; at: number } | null = null;
  private failedAt = 0;
  private inflight: Promise<client.Configuration> | null = null;
  private readonly retryAfterMs: number;
  private readonly refreshAfterMs: number;
  private readonly timeoutSeconds: number;

  constructor(readonly settings: OidcConfig, private readonly publicUrl: string, opts: OidcOptions = {}) {
    this.label = providerLabel(settings.issuer);
    this.retryAfterMs = opts.retryAfterMs ?? 15_000;
    this.refreshAfterMs = opts.refreshAfterMs ?? 60 * 60 * 1000;
    this.timeoutSeconds = opts.timeoutSeconds ?? 5;
  }

  get redirectUri(): string {
    return `${this.publicUrl}${CALLBACK_PATH}`;
  }

  /** The provider's metadata: cached; refreshed in the background; after a failure, "unavailable" for a while. */
  async configuration(now = Date.now()): Promise<client.Configuration> {
    if (this.cached && now - this.cached.at < this.refreshAfterMs) return this.cached.config;
    if (!this.cached && !this.inflight && now - this.failedAt < this.retryAfterMs) throw new OidcUnavailable('provider unavailable');
    this.inflight ??= this.discover().finally(() => { this.inflight = null; });
    if (this.cached) {
      this.inflight.catch(() => undefined); // the stale copy serves while the new one is fetched
      return this.cached.config;
    }
    return this.inflight;
  }

  private async discover(): Promise<client.Configuration> {
    const insecure = new URL(this.settings.issuer).protocol === 'http:'; // only localhost (checked in config.ts)
    try {
      const config = await client.discovery(
        new URL(this.settings.issuer), this.settings.clientId, undefined,
        this.settings.clientSecret ? client.ClientSecretBasic(this.settings.clientSecret) : client.None(),
        { timeout: this.timeoutSeconds, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
      );
      this.cached = { config, at: Date.now() };
      return config;
    } catch (err) {
      this.failedAt = Date.now();
      log().warn({ issuer: this.settings.issuer, reason: (err as Error).message }, 'single sign-on: the provider could not be reached');
      throw new OidcUnavailable(`discovery failed: ${(err as Error).message}`);
    }
  }

  /** The provider's sign-in address and what the session must keep until the callback. */
  async start(next: string): Promise<{ url: string; pending: PendingOidcLogin }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const pending: PendingOidcLogin = { state: client.randomState(), nonce: client.randomNonce(), verifier, next, at: Date.now() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri, scope: 'openid email profile', response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      state: pending.state, nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code (checking state, nonce and PKCE) and returns the ID token's claims. Throws when anything is off
   *  (OidcUnavailable when the provider cannot be reached). */
  async finish(search: string, pending: PendingOidcLogin): Promise<{ claims: Record<string, unknown>; idToken: string | undefined }> {
    try {
      return await this.exchange(search, pending);
    } catch (err) {
      if (isNetworkError(err)) throw new OidcUnavailable(`token request failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private async exchange(search: string, pending: PendingOidcLogin): Promise<{ claims: Record<string, unknown>; idToken: string | undefined }> {
    const config = await this.configuration();
    const currentUrl = new URL(`${this.redirectUri}${search}`);
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('no ID token');
    const claims = { ...idClaims } as Record<string, unknown>;
    // many providers put e-mail, name and groups only in the UserInfo answer (oidc-provider does by default)
    const roleClaim = this.settings.roleClaim?.claim;
    if (claims.email === undefined || (roleClaim && claims[roleClaim] === undefined)) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      for (const [k, v] of Object.entries(info)) if (!['iss', 'sub', 'aud', 'nonce'].includes(k) && claims[k] === undefined) claims[k] = v;
    }
    return { claims, idToken: tokens.id_token };
  }

  /** The provider's logout address (RP-initiated logout), when it offers one. */
  async logoutUrl(idToken: string | undefined): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = { client_id: this.settings.clientId, post_logout_redirect_uri: `${this.publicUrl}/login` };
    if (idToken) params.id_token_hint = idToken;
    return client.buildEndSessionUrl(config, params).href;
  }
}

/** fetch's own failures (refused, reset, timed out), as opposed to an answer the checks refused. */
function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; message?: string; cause?: unknown } | null;
  if (!e) return false;
  if (e instanceof OidcUnavailable) return true;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  if (e.name === 'TypeError' && e.message === 'fetch failed') return true;
  return e.cause !== undefined && e.cause !== err && isNetworkError(e.cause);
}

export type OidcSignIn = { ok: true; user: PublicUser } | { ok: false; reason: OidcRefusal };

/**
 * Who the provider's account is in Skillnet: the user linked to (issuer, subject); on the first sign-in the active
 * user with the provider's verified e-mail, or a new user when an admin switched on automatic creation. The role
 * follows OIDC_ROLE_CLAIM when that is set (a changed role ends the user's other sessions).
 */
export async function resolveOidcUser(db: Knex, settings: OidcConfig, claims: Record<string, unknown>, autoCreateRole: Role | null): Promise<OidcSignIn> {
  const issuer = String(claims.iss ?? '');
  const subject = String(claims.sub ?? '');
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim().toLowerCase() : null;
  if (settings.allowedDomains.length) {
    if (!email) return { ok: false, reason: 'noEmail' };
    if (!emailDomainAllowed(email, settings.allowedDomains)) return { ok: false, reason: 'domain' };
  }
  const claimedRole = settings.roleClaim ? roleFromClaims(claims, settings.roleClaim) : null;
  if (settings.roleClaim && !claimedRole) return { ok: false, reason: 'noRole' };
  const actor: Actor = { userId: null, label: `oidc:${issuer}`, source: 'web' };

  let userId = await findIdentityUser(db, issuer, subject);
  if (userId === null) {
    if (!email) return { ok: false, reason: 'noEmail' };
    // an unverified address could be anyone's: never link or create by it
    if (claims.email_verified !== true) return { ok: false, reason: 'unverified' };
    const existing = await findUserByEmail(db, email);
    if (existing) {
      if (!existing.active) return { ok: false, reason: 'inactive' };
      userId = existing.id;
    } else {
      const role = claimedRole ?? autoCreateRole;
      if (!autoCreateRole || !role) return { ok: false, reason: 'noAccount' };
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email.split('@')[0]!;
      // a password nobody knows: this user signs in through the provider (or asks for a reset link)
      userId = await insertUser(db, { email, name, role, passwordHash: await hashPassword(newToken()) });
      await recordAudit(db, actor, { action: 'create', entityType: 'user', entityId: userId, changes: { email, role, via: 'oidc' } });
    }
    await linkIdentity(db, userId, issuer, subject, email);
    await recordAudit(db, actor, { action: 'link_identity', entityType: 'user', entityId: userId, changes: { issuer } });
  } else {
    await touchIdentity(db, issuer, subject);
  }
  const user = await findUserById(db, userId);
  if (!user || !user.active) return { ok: false, reason: 'inactive' };
  if (claimedRole && isRole(claimedRole) && claimedRole !== user.role) {
    const losesLastAdmin = user.role === 'admin' && (await countActiveAdmins(db)) <= 1;
    if (!losesLastAdmin) {
      await updateUser(db, user.id, { role: claimedRole });
      await deleteSessionsOfUser(db, user.id); // a new role: no session keeps the old one
      await recordAudit(db, actor, { action: 'update', entityType: 'user', entityId: user.id, changes: { role: { from: user.role, to: claimedRole } } });
      user.role = claimedRole;
    }
  }
  return { ok: true, user };
}
