// Secret link tokens (a person's own link, join confirmation, invitation and password reset): 256 random bits
// in the URL, only their SHA-256 in the database, so a copy of the database opens no link.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token; null for anything that cannot be one of ours (no lookup is made then). */
export function tokenHash(token: unknown): string | null {
  if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
  return createHash('sha256').update(token).digest('hex');
}

/** An ISO timestamp `days` days from now. */
export function daysFromNow(days: number, now = Date.now()): string {
  return new Date(now + days * 86_400_000).toISOString();
}

/** SHA-256 (hex) of a short random secret a person types (a recovery code): enough, as it carries 50+ random bits. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
