// /pickers/<kind>?q=…: the type-ahead's answers as JSON (people, organisations, projects), for public/picker.js.
// Without JavaScript the forms run the same search as a step of their own (pickerState), keeping what was typed.
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../users/auth.service.js';
import { notFound } from '../http/errors.js';
import { PICKER_KINDS, pickedId, pickerQuery, pickerStatus, type PickerKind } from './pickers.domain.js';
import { pickerOptions } from './pickers.queries.js';
import { matchSkills } from '../skills/skill-entry.domain.js';
import { skillEntryCandidates } from '../skills/skills.queries.js';

export function pickersRoutes({ db }: { db: Knex }) {
  const r = Router();

  // skills by any of their names (English, German, aliases): the skill entry field of the person and project forms
  r.get('/pickers/skills', authorize('directory.read'), async (req, res) => {
    const q = pickerQuery(req.query.q);
    const options = matchSkills(await skillEntryCandidates(db), q, req.locale);
    res.json({ q, options, status: q && !options.length ? req.t('pickers.none', { q }) : '' });
  });

  r.get('/pickers/:kind', authorize('directory.read'), async (req, res) => {
    const kind = String(req.params.kind);
    if (!(PICKER_KINDS as readonly string[]).includes(kind)) throw notFound();
    const q = pickerQuery(req.query.q);
    const answer = await pickerOptions(db, kind as PickerKind, q, req.t, { org: pickedId(req.query.org), locale: req.locale });
    res.json({
      // more: true when more than `total` match (the people picker stops counting past 1,000)
      q, total: answer.total, more: answer.more, options: answer.options,
      // the line under the list, in the interface language: never a list capped in silence
      status: pickerStatus(req.t, res.locals.fmt, answer.options.length, answer.total, q, answer.more),
    });
  });

  return r;
}
