// /people/duplicates: likely duplicates with their reasons, "different people", the merge form, and undo.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, queryList } from '../http/forms.js';
import { displayName } from '../people/people.domain.js';
import { briefs, defaultPhoneRegion, dismissPair, PHONE_REGION_SETTING, scanNetwork } from './duplicates.queries.js';
import { phoneRegions } from './match.domain.js';
import { setSetting } from '../settings/settings.queries.js';
import { recordAudit } from '../audit/audit.queries.js';
import { conflictingFields, defaultChoices, MERGE_FIELDS, parseChoices, type MergeRecord } from './merge.domain.js';
import { findMerge, mergePeople, MergeRefused, mergeRecords, undoMerge } from './merge.queries.js';

/** Groups shown at once: merging or dismissing them brings the next ones up. */
export const GROUPS_SHOWN = 100;
const MAX_MERGE = 10;

function idList(raw: unknown[]): number[] {
  const ids: number[] = [];
  for (const x of raw) {
    const s = String(x).trim();
    if (/^[1-9][0-9]{0,15}$/.test(s) && !ids.includes(Number(s))) ids.push(Number(s));
  }
  return ids.slice(0, MAX_MERGE);
}

export function duplicatesRoutes({ db }: { db: Knex }) {
  const r = Router();
  const merge = authorize('people.merge');

  r.get('/people/duplicates', merge, async (req, res) => {
    const scan = await scanNetwork(db);
    const groups = scan.groups.slice(0, GROUPS_SHOWN);
    const people = await briefs(db, groups.flat());
    const pairsOf = (g: number[]) => scan.pairs.filter((p) => g.includes(p.a));
    res.render('duplicates/list', {
      title: req.t('dup.title'), total: scan.groups.length,
      phoneRegion: await defaultPhoneRegion(db), regions: phoneRegions(req.locale),
      groups: groups.map((g) => ({ ids: g, people: g.map((id) => people.get(id)).filter(Boolean), pairs: pairsOf(g) })),
      people,
    });
  });

  r.post('/people/duplicates/phone-region', authorize('settings.manage'), async (req, res) => {
    const code = String(bodyOf(req).phone_region ?? '');
    if (phoneRegions('en').some((r) => r.code === code)) {
      await setSetting(db, PHONE_REGION_SETTING, code);
      await recordAudit(db, actorOf(req), { action: 'update', entityType: 'setting', entityId: null, changes: { phone_region: code } });
      flash(req, 'success', 'settings.saved');
    }
    res.redirect('/people/duplicates');
  });

  r.post('/people/duplicates/dismiss', merge, async (req, res) => {
    const [a, b] = idList([bodyOf(req).a, bodyOf(req).b]);
    if (!a || !b) throw found(undefined);
    const people = await briefs(db, [a, b]);
    const pa = found(people.get(a));
    const pb = found(people.get(b));
    await dismissPair(db, actorOf(req), a, b);
    flash(req, 'success', 'dup.dismissed', { a: displayName(pa), b: displayName(pb) });
    res.redirect('/people/duplicates');
  });

  const renderMerge = async (req: Request, res: Response, records: MergeRecord[], keepId: number, opts: { status?: number; problem?: string; vars?: Record<string, string | number>; choices?: Record<string, number> } = {}) => {
    const choices = { ...defaultChoices(records, keepId), ...(opts.choices ?? {}) };
    res.status(opts.status ?? 200).render('duplicates/merge', {
      title: req.t('dup.mergeTitle', { count: records.length }), records, keepId, choices,
      fields: conflictingFields(records), problem: opts.problem ?? null, problemVars: opts.vars ?? {},
    });
  };

  r.get('/people/merge', merge, async (req, res) => {
    const ids = idList(queryList(req, 'ids'));
    const records = await mergeRecords(db, ids);
    if (records.length < 2) throw found(undefined);
    const keep = idList([req.query.keep]).find((id) => ids.includes(id)) ?? records[0]!.id;
    await renderMerge(req, res, records, keep);
  });

  r.post('/people/merge', merge, async (req, res) => {
    const body = bodyOf(req);
    const ids = idList(([] as unknown[]).concat(body.ids ?? []));
    const keepId = idList([body.keep]).find((id) => ids.includes(id)) ?? ids[0];
    const versions: Record<number, string> = {};
    for (const id of ids) {
      const v = body[`version_${id}`];
      if (typeof v === 'string') versions[id] = v;
    }
    const choices = parseChoices(body, ids);
    try {
      if (!keepId) throw new MergeRefused('tooFew');
      const records = await mergeRecords(db, ids);
      await mergePeople(db, actorOf(req), { keepId, ids, choices, versions });
      const kept = found((await briefs(db, [keepId])).get(keepId));
      flash(req, 'success', 'dup.merged', { count: records.length, name: displayName(kept) });
      res.redirect(`/people/${keepId}`);
    } catch (err) {
      if (!(err instanceof MergeRefused)) throw err;
      const records = await mergeRecords(db, ids);
      if (records.length < 2) {
        flash(req, 'error', `dup.refused.${err.problem}`, err.vars);
        return res.redirect('/people/duplicates');
      }
      // show the current values: what changed is visible before merging again
      await renderMerge(req, res, records, records.some((r) => r.id === keepId) ? keepId! : records[0]!.id, { status: 409, problem: `dup.refused.${err.problem}`, vars: err.vars });
    }
  });

  r.post('/people/merges/:id/undo', merge, async (req, res) => {
    const m = found(await findMerge(db, parseId(req.params.id)));
    try {
      await undoMerge(db, actorOf(req), m.id);
      flash(req, 'success', 'dup.undone', { count: m.merged_ids.length + 1 });
    } catch (err) {
      if (!(err instanceof MergeRefused)) throw err;
      flash(req, 'error', `dup.refused.${err.problem}`, err.vars);
    }
    res.redirect(`/people/${m.kept_id}`);
  });

  return r;
}

export { MERGE_FIELDS };
