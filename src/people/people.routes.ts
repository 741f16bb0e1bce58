// /people: search list, a person's page, and the create / edit / delete forms.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { formatLanguages } from './languages.domain.js';
import { readSkillEntry } from '../skills/skill-entry.service.js';
import { listSkillOptions } from '../skills/skills.queries.js';
import { findPeople } from '../search/search.queries.js';
import { PAGE_SIZE, filtersToParams, hasFilters, parsePeopleFilters, type ParamOverrides } from '../search/search.domain.js';
import { activeFilters, facetGroups, peopleUrl, RESULT_COLUMNS } from '../search/view.domain.js';
import { looserSearches } from '../search/looser.service.js';
import { BULK_ACTIONS, BULK_PERMISSION } from './bulk.domain.js';
import { suppressionFor } from '../privacy/privacy.queries.js';
import { AVAILABILITY, PERSON_DEFAULTS, PERSON_KINDS, displayName, personConflicts, validatePerson, type PersonInput } from './people.domain.js';
import { formVersion } from '../shared/conflicts.js';
import { VersionConflict } from '../shared/versions.queries.js';
import { briefs, dismissPair, findDuplicatesFor, personWithEmail } from '../duplicates/duplicates.queries.js';
import {
  createPerson, deletePerson, findPerson, personDeleteImpact, personPage, personSkills, personTags,
  updatePerson, type PersonRow,
} from './people.queries.js';

export function peopleRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const write = authorize('people.write');

  const formLocals = async (extra: Record<string, unknown>) => ({
    kinds: PERSON_KINDS, availability: AVAILABILITY, skillOptions: await listSkillOptions(db), errors: {}, conflicts: [], ...extra,
  });
  /**
   * At the door (the new-person and the edit form alike): the people these fields make a likely duplicate of,
   * for the warning, unless the user said they are different people (`distinct_from`). Editing `existing`, only
   * people it did not resemble before the edit count.
   */
  const doorCheck = async (fields: PersonInput['fields'], body: Record<string, unknown>, existing: PersonRow | null) => {
    const distinctFrom = body.confirm_distinct === '1' ? idsFrom(body.distinct_from) : [];
    const before = existing ? new Set((await findDuplicatesFor(db, existing, existing.id)).map((p) => p.b)) : new Set<number>();
    const likely = (await findDuplicatesFor(db, fields, existing?.id ?? null)).filter((p) => !distinctFrom.includes(p.b) && !before.has(p.b));
    const shown = likely.slice(0, 5);
    const people = shown.length ? await briefs(db, shown.map((p) => p.b)) : new Map();
    return { distinctFrom, duplicates: shown.map((p) => ({ ...p, person: people.get(p.b) })).filter((d) => d.person) };
  };
  const skillsText = async (id: number) => (await personSkills(db, id)).map((s) => `${s.name} (${s.level})`).sort().join(', ');
  const chosenText = (chosen: { skillId: number; level: number }[], options: { id: number; name: string }[]) =>
    chosen.map((c) => `${options.find((o) => o.id === c.skillId)?.name ?? c.skillId} (${c.level})`).sort().join(', ');

  r.get('/people', read, async (req, res) => {
    const filters = parsePeopleFilters(req.query as Record<string, unknown>);
    const result = await findPeople(db, filters, { locale: req.locale });
    const looser = result.total === 0 && hasFilters(filters)
      ? await looserSearches(db, filters, result, req.t, req.locale, async (g) => (await findPeople(db, g, { pageSize: 1 })).total) : [];
    res.render('people/list', {
      looser,
      title: req.t('people.title'), filters, result,
      params: (o: ParamOverrides = {}) => filtersToParams(filters, o),
      facets: facetGroups(filters, result.facets, req.t),
      chips: activeFilters(filters, result, req.t, req.locale),
      dncUrl: peopleUrl(filters, { dnc: '1' }),
      searchQuery: filtersToParams(filters, { page: null }),
      filtered: hasFilters(filters) || filters.includeDnc,
      moreFilters: Boolean(filters.minLevel > 1 || filters.availability || filters.language || filters.tag || filters.projectKind || filters.activeYears || filters.includeDnc),
      pageSize: PAGE_SIZE,
      skillOptions: await listSkillOptions(db),
      bulk: { actions: BULK_ACTIONS, permission: BULK_PERMISSION, hidden: [...new URLSearchParams(filtersToParams(filters, { page: null, id: null }))] },
      sortHref: (sort: string) => peopleUrl(filters, { sort }),
      columns: RESULT_COLUMNS,
    });
  });

  r.get('/people/new', write, async (req, res) => {
    res.render('people/form', await formLocals({ title: req.t('people.new'), person: null, values: { ...PERSON_DEFAULTS }, chosenSkills: [] }));
  });

  r.post('/people', write, async (req, res) => {
    // the skill entry field's Add step (or a choice among matches): the form again, everything kept, nothing saved
    const entry = await readSkillEntry(db, bodyOf(req), 'skill_level', req.locale);
    if (entry.stay) return res.render('people/form', await formLocals({ title: req.t('people.new'), person: null, values: entry.body, chosenSkills: entry.rows, skillAdd: entry.add }));
    const body = entry.body;
    const result = validatePerson(body);
    const errors = result.ok ? {} : { ...result.errors };
    const emailCheck = result.ok ? await checkEmail(db, result.value, errors) : { errorVars: {}, owner: null };
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'people/form', await formLocals({ title: req.t('people.new'), person: null, values: body, errors, errorVars: emailCheck.errorVars, emailOwner: emailCheck.owner, chosenSkills: chosenFromBody(body) }));
    }
    const { distinctFrom, duplicates } = await doorCheck(result.value.fields, body, null);
    if (duplicates.length) {
      return res.status(409).render('people/form', await formLocals({
        title: req.t('people.new'), person: null, values: body, chosenSkills: chosenFromBody(body), duplicates,
      }));
    }
    const id = await createPerson(db, actorOf(req), result.value);
    for (const other of distinctFrom) if (await findPerson(db, other)) await dismissPair(db, actorOf(req), id, other);
    flash(req, 'success', 'people.created', { name: displayName(result.value.fields) });
    res.redirect(`/people/${id}`);
  });

  r.get('/people/:id', read, async (req, res) => {
    const page = found(await personPage(db, parseId(req.params.id), { role: req.user?.role, locale: req.locale }));
    res.render('people/show', { title: displayName(page.person), ...page });
  });

  r.get('/people/:id/edit', write, async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    const skills = await personSkills(db, person.id);
    const tags = await personTags(db, person.id);
    res.render('people/form', await formLocals({
      title: req.t('people.edit', { name: displayName(person) }), person,
      values: { ...person, languages: formatLanguages(person.languages, req.locale), tags: tags.join(', '), version: person.updated_at }, chosenSkills: skills.map((s) => ({ skillId: s.skill_id, level: s.level })),
    }));
  });

  r.post('/people/:id', write, async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    const entry = await readSkillEntry(db, bodyOf(req), 'skill_level', req.locale);
    if (entry.stay) {
      return res.render('people/form', await formLocals({ title: req.t('people.edit', { name: displayName(person) }), person, values: entry.body, chosenSkills: entry.rows, skillAdd: entry.add }));
    }
    const body = entry.body;
    const result = validatePerson(body);
    const errors = result.ok ? {} : { ...result.errors };
    const emailCheck = result.ok ? await checkEmail(db, result.value, errors, person.id) : { errorVars: {}, owner: null };
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'people/form', await formLocals({
        title: req.t('people.edit', { name: displayName(person) }), person, values: body, errors, errorVars: emailCheck.errorVars,
        emailOwner: emailCheck.owner, chosenSkills: chosenFromBody(body),
      }));
    }
    // the same check at the door as for a new person: only people this edit makes them look like (not those
    // they resembled before: those are on the duplicates page), unless the user said these are different people
    const { distinctFrom, duplicates } = await doorCheck(result.value.fields, body, person);
    if (duplicates.length) {
      return res.status(409).render('people/form', await formLocals({
        title: req.t('people.edit', { name: displayName(person) }), person, values: body, chosenSkills: chosenFromBody(body), duplicates,
      }));
    }
    try {
      await updatePerson(db, actorOf(req), person.id, result.value, formVersion(body));
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // saved by someone else (or an import) since this form was opened: show both, overwrite nothing
      const saved = found(await findPerson(db, person.id));
      const conflicts = personConflicts({ ...saved, skills: await skillsText(saved.id), tags: (await personTags(db, saved.id)).join(', ') }, {
        ...result.value.fields, skills: chosenText(result.value.skills, await listSkillOptions(db)), tags: result.value.tags.join(', '),
      });
      return res.status(409).render('people/form', await formLocals({
        title: req.t('people.edit', { name: displayName(person) }), person: saved, values: { ...body, version: saved.updated_at }, conflicts,
        chosenSkills: chosenFromBody(body),
      }));
    }
    for (const other of distinctFrom) if (await findPerson(db, other)) await dismissPair(db, actorOf(req), person.id, other);
    flash(req, 'success', 'people.saved', { name: displayName(result.value.fields) });
    res.redirect(`/people/${person.id}`);
  });

  r.get('/people/:id/delete', authorize('people.delete'), async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    res.render('people/delete', { title: req.t('people.deleteTitle', { name: displayName(person) }), person, impact: await personDeleteImpact(db, person.id) });
  });

  r.post('/people/:id/delete', authorize('people.delete'), async (req, res) => {
    const person = found(await findPerson(db, parseId(req.params.id)));
    const impact = await personDeleteImpact(db, person.id);
    // engagements are organisations' history: removed only when the form says so
    if (impact.engagements > 0 && bodyOf(req).confirm_history !== '1') {
      return renderInvalid(res, 'people/delete', {
        title: req.t('people.deleteTitle', { name: displayName(person) }), person, impact, errors: { confirm_history: 'people.deleteHistoryRequired' },
      });
    }
    await deletePerson(db, actorOf(req), person.id);
    flash(req, 'success', 'people.deleted', { name: displayName(person) });
    res.redirect('/people');
  });

  return r;
}

/**
 * E-mail must be free (also as the address of someone merged away) and not erased on request; sets the field error
 * and returns its message variables and the person it belongs to (the form links them).
 */
export async function checkEmail(db: Knex, input: PersonInput, errors: Record<string, string>, exceptId?: number) {
  const email = input.fields.email;
  const owner = (await personWithEmail(db, email, exceptId)) ?? null;
  if (owner) errors.email = 'people.emailTaken';
  const suppressed = await suppressionFor(db, email);
  if (suppressed) {
    errors.email = 'privacy.suppressedEmail';
    return { errorVars: { email: { date: suppressed.erased_at.slice(0, 10) } }, owner: null };
  }
  return { errorVars: {}, owner: owner ? { id: owner.id, name: displayName(owner) } : null };
}

function idsFrom(raw: unknown): number[] {
  return ([] as unknown[]).concat(raw ?? []).map((x) => String(x)).filter((x) => /^[1-9][0-9]{0,15}$/.test(x)).map(Number).slice(0, 20);
}

/** The skill rows a failed form submitted, so the re-rendered form keeps them. */
function chosenFromBody(body: Record<string, unknown>): { skillId: number; level: number }[] {
  const ids = ([] as unknown[]).concat(body.skill_id ?? []);
  const levels = ([] as unknown[]).concat(body.skill_level ?? []);
  return ids.map((id, i) => ({ skillId: Number(id), level: Number(levels[i] ?? 1) })).filter((s) => s.skillId > 0);
}
