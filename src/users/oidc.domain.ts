// Single sign-on rules that need no network: which e-mail domains may sign in, and which Skillnet role a provider's
// claim gives (OIDC_ROLE_CLAIM, README "Sign-in: single sign-on and two-factor").
import type { OidcConfig } from '../config.js';
import { isRole, ROLES, type Role } from './roles.domain.js';

/** Whether an e-mail address is of one of the allowed domains (an empty list allows every domain). */
export function emailDomainAllowed(email: string, allowed: readonly string[]): boolean {
  if (!allowed.length) return true;
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return allowed.includes(domain);
}

/**
 * The role the provider's claim gives: the claim may be one value or a list (groups); each value maps to a role, and
 * of several the most powerful wins. null when no value maps to a role.
 */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: NonNullable<OidcConfig['roleClaim']>): Role | null {
  const raw = claims[roleClaim.claim];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const roles = values.map((v) => roleClaim.map[v]).filter(isRole);
  // ROLES is ordered from admin to viewer
  return ROLES.find((r) => roles.includes(r)) ?? null;
}

/** Why a single sign-on was refused: each reason has its message (`oidc.refused.REASON`). */
export const OIDC_REFUSALS = ['notStarted', 'failed', 'unavailable', 'noEmail', 'unverified', 'domain', 'noAccount', 'inactive', 'noRole'] as const;
export type OidcRefusal = (typeof OIDC_REFUSALS)[number];

/** The text on the login page's single sign-on link: the issuer's host ("Sign in with login.example.org"). */
export function providerLabel(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** Roles a first single sign-on may create an account with, when an admin switches that on (staff need an
 *  organisation; admins are made by hand or by OIDC_ROLE_CLAIM). */
export const OIDC_AUTO_CREATE_ROLES = ['viewer', 'manager'] as const satisfies readonly Role[];

export function autoCreateRoleOf(setting: string | undefined): Role | null {
  return (OIDC_AUTO_CREATE_ROLES as readonly string[]).includes(setting ?? '') ? (setting as Role) : null;
}
