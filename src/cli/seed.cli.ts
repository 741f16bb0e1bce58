// skillnet seed taxonomy | seed demo [--people N] [--seed S]
import { parseArgs } from 'node:util';
import { recordAudit } from '../audit/audit.queries.js';
import { DEMO_MAX_PEOPLE, DemoRefusedError, seedDemo } from '../../seeds/demo.js';
import { seedTaxonomy } from '../../seeds/taxonomy.js';
import { CLI_ACTOR, CliError, type CliContext } from './cli.shared.js';

const USAGE = 'usage: skillnet seed taxonomy | skillnet seed demo [--people N] [--seed S]';

function parse(args: string[], options: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new CliError(`${(err as Error).message.split('\n')[0]} (${USAGE})`);
  }
}

function wholeNumber(raw: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return n;
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

export async function seedCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const t0 = performance.now();
  if (what === 'taxonomy') {
    parse(rest, {});
    const r = await seedTaxonomy(ctx.db);
    await recordAudit(ctx.db, CLI_ACTOR, { action: 'seed', entityType: 'system', entityId: null, changes: { seed: 'taxonomy', ...r } });
    ctx.out(`Taxonomy: ${r.categories} categories, ${r.skills} skills and ${r.aliases} aliases added in ${seconds(t0)} s.`);
    return 0;
  }
  if (what === 'demo') {
    const v = parse(rest, { people: { type: 'string' }, seed: { type: 'string' } });
    const people = wholeNumber(v.people, 'people', 1, DEMO_MAX_PEOPLE, 300);
    const seed = wholeNumber(v.seed, 'seed', 0, 0xffffffff, 1);
    let r;
    try {
      r = await seedDemo(ctx.db, { people, seed });
    } catch (err) {
      if (err instanceof DemoRefusedError) throw new CliError(err.message);
      throw err;
    }
    await recordAudit(ctx.db, CLI_ACTOR, {
      action: 'seed', entityType: 'system', entityId: null,
      changes: { seed: 'demo', rng_seed: seed, people: r.people, organisations: r.organisations, projects: r.projects, engagements: r.engagements },
    });
    ctx.out(`Demo network: ${r.people} people (${r.personSkills} skills), ${r.organisations} organisations, ${r.projects} projects, `
      + `${r.engagements} engagements; taxonomy +${r.taxonomy.skills} skills; ${seconds(t0)} s.`);
    return 0;
  }
  throw new CliError(USAGE);
}
