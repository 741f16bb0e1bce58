// skillnet token create EMAIL --name N [--scope read|write] [--expires DAYS] (or --service --role manager|viewer),
// token list, token revoke NAME|ID. The new token is printed alone on the last line, for scripts.
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { findUserByEmail } from '../users/users.queries.js';
import { SERVICE_ROLES, TOKEN_LIMITS, TOKEN_SCOPES, tokenState, type TokenScope } from './api.domain.js';
import { apiTokensNamed, createApiToken, findApiToken, listApiTokens, revokeApiToken } from './tokens.queries.js';

const USAGE = 'usage: skillnet token create EMAIL --name NAME [--scope read|write] [--expires DAYS]  (or: --service --role manager|viewer instead of EMAIL)';

export async function tokenCreateCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string' }, expires: { type: 'string' }, service: { type: 'boolean' }, role: { type: 'string' } },
  });
  const name = values.name?.trim();
  if (!name || name.length > TOKEN_LIMITS.name) throw new CliError(`${USAGE}\n--name is required (at most ${TOKEN_LIMITS.name} characters)`);
  const scope = (values.scope ?? 'read') as TokenScope;
  if (!(TOKEN_SCOPES as readonly string[]).includes(scope)) throw new CliError(`--scope must be one of ${TOKEN_SCOPES.join(', ')}`);
  let expiresDays: number | null = null;
  if (values.expires !== undefined) {
    expiresDays = /^\d{1,4}$/.test(values.expires) ? Number(values.expires) : NaN;
    if (!(expiresDays >= 1 && expiresDays <= TOKEN_LIMITS.expires_days)) throw new CliError(`--expires must be a number of days from 1 to ${TOKEN_LIMITS.expires_days}`);
  }
  if (values.service) {
    if (positionals.length) throw new CliError(USAGE);
    const role = values.role ?? 'viewer';
    if (!(SERVICE_ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of ${SERVICE_ROLES.join(', ')}`);
    const { id, token } = await createApiToken(ctx.db, CLI_ACTOR, { userId: null, role: role as (typeof SERVICE_ROLES)[number], name, scope, expiresDays });
    ctx.out(`Service token #${id} "${name}" (${role}, ${scope}) created. It is shown once:`);
    ctx.out(token);
    return 0;
  }
  const email = positionals[0]?.trim();
  if (!email || positionals.length > 1) throw new CliError(USAGE);
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new CliError(`no user with e-mail ${email}`);
  if (!user.active) throw new CliError(`the user ${email} is deactivated`);
  const { id, token } = await createApiToken(ctx.db, CLI_ACTOR, { userId: user.id, name, scope, expiresDays });
  ctx.out(`Token #${id} "${name}" for ${user.email} (${user.role}, ${scope}) created. It is shown once:`);
  ctx.out(token);
  return 0;
}

export async function tokenListCommand(ctx: CliContext): Promise<number> {
  const rows = await listApiTokens(ctx.db);
  if (!rows.length) {
    ctx.out('No API tokens.');
    return 0;
  }
  ctx.out(['id', 'name', 'owner', 'scope', 'state', 'created', 'expires', 'last used', 'from'].join('\t'));
  for (const t of rows) {
    ctx.out([t.id, t.name, t.user_email ?? `service (${t.role})`, t.scope, tokenState(t), t.created_at.slice(0, 16), t.expires_at?.slice(0, 10) ?? '-',
      t.last_used_at?.slice(0, 16) ?? '-', t.last_used_ip ?? '-'].join('\t'));
  }
  return 0;
}

export async function tokenRevokeCommand(ctx: CliContext, args: string[]): Promise<number> {
  const which = args.join(' ').trim();
  if (!which) throw new CliError('usage: skillnet token revoke NAME|ID');
  const byId = /^\d{1,15}$/.test(which) ? await findApiToken(ctx.db, Number(which)) : undefined;
  const candidates = byId ? [byId] : (await apiTokensNamed(ctx.db, which)).filter((t) => !t.revoked_at);
  if (!candidates.length) throw new CliError(`no active token with id or name "${which}"`);
  if (candidates.length > 1) throw new CliError(`${candidates.length} tokens are named "${which}" (ids ${candidates.map((t) => t.id).join(', ')}): revoke by id`);
  const t = candidates[0]!;
  const done = await revokeApiToken(ctx.db, CLI_ACTOR, t.id);
  ctx.out(done ? `Token #${t.id} "${t.name}" revoked.` : `Token #${t.id} "${t.name}" was revoked already.`);
  return 0;
}
