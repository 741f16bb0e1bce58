// Validation of account forms.
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';
import { ROLES, type Role } from './roles.domain.js';

/** The longest value of each field (form maxlength and validation). */
export const USER_LIMITS = { name: LIMITS.name, email: LIMITS.email } as const;

export interface AccountInput {
  email: string;
  name: string;
  role: Role;
  organisationId: number | null;
}

export function validateSetup(body: Record<string, unknown>): Result<{ email: string; name: string; password: string }> {
  const v = new Validator(body);
  const email = v.email('email', { required: true });
  const name = v.text('name', { max: USER_LIMITS.name, required: true });
  const password = checkNewPassword(v);
  return v.result({ email: email ?? '', name: name ?? '', password });
}

export function validateAccount(body: Record<string, unknown>, opts: { withEmail: boolean }): Result<AccountInput> {
  const v = new Validator(body);
  const email = opts.withEmail ? v.email('email', { required: true }) : '';
  const name = v.text('name', { max: USER_LIMITS.name }) ?? '';
  const role = v.oneOf('role', ROLES);
  const organisationId = v.int('organisation_id', { min: 1, max: Number.MAX_SAFE_INTEGER });
  if (role === 'staff' && !organisationId) v.fail('organisation_id', 'users.staffNeedsOrg');
  return v.result({ email: email ?? '', name, role, organisationId: role === 'staff' ? organisationId : organisationId ?? null });
}

export function validatePasswordChange(body: Record<string, unknown>): Result<{ current: string; password: string }> {
  const v = new Validator(body);
  const current = v.raw('current');
  if (!current) v.fail('current', 'validation.required');
  const password = checkNewPassword(v);
  return v.result({ current, password });
}

/** A new password chosen through an invitation or reset link (the same rule as every password form). */
export function validateNewPassword(body: Record<string, unknown>): Result<{ password: string }> {
  const v = new Validator(body);
  const password = checkNewPassword(v);
  return v.result({ password });
}

function checkNewPassword(v: Validator): string {
  const password = v.raw('password');
  if (password.length < MIN_PASSWORD_LENGTH) v.fail('password', 'users.passwordTooShort');
  else if (password.length > 256) v.fail('password', 'validation.tooLong');
  if (v.raw('password_confirm') !== password) v.fail('password_confirm', 'users.passwordMismatch');
  return password;
}
