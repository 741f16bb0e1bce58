// skillnet privacy export EMAIL (JSON on stdout) and skillnet privacy erase EMAIL --yes.
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { exportRowCount, findPersonByEmail, personDataExport, recordDataExport, suppressionFor } from './privacy.queries.js';
import { erasePeople } from './retention.queries.js';

/** The person with this e-mail, or a one-line error (mentioning an earlier erasure when there was one). */
async function personOrFail(ctx: CliContext, email: string): Promise<{ id: number }> {
  const person = await findPersonByEmail(ctx.db, email);
  if (person) return person;
  const erased = await suppressionFor(ctx.db, email);
  throw new CliError(erased
    ? `no person with the e-mail ${email} (a person with this e-mail was erased on ${erased.erased_at.slice(0, 10)})`
    : `no person with the e-mail ${email}`);
}

export async function privacyExportCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new CliError('usage: skillnet privacy export EMAIL');
  const person = await personOrFail(ctx, positionals[0]!);
  const data = (await personDataExport(ctx.db, person.id))!;
  await recordDataExport(ctx.db, CLI_ACTOR, person.id, 'json', exportRowCount(data));
  ctx.out(JSON.stringify(data, null, 2));
  return 0;
}

export async function privacyEraseCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { yes: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new CliError('usage: skillnet privacy erase EMAIL --yes');
  const email = positionals[0]!;
  if (!values.yes) throw new CliError(`not erasing ${email}: erasure cannot be undone; add --yes to confirm`);
  const person = await personOrFail(ctx, email);
  await erasePeople(ctx.db, CLI_ACTOR, [person.id]);
  ctx.out(`Erased person #${person.id}; only a hash of the e-mail is kept, so imports skip it.`);
  return 0;
}
