// Two-factor sign-in: TOTP (RFC 6238, 30-second steps, 6 digits, as every authenticator app) and single-use recovery
// codes. Pure: the clock comes in as an argument, so tests fix it.
import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { secretHash } from '../shared/tokens.js';
import type { Role } from './roles.domain.js';

export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** How long the second step may follow the password (the session remembers who gave the right password). */
export const SECOND_STEP_MS = 5 * 60 * 1000;

/** Who must use a second factor for password sign-in (an admin's setting). */
export const TWO_FACTOR_POLICIES = ['off', 'privileged', 'all'] as const;
export type TwoFactorPolicy = (typeof TWO_FACTOR_POLICIES)[number];

export function isTwoFactorPolicy(x: unknown): x is TwoFactorPolicy {
  return typeof x === 'string' && (TWO_FACTOR_POLICIES as readonly string[]).includes(x);
}

/** Whether the policy asks this role for a second factor: `privileged` means managers and admins. */
export function twoFactorRequired(role: Role, policy: TwoFactorPolicy | undefined): boolean {
  if (policy === 'all') return true;
  return policy === 'privileged' && (role === 'admin' || role === 'manager');
}

export function newTotpSecret(): string {
  return generateSecret(); // 20 random bytes, Base32
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string, issuer = 'Skillnet'): string {
  return generateURI({ issuer, label: account, secret });
}

/** The longest code field accepted (a recovery code `abcde-fghjk` with room for spaces): the inputs' maxlength. */
export const TWO_FACTOR_CODE_MAX = 20;

/** Digits only: people type codes with spaces (`123 456`). */
export function normaliseCode(raw: unknown): string {
  return typeof raw === 'string' ? raw.slice(0, TWO_FACTOR_CODE_MAX).replace(/[\s-]/g, '').toLowerCase() : '';
}

export type TotpCheck = { ok: true; step: number } | { ok: false };

/**
 * A code of the current, the previous or the next 30-second step (clocks drift) is right, and only if its step is
 * later than `lastStep`, the last one used: a code works once.
 */
export async function checkTotp(secret: string, code: string, nowMs: number, lastStep: number | null): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { ok: false };
  try {
    const result = await verify({
      secret, token: code, epoch: Math.floor(nowMs / 1000), epochTolerance: TOTP_PERIOD_SECONDS,
      ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    });
    return result.valid && 'timeStep' in result ? { ok: true, step: result.timeStep } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** The TOTP step a time falls in (for tests and the replay guard). */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed without mistakes

/** Ten recovery codes such as `k7m2p-x9qra`: 10 characters of 31, about 50 random bits each. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  while (codes.length < count) {
    let s = '';
    for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const code = `${s.slice(0, 5)}-${s.slice(5)}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** The stored form of a recovery code (dashes, spaces and case do not matter). */
export function recoveryCodeHash(code: string): string {
  return secretHash(`recovery:${normaliseCode(code)}`);
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{10}$/.test(code);
}
