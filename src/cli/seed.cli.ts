// skillnet seed taxonomy | demo [--people N]
import { CliError, type CliContext } from './cli.shared.js';

export async function seedCommand(_ctx: CliContext, args: string[]): Promise<number> {
  throw new CliError(`seed ${args[0]} is not available yet`);
}
