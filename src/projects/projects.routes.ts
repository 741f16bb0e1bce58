// /projects: filtered list, a project's page (needed skills, team), create / edit / delete; suggestions are mounted here too.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { forbidden, found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, queryString } from '../http/forms.js';
import type { FieldErrors } from '../shared/validate.js';
import { visibleHistory } from '../audit/history.queries.js';
import { canManageProject } from '../users/roles.domain.js';
import { organisationName } from '../organisations/organisations.queries.js';
import { pickedId, pickerQuery } from '../pickers/pickers.domain.js';
import { pickerState } from '../pickers/pickers.queries.js';
import { listSkillOptions, germanSkillNames } from '../skills/skills.queries.js';
import {
  DEFAULT_PROJECT_KIND, PROJECT_KINDS, PROJECT_STATUSES, neededFromBody, parseProjectFilters, projectConflicts, projectFilterParams, validateProject, type ProjectFilters,
} from './projects.domain.js';
import { formVersion, type FieldConflict } from '../shared/conflicts.js';
import { VersionConflict } from '../shared/versions.queries.js';
import {
  createProject, deleteProject, findProject, findProjects, organisationExists, projectDeleteImpact, projectSkills, projectTeam,
  unknownSkillIds, updateProject, type ProjectRow,
} from './projects.queries.js';
import { suggestionsRoutes } from './suggestions.routes.js';
import { shortlistsRoutes } from '../shortlists/shortlists.routes.js';
import { readSkillEntry, type SkillEntry } from '../skills/skill-entry.service.js';
import { shortlistCounts } from '../shortlists/shortlists.queries.js';
import { SHORTLIST_STATES } from '../shortlists/shortlists.domain.js';

export function projectsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const write = authorize('projects.write');

  /** Staff have one organisation to choose (a plain list); everyone else searches all of them with the picker. */
  async function organisationChoices(req: Request, values: Record<string, unknown>) {
    if (req.user?.role === 'staff') {
      const own = req.user.organisation_id;
      return { own: own ? [{ id: own, name: (await organisationName(db, own)) ?? '' }] : [], picker: null };
    }
    return { own: null, picker: await pickerState(db, 'organisations', { q: pickerQuery(values.organisation_id_q), chosen: pickedId(values.organisation_id), t: req.t, locale: req.locale }) };
  }

  async function renderForm(req: Request, res: Response, o: {
    project: ProjectRow | null; values: Record<string, unknown>; chosenSkills: { skillId: number; minLevel: number }[]; errors?: FieldErrors;
    conflicts?: FieldConflict[];
    skillAdd?: SkillEntry['add'];
  }) {
    const errors = o.errors ?? {};
    res.status(o.conflicts ? 409 : Object.keys(errors).length ? 422 : 200).render('projects/form', {
      title: o.project ? req.t('projects.edit', { title: o.project.title }) : req.t('projects.new'),
      project: o.project, values: o.values, chosenSkills: o.chosenSkills, errors, conflicts: o.conflicts ?? null, skillAdd: o.skillAdd,
      organisations: await organisationChoices(req, o.values), skillOptions: await listSkillOptions(db), kinds: PROJECT_KINDS, statuses: PROJECT_STATUSES,
    });
  }

  /** The project or 404; then 403 unless this user may change it. */
  async function manageable(req: Request): Promise<ProjectRow> {
    const project = found(await findProject(db, parseId(req.params.id)));
    if (!canManageProject(req.user, project, 'projects.write')) throw forbidden();
    return project;
  }

  /** Validates a submitted project; 403 when a staff member names another organisation. */
  async function checkSubmitted(req: Request, body: Record<string, unknown>) {
    const result = validateProject(body);
    const errors: FieldErrors = result.ok ? {} : { ...result.errors };
    if (result.ok) {
      if (!canManageProject(req.user, { organisation_id: result.value.organisation_id }, 'projects.write')) throw forbidden();
      if (!(await organisationExists(db, result.value.organisation_id))) errors.organisation_id = 'validation.choice';
      if ((await unknownSkillIds(db, result.value.skills.map((s) => s.skillId))).length) errors.skills = 'validation.choice';
    }
    return { body, result, errors };
  }

  r.get('/projects', read, async (req, res) => {
    const filters: ProjectFilters = parseProjectFilters(req.query as Record<string, unknown>);
    const result = await findProjects(db, filters);
    res.render('projects/list', {
      title: req.t('projects.title'), filters, result,
      organisations: await pickerState(db, 'organisations', { q: pickerQuery(req.query.org_q), chosen: filters.org, t: req.t, locale: req.locale }),
      kinds: PROJECT_KINDS, statuses: PROJECT_STATUSES,
      params: (over: Record<string, string | null> = {}) => projectFilterParams(filters, over),
    });
  });

  r.get('/projects/new', write, async (req, res) => {
    const orgRaw = queryString(req, 'organisation');
    const own = req.user?.role === 'staff' ? req.user.organisation_id : null;
    if (req.user?.role === 'staff' && !own) throw forbidden();
    await renderForm(req, res, {
      project: null, chosenSkills: [],
      values: { organisation_id: own ?? (/^\d+$/.test(orgRaw) ? orgRaw : ''), kind: DEFAULT_PROJECT_KIND, status: 'open' },
    });
  });

  r.post('/projects', write, async (req, res) => {
    // the organisation picker's Find button (no JavaScript): the form again with everything typed
    const entry = await readSkillEntry(db, bodyOf(req), 'min_level', req.locale);
    if (bodyOf(req)._find || entry.stay) return renderForm(req, res, { project: null, values: entry.body, chosenSkills: neededFromBody(entry.body), skillAdd: entry.add });
    const { body, result, errors } = await checkSubmitted(req, entry.body);
    if (!result.ok || Object.keys(errors).length) return renderForm(req, res, { project: null, values: body, chosenSkills: neededFromBody(body), errors });
    const id = await createProject(db, actorOf(req), result.value);
    flash(req, 'success', 'projects.created', { title: result.value.title });
    res.redirect(`/projects/${id}`);
  });

  r.get('/projects/:id', read, async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    const [skills, team, history, shortlist] = await Promise.all([
      projectSkills(db, project.id), projectTeam(db, project.id), visibleHistory(db, req.user?.role, 'project', project.id), shortlistCounts(db, project.id),
    ]);
    const hours = team.reduce((sum, e) => sum + (e.hours ?? 0), 0);
    res.render('projects/show', {
      title: project.title, project, skills, team, history, hours, shortlist, shortlistStates: SHORTLIST_STATES, skillNames: req.locale === 'de' ? await germanSkillNames(db) : null,
      canEdit: canManageProject(req.user, project, 'projects.write'),
      canEngage: canManageProject(req.user, project, 'engagements.write'),
    });
  });

  r.get('/projects/:id/edit', write, async (req, res) => {
    const project = await manageable(req);
    const skills = await projectSkills(db, project.id);
    await renderForm(req, res, { project, values: { ...project, version: project.updated_at }, chosenSkills: skills.map((s) => ({ skillId: s.skill_id, minLevel: s.min_level })) });
  });

  r.post('/projects/:id', write, async (req, res) => {
    const project = await manageable(req);
    const entry = await readSkillEntry(db, bodyOf(req), 'min_level', req.locale);
    if (bodyOf(req)._find || entry.stay) return renderForm(req, res, { project, values: entry.body, chosenSkills: neededFromBody(entry.body), skillAdd: entry.add });
    const { body, result, errors } = await checkSubmitted(req, entry.body);
    if (!result.ok || Object.keys(errors).length) return renderForm(req, res, { project, values: body, chosenSkills: neededFromBody(body), errors });
    try {
      await updateProject(db, actorOf(req), project.id, result.value, formVersion(body));
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // saved by someone else since this form was opened: show both, overwrite nothing
      const saved = found(await findProject(db, project.id));
      return renderForm(req, res, { project: saved, values: { ...body, version: saved.updated_at }, chosenSkills: neededFromBody(body), conflicts: projectConflicts(saved, result.value) });
    }
    flash(req, 'success', 'projects.saved', { title: result.value.title });
    res.redirect(`/projects/${project.id}`);
  });

  r.get('/projects/:id/delete', write, async (req, res) => {
    const project = await manageable(req);
    res.render('projects/delete', { title: req.t('projects.deleteTitle', { title: project.title }), project, impact: await projectDeleteImpact(db, project.id) });
  });

  r.post('/projects/:id/delete', write, async (req, res) => {
    const project = await manageable(req);
    await deleteProject(db, actorOf(req), project.id);
    flash(req, 'success', 'projects.deleted', { title: project.title });
    res.redirect(`/organisations/${project.organisation_id}`);
  });

  r.use(suggestionsRoutes({ db }));
  r.use(shortlistsRoutes({ db }));
  return r;
}
