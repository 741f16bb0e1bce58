// /organisations: searchable list, an organisation's page with projects and past helpers, create / edit / delete.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, queryString, renderInvalid } from '../http/forms.js';
import { visibleHistory } from '../audit/history.queries.js';
import { canManageProject } from '../users/roles.domain.js';
import { formVersion } from '../shared/conflicts.js';
import { VersionConflict } from '../shared/versions.queries.js';
import { ORG_KINDS, ORG_LIMITS, groupPastHelpers, organisationConflicts, validateOrganisation } from './organisations.domain.js';
import { pageNumber } from '../shared/validate.js';
import {
  createOrganisation, deleteOrganisation, findOrganisation, findOrganisations, organisationDeleteImpact, organisationNameTaken,
  organisationProjects, pastHelperRows, updateOrganisation,
} from './organisations.queries.js';

export function organisationsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const write = authorize('organisations.write');
  const form = (extra: Record<string, unknown>) => ({ kinds: ORG_KINDS, errors: {}, ...extra });

  r.get('/organisations', read, async (req, res) => {
    const q = queryString(req, 'q').slice(0, ORG_LIMITS.q);
    const result = await findOrganisations(db, { q, page: pageNumber(queryString(req, 'page')) });
    res.render('organisations/list', { title: req.t('orgs.title'), q, result });
  });

  r.get('/organisations/new', write, (req, res) => {
    res.render('organisations/form', form({ title: req.t('orgs.new'), org: null, values: { kind: 'association' } }));
  });

  r.post('/organisations', write, async (req, res) => {
    const body = bodyOf(req);
    const result = validateOrganisation(body);
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && (await organisationNameTaken(db, result.value.name))) errors.name = 'orgs.nameTaken';
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'organisations/form', form({ title: req.t('orgs.new'), org: null, values: body, errors }));
    }
    const id = await createOrganisation(db, actorOf(req), result.value);
    flash(req, 'success', 'orgs.created', { name: result.value.name });
    res.redirect(`/organisations/${id}`);
  });

  r.get('/organisations/:id', read, async (req, res) => {
    const org = found(await findOrganisation(db, parseId(req.params.id)));
    const skillRaw = queryString(req, 'skill');
    const skillId = /^\d{1,9}$/.test(skillRaw) ? Number(skillRaw) : null;
    const [projects, rows, history] = await Promise.all([
      organisationProjects(db, org.id), pastHelperRows(db, org.id), visibleHistory(db, req.user?.role, 'organisation', org.id),
    ]);
    const allHelpers = groupPastHelpers(rows.engagements, rows.skills);
    const helpers = skillId === null ? allHelpers : groupPastHelpers(rows.engagements, rows.skills, skillId);
    // The skill filter offers the skills past helpers actually brought.
    const helperSkills = new Map<number, { skill_id: number; name: string; name_de: string | null }>();
    for (const h of allHelpers) for (const s of h.skills) helperSkills.set(s.skill_id, s);
    const canAddProject = canManageProject(req.user, { organisation_id: org.id }, 'projects.write');
    res.render('organisations/show', {
      title: org.name, org, projects, helpers, history, skillId, canAddProject,
      helperSkills: [...helperSkills.values()].sort((a, b) => a.name.localeCompare(b.name)),
    });
  });

  r.get('/organisations/:id/edit', write, async (req, res) => {
    const org = found(await findOrganisation(db, parseId(req.params.id)));
    res.render('organisations/form', form({ title: req.t('orgs.edit', { name: org.name }), org, values: { ...org, version: org.updated_at } }));
  });

  r.post('/organisations/:id', write, async (req, res) => {
    const org = found(await findOrganisation(db, parseId(req.params.id)));
    const body = bodyOf(req);
    const result = validateOrganisation(body);
    const errors = result.ok ? {} : { ...result.errors };
    if (result.ok && (await organisationNameTaken(db, result.value.name, org.id))) errors.name = 'orgs.nameTaken';
    if (!result.ok || Object.keys(errors).length) {
      return renderInvalid(res, 'organisations/form', form({ title: req.t('orgs.edit', { name: org.name }), org, values: body, errors }));
    }
    try {
      await updateOrganisation(db, actorOf(req), org.id, result.value, formVersion(body));
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // saved by someone else (or an import) since this form was opened: show both, overwrite nothing
      const saved = found(await findOrganisation(db, org.id));
      return res.status(409).render('organisations/form', form({
        title: req.t('orgs.edit', { name: saved.name }), org: saved, values: { ...body, version: saved.updated_at }, conflicts: organisationConflicts(saved, result.value),
      }));
    }
    flash(req, 'success', 'orgs.saved', { name: result.value.name });
    res.redirect(`/organisations/${org.id}`);
  });

  r.get('/organisations/:id/delete', write, async (req, res) => {
    const org = found(await findOrganisation(db, parseId(req.params.id)));
    res.render('organisations/delete', { title: req.t('orgs.deleteTitle', { name: org.name }), org, impact: await organisationDeleteImpact(db, org.id) });
  });

  r.post('/organisations/:id/delete', write, async (req, res) => {
    const org = found(await findOrganisation(db, parseId(req.params.id)));
    await deleteOrganisation(db, actorOf(req), org.id);
    flash(req, 'success', 'orgs.deleted', { name: org.name });
    res.redirect('/organisations');
  });

  return r;
}
