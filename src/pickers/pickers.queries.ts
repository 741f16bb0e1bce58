// What each picker finds, as options: people (by name words, from the search snapshot), organisations (by name),
// projects (by title, optionally of one organisation); plus the label of an id already chosen.
import type { Knex } from 'knex';
import { pickPeople, PICKER_LIMIT } from '../search/picker.queries.js';
import { sortName } from '../people/people.domain.js';
import { pickOrganisations } from '../organisations/organisations.queries.js';
import { pickProjects } from '../projects/projects.queries.js';
import type { Translate } from '../i18n/i18n.js';
import type { PickerAnswer, PickerKind, PickerOption } from './pickers.domain.js';

const personOption = (t: Translate) => (p: { id: number; first_name: string; last_name: string; city: string | null; do_not_contact: number | boolean }): PickerOption => ({
  id: p.id, label: sortName(p), hint: [p.city, Number(p.do_not_contact) ? t('people.dnc') : null].filter(Boolean).join(' · '),
});

/** The options a picker offers for the typed text (at most PICKER_LIMIT) and how many match in all. */
export async function pickerOptions(db: Knex, kind: PickerKind, q: string, t: Translate, opts: { org?: number | null; locale?: string } = {}): Promise<PickerAnswer> {
  if (kind === 'people') {
    const r = await pickPeople(db, q, PICKER_LIMIT);
    return { options: r.rows.map(personOption(t)), total: r.total, more: r.more ?? false };
  }
  if (kind === 'organisations') {
    const r = await pickOrganisations(db, q, PICKER_LIMIT, opts.locale);
    return { options: r.rows.map((o) => ({ id: o.id, label: o.name, hint: o.city ?? '' })), total: r.total, more: false };
  }
  const r = await pickProjects(db, q, { org: opts.org, limit: PICKER_LIMIT });
  return { options: r.rows.map((p) => ({ id: p.id, label: p.title, hint: [p.organisation_name, p.start_date?.slice(0, 4)].filter(Boolean).join(' · ') })), total: r.total, more: false };
}

/** The option of an id already chosen (kept at the top of the list while another search runs); null when it is gone. */
export async function chosenOption(db: Knex, kind: PickerKind, id: number | null, t: Translate): Promise<PickerOption | null> {
  if (!id) return null;
  if (kind === 'people') {
    const p = await db('people').where({ id }).first('id', 'first_name', 'last_name', 'city', 'do_not_contact');
    return p ? personOption(t)(p) : null;
  }
  if (kind === 'organisations') {
    const o = await db('organisations').where({ id }).first('id', 'name', 'city');
    return o ? { id: o.id, label: o.name, hint: o.city ?? '' } : null;
  }
  const p = await db('projects as p').join('organisations as o', 'o.id', 'p.organisation_id').where('p.id', id).first('p.id', 'p.title', 'o.name as organisation_name');
  return p ? { id: p.id, label: p.title, hint: p.organisation_name } : null;
}

export interface PickerState extends PickerAnswer {
  /** what was typed in the picker's search box (kept on the re-rendered page) */
  q: string;
  /** the id chosen so far, if any */
  chosen: number | null;
}

/**
 * What a picker shows on a page rendered by the server (the no-JavaScript search step, or a form coming back
 * with errors): the options for the typed text with the chosen one kept first, and the total.
 */
export async function pickerState(db: Knex, kind: PickerKind, o: { q: string; chosen: number | null; t: Translate; org?: number | null; locale?: string }): Promise<PickerState> {
  const answer = await pickerOptions(db, kind, o.q, o.t, { org: o.org, locale: o.locale });
  const chosen = await chosenOption(db, kind, o.chosen, o.t);
  const options = chosen && !answer.options.some((x) => x.id === chosen.id) ? [chosen, ...answer.options] : answer.options;
  return { options, total: answer.total, more: answer.more, q: o.q, chosen: chosen?.id ?? null };
}
