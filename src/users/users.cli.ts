// skillnet user add EMAIL --role R [--name N]: password from SKILLNET_PASSWORD or standard input; user reset-2fa EMAIL.
import { parseArgs } from 'node:util';
import { organisationIdByIdOrName } from '../organisations/organisations.queries.js';
import { recordAudit } from '../audit/audit.queries.js';
import { CLI_ACTOR, CliError, readAll, type CliContext } from '../cli/cli.shared.js';
import { isEmail } from '../shared/validate.js';
import { hashPassword } from './passwords.service.js';
import { passwordProblem } from './password-rules.domain.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator } from '../i18n/i18n.js';
import { isRole, ROLES } from './roles.domain.js';
import { findUserByEmail, insertUser } from './users.queries.js';
import { disableTotp } from './two-factor.queries.js';

export async function userAddCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { role: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' } },
  });
  const email = positionals[0]?.trim().toLowerCase();
  if (!email || positionals.length > 1) throw new CliError('usage: skillnet user add EMAIL --role admin|manager|staff|viewer [--name N]');
  if (!isEmail(email)) throw new CliError(`"${email}" is not a valid e-mail address`);
  if (!isRole(values.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`);
  let organisationId: number | null = null;
  if (values.role === 'staff') {
    organisationId = values.org ? await organisationIdByIdOrName(ctx.db, values.org) : null;
    if (organisationId === null) throw new CliError('staff need an organisation: --org ID or NAME');
  }
  if (await findUserByEmail(ctx.db, email)) throw new CliError(`a user with e-mail ${email} exists already`);
  const fromEnv = process.env.SKILLNET_PASSWORD;
  const password = (fromEnv ?? (await readAll(ctx.stdin))).replace(/\r?\n$/, '');
  // the same rule and the same words as the web forms
  const problem = passwordProblem(password, { email, name: values.name ?? '' });
  if (problem) throw new CliError(`${makeTranslator(catalog, 'en')(problem, { max: 256 })} (SKILLNET_PASSWORD or standard input)`);
  const id = await insertUser(ctx.db, { email, name: values.name ?? '', role: values.role, organisationId, passwordHash: await hashPassword(password) });
  await recordAudit(ctx.db, CLI_ACTOR, { action: 'create', entityType: 'user', entityId: id, changes: { email, role: values.role } });
  ctx.out(`User ${email} (${values.role}) created.`);
  return 0;
}

/** skillnet user reset-2fa EMAIL: the admins' reset from /users, for when no admin can sign in any more. */
export async function userResetTwoFactorCommand(ctx: CliContext, args: string[]): Promise<number> {
  const email = args[0]?.trim().toLowerCase();
  if (!email || args.length > 1) throw new CliError('usage: skillnet user reset-2fa EMAIL');
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new CliError(`no user with e-mail ${email}`);
  await disableTotp(ctx.db, user.id);
  await recordAudit(ctx.db, CLI_ACTOR, { action: 'two_factor_reset', entityType: 'user', entityId: user.id });
  ctx.out(`Two-factor sign-in of ${email} is switched off; they sign in with their password and may set it up again.`);
  return 0;
}
