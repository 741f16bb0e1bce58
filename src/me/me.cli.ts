// `skillnet link PERSON_EMAIL`: prints a new own link for a person, for staff who send it themselves.
import { CliError, type CliContext } from '../cli/cli.shared.js';
import { findPersonByEmail } from '../privacy/privacy.queries.js';
import { createPersonLink } from './me.queries.js';

export async function linkCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new CliError('usage: skillnet link PERSON_EMAIL');
  const person = await findPersonByEmail(ctx.db, args[0]!);
  if (!person) throw new CliError(`no person with the e-mail ${args[0]}`);
  const { token, expiresAt } = await createPersonLink(ctx.db, person.id, ctx.config.meLinkDays);
  ctx.err(`valid until ${expiresAt.slice(0, 10)}:`);
  ctx.out(`${ctx.config.publicUrl}/me/${token}`);
  return 0;
}
