// The skill entry field's step on a form post (person and project forms alike): removes ticked rows, adds the
// skill picked or named in the add field, and says whether the form must come back (an Add step, a choice among
// several matches, a name that matches nothing) instead of being saved.
import type { Knex } from 'knex';
import { bodyWithSkillRows, skillAddStep, skillRowsFromBody, type SkillMatch, type SkillRow } from './skill-entry.domain.js';
import { skillEntryCandidates } from './skills.queries.js';

export interface SkillEntry {
  /** the form body with the rows written back (what validation reads) */
  body: Record<string, unknown>;
  rows: SkillRow[];
  /** the add field's state for the re-rendered form */
  add: { q: string; matches: SkillMatch[]; unknown: boolean };
  /** true: show the form again (nothing is saved) */
  stay: boolean;
}

export async function readSkillEntry(db: Knex, body: Record<string, unknown>, levelField: string, locale: string): Promise<SkillEntry> {
  let rows = skillRowsFromBody(body, levelField);
  const picked = Boolean(body.skill_pick);
  const typed = String(body.skill_add ?? '').trim();
  const adding = body._find === 'skill' || picked || Boolean(typed);
  let add: SkillEntry['add'] = { q: '', matches: [], unknown: false };
  if (!picked && typed) {
    const step = skillAddStep(await skillEntryCandidates(db), typed, locale);
    if (step.kind === 'added' && !rows.some((r) => r.skillId === step.skillId)) rows = [...rows, { skillId: step.skillId, level: 1 }];
    if (step.kind === 'choose') add = { q: typed, matches: step.matches, unknown: false };
    if (step.kind === 'unknown') add = { q: typed, matches: [], unknown: true };
  }
  return { body: { ...bodyWithSkillRows(body, levelField, rows), skill_add: add.q }, rows, add, stay: adding };
}
