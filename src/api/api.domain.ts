// The JSON API's pure rules: what a token looks like and may do, list cursors, ETags, and when a token's use is
// recorded. No database, no network.
import { createHash } from 'node:crypto';
import { newToken, tokenHash } from '../shared/tokens.js';
import type { Role } from '../users/roles.domain.js';
import { Validator, type Result } from '../shared/validate.js';

/** The path every API route lives under (and the only one exempt from sessions, CSRF and the login). */
export const API_BASE = '/api/v1';
/** A token: this prefix and 43 base64url characters (256 random bits); the prefix lets secret scanners find leaks. */
export const TOKEN_PREFIX = 'skn_';
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** The roles a service token (one not tied to a person) may act with. */
export const SERVICE_ROLES = ['manager', 'viewer'] as const satisfies readonly Role[];
export const TOKEN_LIMITS = { name: 100, expires_days: 3650 } as const;
/** A token's last use (time and address) is written at most once a minute, so reading costs no write per request. */
export const LAST_USE_EVERY_MS = 60_000;
export const RATE_WINDOW_MS = 60_000;
/** Largest JSON body the API reads. */
export const API_BODY_LIMIT = '1mb';
export const LIST_LIMITS = { default: 50, max: 500 } as const;

export interface NewApiToken {
  /** shown once, never stored */
  token: string;
  hash: string;
  /** the first characters, for lists */
  prefix: string;
}

export function newApiToken(): NewApiToken {
  const secret = newToken();
  const token = `${TOKEN_PREFIX}${secret}`;
  return { token, hash: tokenHash(secret)!, prefix: token.slice(0, 10) };
}

/** The stored hash of a presented token; null for anything that cannot be one (then nothing is looked up). */
export function apiTokenHash(token: string): string | null {
  return token.startsWith(TOKEN_PREFIX) ? tokenHash(token.slice(TOKEN_PREFIX.length)) : null;
}

/** The token of an `Authorization: Bearer …` header; null without one, 'malformed' for another scheme or shape. */
export function bearerToken(header: string | undefined): string | null | 'malformed' {
  if (header === undefined || header === '') return null;
  const m = /^Bearer +([^\s]+) *$/i.exec(header);
  return m ? m[1]! : 'malformed';
}

/** Query parameters that look like someone put a token in the URL (where logs and browser history keep it). */
export function tokenInQuery(query: Record<string, unknown>): boolean {
  return Object.entries(query).some(([k, v]) => /^(access_token|token|api_key|apikey|bearer)$/i.test(k)
    || [v].flat().some((x) => typeof x === 'string' && x.startsWith(TOKEN_PREFIX)));
}

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(t: { revoked_at: string | null; expires_at: string | null }, now = new Date()): TokenState {
  if (t.revoked_at) return 'revoked';
  if (t.expires_at && t.expires_at <= now.toISOString()) return 'expired';
  return 'active';
}

/** A read token may only read; a write token everything its role allows. */
export function scopeAllows(scope: string, method: string): boolean {
  return scope === 'write' || method === 'GET' || method === 'HEAD';
}

/** Whether this use should be written down (first use, a minute since the last record, or another address). */
export function shouldRecordUse(t: { last_used_at: string | null; last_used_ip: string | null }, ip: string, now = Date.now()): boolean {
  if (!t.last_used_at || t.last_used_ip !== ip) return true;
  return now - Date.parse(t.last_used_at) >= LAST_USE_EVERY_MS;
}

/** A record's ETag from its version (updated_at): strong, opaque. */
export function etagOf(version: string): string {
  return `"${createHash('sha256').update(version).digest('base64url').slice(0, 22)}"`;
}

/** Does an If-Match header name this version? `*` matches any existing record. */
export function ifMatchHolds(header: string, version: string): boolean {
  const tag = etagOf(version);
  return header.split(',').map((s) => s.trim().replace(/^W\//, '')).some((s) => s === '*' || s === tag);
}

/** A list cursor: the page after this one, of this size, of this very search (so it cannot be replayed on another). */
export interface Cursor {
  page: number;
  limit: number;
  search: string;
}

export function searchKey(params: string): string {
  return createHash('sha256').update(params).digest('base64url').slice(0, 12);
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.page, c.limit, c.search])).toString('base64url');
}

/** The cursor's content, or null when it is not one of ours. */
export function decodeCursor(raw: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [page, limit, search] = v as [unknown, unknown, unknown];
    if (!Number.isSafeInteger(page) || (page as number) < 1 || !Number.isSafeInteger(limit) || (limit as number) < 1
      || (limit as number) > LIST_LIMITS.max || typeof search !== 'string') return null;
    return { page: page as number, limit: limit as number, search };
  } catch {
    return null;
  }
}

export interface TokenForm {
  name: string;
  scope: TokenScope;
  expiresDays: number | null;
  role: (typeof SERVICE_ROLES)[number];
}

/** The token form (own or service token): a name, read or write, optional days until it expires; a service token's role. */
export function validateTokenForm(body: Record<string, unknown>): Result<TokenForm> {
  const v = new Validator(body);
  return v.result({
    name: v.text('name', { max: TOKEN_LIMITS.name, required: true }) ?? '',
    scope: v.oneOf('scope', TOKEN_SCOPES, 'read'),
    expiresDays: v.int('expires_days', { min: 1, max: TOKEN_LIMITS.expires_days }),
    role: v.oneOf('role', SERVICE_ROLES, 'viewer'),
  });
}
