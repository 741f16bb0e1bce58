// skillnet people duplicates [--json] and skillnet people merge ID ID… [--keep ID]: the web screens' code paths.
import { parseArgs } from 'node:util';
import { CLI_ACTOR, CliError, type CliContext } from '../cli/cli.shared.js';
import { catalog } from '../i18n/catalog.js';
import { makeTranslator } from '../i18n/i18n.js';
import { displayName } from '../people/people.domain.js';
import { briefs, scanNetwork } from './duplicates.queries.js';
import { mergePeople, MergeRefused, mergeRecords } from './merge.queries.js';

const t = makeTranslator(catalog, 'en');

/** Lists likely duplicates: one group per paragraph, or with --json one object {groups, pairs, compared}. */
export async function peopleDuplicatesCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length) throw new CliError('usage: skillnet people duplicates [--json]');
  const scan = await scanNetwork(ctx.db);
  const people = await briefs(ctx.db, scan.groups.flat());
  const name = (id: number) => {
    const p = people.get(id);
    return p ? displayName(p) : `#${id}`;
  };
  if (values.json) {
    ctx.out(JSON.stringify({
      groups: scan.groups,
      pairs: scan.pairs.map((p) => ({
        a: p.a, b: p.b, score: p.score, reasons: p.reasons.map((r) => ({ key: r.key, text: t(`dup.reason.${r.key}`, r.vars), weight: r.weight })),
      })),
      people: Object.fromEntries([...people].map(([id, p]) => [id, { name: displayName(p), email: p.email, phone: p.phone, city: p.city }])),
      compared: scan.compared,
    }));
    return 0;
  }
  if (!scan.groups.length) {
    ctx.out(t('dup.none'));
    return 0;
  }
  for (const g of scan.groups) {
    ctx.out(g.map((id) => `#${id} ${name(id)}${people.get(id)?.email ? ` <${people.get(id)!.email}>` : ''}`).join('  |  '));
    for (const p of scan.pairs.filter((x) => g.includes(x.a))) {
      ctx.out(`  #${p.a} ~ #${p.b}  score ${p.score}: ${p.reasons.map((r) => t(`dup.reason.${r.key}`, r.vars)).join('; ')}`);
    }
    ctx.out(`  merge: skillnet people merge ${g.join(' ')} --keep ${g[0]}`);
    ctx.out('');
  }
  ctx.out(t('dup.groups', { count: scan.groups.length }));
  return 0;
}

/** Merges the given people into --keep (default: the first id); the field values default to the newest non-empty ones. */
export async function peopleMergeCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { keep: { type: 'string' } } });
  const ids = positionals.map((p) => {
    if (!/^[1-9][0-9]*$/.test(p)) throw new CliError(`not a person id: ${p}`);
    return Number(p);
  });
  if (values.keep !== undefined && !/^[1-9][0-9]*$/.test(values.keep)) throw new CliError(`not a person id: ${values.keep}`);
  const keepId = values.keep ? Number(values.keep) : ids[0];
  const all = [...new Set([...(keepId ? [keepId] : []), ...ids])];
  if (all.length < 2) throw new CliError('usage: skillnet people merge ID ID… [--keep ID]');
  try {
    const records = await mergeRecords(ctx.db, all);
    const mergeId = await mergePeople(ctx.db, CLI_ACTOR, { keepId: keepId!, ids: all });
    const kept = records.find((r) => r.id === keepId)!;
    ctx.out(`Merged ${all.filter((id) => id !== keepId).map((id) => `#${id}`).join(', ')} into #${keepId} ${displayName(kept)} (merge ${mergeId}; undo it from the person's page).`);
    return 0;
  } catch (err) {
    if (err instanceof MergeRefused) throw new CliError(t(`dup.refused.${err.problem}`, err.vars));
    throw err;
  }
}
