// Engagements: record, edit and delete a person's work on a project (from the project page).
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { forbidden, found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, queryString } from '../http/forms.js';
import type { FieldErrors } from '../shared/validate.js';
import { canManageProject } from '../users/roles.domain.js';
import { findProject, type ProjectRow } from '../projects/projects.queries.js';
import { HANDOVER, engagementConflicts, validateEngagement } from './engagements.domain.js';
import { formVersion, type FieldConflict } from '../shared/conflicts.js';
import { VersionConflict } from '../shared/versions.queries.js';
import { pickedId, pickerQuery } from '../pickers/pickers.domain.js';
import { pickerState } from '../pickers/pickers.queries.js';
import {
  createEngagement, deleteEngagement, findEngagement, personExists, updateEngagement, type EngagementRow,
} from './engagements.queries.js';


export function engagementsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const write = authorize('engagements.write');

  /** The project, or 404; then 403 unless this user may manage its engagements. */
  async function manageableProject(req: Request, rawId: unknown): Promise<ProjectRow> {
    const project = found(await findProject(db, parseId(rawId)));
    if (!canManageProject(req.user, project, 'engagements.write')) throw forbidden();
    return project;
  }

  async function manageableEngagement(req: Request): Promise<EngagementRow> {
    const engagement = found(await findEngagement(db, parseId(req.params.id)));
    if (!canManageProject(req.user, engagement, 'engagements.write')) throw forbidden();
    return engagement;
  }

  async function renderForm(req: Request, res: Response, o: {
    project: ProjectRow; engagement: EngagementRow | null; values: Record<string, unknown>; errors?: FieldErrors; conflicts?: FieldConflict[];
  }) {
    // the person picker: what was typed in its search box (the form's own search step posts it) and who is chosen
    const person = await pickerState(db, 'people', {
      q: pickerQuery(o.values.person_id_q ?? queryString(req, 'person_id_q')), chosen: pickedId(o.values.person_id), t: req.t,
    });
    const errors = o.errors ?? {};
    res.status(o.conflicts ? 409 : Object.keys(errors).length ? 422 : 200).render('engagements/form', {
      title: o.engagement
        ? req.t('engagements.editTitle', { project: o.project.title })
        : req.t('engagements.newTitle', { project: o.project.title }),
      project: o.project, engagement: o.engagement, values: o.values, errors, conflicts: o.conflicts ?? null, person, handover: HANDOVER,
    });
  }

  r.get('/projects/:id/engagements/new', write, async (req, res) => {
    const project = await manageableProject(req, req.params.id);
    const person = queryString(req, 'person');
    await renderForm(req, res, { project, engagement: null, values: { person_id: /^\d+$/.test(person) ? person : '', start_date: project.start_date ?? '', end_date: project.end_date ?? '' } });
  });

  r.post('/projects/:id/engagements', write, async (req, res) => {
    const project = await manageableProject(req, req.params.id);
    const body = bodyOf(req);
    // the picker's Find button (no JavaScript): the same form again, everything typed kept, nothing saved
    if (body._find) return renderForm(req, res, { project, engagement: null, values: body });
    const result = validateEngagement(body);
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && !(await personExists(db, result.value.person_id))) errors.person_id = 'engagements.personUnknown';
    if (!result.ok || Object.keys(errors).length) return renderForm(req, res, { project, engagement: null, values: body, errors });
    await createEngagement(db, actorOf(req), project.id, result.value);
    flash(req, 'success', 'engagements.created', { project: project.title });
    res.redirect(`/projects/${project.id}`);
  });

  r.get('/engagements/:id/edit', write, async (req, res) => {
    const engagement = await manageableEngagement(req);
    const project = found(await findProject(db, engagement.project_id));
    await renderForm(req, res, { project, engagement, values: { ...engagement, version: engagement.updated_at } });
  });

  r.post('/engagements/:id', write, async (req, res) => {
    const engagement = await manageableEngagement(req);
    const project = found(await findProject(db, engagement.project_id));
    const body = bodyOf(req);
    if (body._find) return renderForm(req, res, { project, engagement, values: body });
    const result = validateEngagement(body);
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && !(await personExists(db, result.value.person_id))) errors.person_id = 'engagements.personUnknown';
    if (!result.ok || Object.keys(errors).length) return renderForm(req, res, { project, engagement, values: body, errors });
    try {
      await updateEngagement(db, actorOf(req), engagement.id, result.value, formVersion(body));
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // saved by someone else (or a history import) since this form was opened: show both, overwrite nothing
      const saved = found(await findEngagement(db, engagement.id));
      return renderForm(req, res, { project, engagement: saved, values: { ...body, version: saved.updated_at }, conflicts: engagementConflicts(saved, result.value) });
    }
    flash(req, 'success', 'engagements.saved', { project: project.title });
    res.redirect(`/projects/${project.id}`);
  });

  r.get('/engagements/:id/delete', write, async (req, res) => {
    const engagement = await manageableEngagement(req);
    res.render('engagements/delete', { title: req.t('engagements.deleteTitle'), engagement });
  });

  r.post('/engagements/:id/delete', write, async (req, res) => {
    const engagement = await manageableEngagement(req);
    await deleteEngagement(db, actorOf(req), engagement.id);
    flash(req, 'success', 'engagements.deleted', { project: engagement.project_title });
    res.redirect(`/projects/${engagement.project_id}`);
  });

  return r;
}
