// Validation of account forms.
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { passwordProblem } from './password-rules.domain.js';
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
  const password = checkNewPassword(v, { email: email ?? v.raw('email'), name: name ?? '' });
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

/** A user's new password; `account` is who they are (the password must not contain their e-mail or name). */
export function validatePasswordChange(body: Record<string, unknown>, account: { email: string; name: string }): Result<{ current: string; password: string }> {
  const v = new Validator(body);
  const current = v.raw('current');
  if (!current) v.fail('current', 'validation.required');
  const password = checkNewPassword(v, account);
  return v.result({ current, password });
}

/** A new password chosen through an invitation or reset link (the same rule as every password form). */
export function validateNewPassword(body: Record<string, unknown>, account: { email: string; name: string }): Result<{ password: string }> {
  const v = new Validator(body);
  const password = checkNewPassword(v, account);
  return v.result({ password });
}

function checkNewPassword(v: Validator, account: { email: string; name: string }): string {
  const password = v.raw('password');
  const problem = passwordProblem(password, account);
  if (problem) v.fail('password', problem);
  if (v.raw('password_confirm') !== password) v.fail('password_confirm', 'users.passwordMismatch');
  return password;
}
