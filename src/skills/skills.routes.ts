// /skills: the taxonomy with usage counts; create, edit, delete and merge skills.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf, renderInvalid } from '../http/forms.js';
import { validateSkill } from './skills.domain.js';
import {
  createSkill, deleteSkill, findSkill, listCategories, listSkillOptions, listSkillsWithUsage, mergeSkills, nameClash, skillAliases,
  skillUsage, updateSkill,
} from './skills.queries.js';

export function skillsRoutes({ db }: { db: Knex }) {
  const r = Router();
  const read = authorize('directory.read');
  const write = authorize('skills.write');

  const formLocals = async (extra: Record<string, unknown>) => ({ categories: await listCategories(db), errors: {}, ...extra });

  r.get('/skills', read, async (req, res) => {
    res.render('skills/list', { title: req.t('skills.title'), skills: await listSkillsWithUsage(db) });
  });

  r.get('/skills/new', write, async (req, res) => {
    res.render('skills/form', await formLocals({ title: req.t('skills.new'), skill: null, values: {} }));
  });

  r.post('/skills', write, async (req, res) => {
    const body = bodyOf(req);
    const result = validateSkill(body);
    const errors = result.ok ? {} : { ...result.errors };
    const clash = result.ok ? await nameClash(db, result.value) : null;
    if (clash) errors.name = 'skills.nameTaken';
    if (!result.ok || clash) return renderInvalid(res, 'skills/form', await formLocals({ title: req.t('skills.new'), skill: null, values: body, errors, clash }));
    await createSkill(db, actorOf(req), result.value);
    flash(req, 'success', 'skills.created', { name: result.value.name });
    res.redirect('/skills');
  });

  r.get('/skills/:id/edit', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    const aliases = await skillAliases(db, skill.id);
    res.render('skills/form', await formLocals({ title: req.t('skills.edit', { name: skill.name }), skill, values: { ...skill, aliases: aliases.join(', ') } }));
  });

  r.post('/skills/:id', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    const body = bodyOf(req);
    const result = validateSkill(body);
    const errors = result.ok ? {} : { ...result.errors };
    const clash = result.ok ? await nameClash(db, result.value, skill.id) : null;
    if (clash) errors.name = 'skills.nameTaken';
    if (!result.ok || clash) {
      return renderInvalid(res, 'skills/form', await formLocals({ title: req.t('skills.edit', { name: skill.name }), skill, values: body, errors, clash }));
    }
    await updateSkill(db, actorOf(req), skill.id, result.value);
    flash(req, 'success', 'skills.saved', { name: result.value.name });
    res.redirect('/skills');
  });

  r.get('/skills/:id/delete', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    res.render('skills/delete', { title: req.t('skills.deleteTitle', { name: skill.name }), skill, usage: await skillUsage(db, skill.id) });
  });

  r.post('/skills/:id/delete', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    await deleteSkill(db, actorOf(req), skill.id);
    flash(req, 'success', 'skills.deleted', { name: skill.name });
    res.redirect('/skills');
  });

  r.get('/skills/:id/merge', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    const options = (await listSkillOptions(db)).filter((s) => s.id !== skill.id);
    res.render('skills/merge', { title: req.t('skills.mergeTitle', { name: skill.name }), skill, options, usage: await skillUsage(db, skill.id), errors: {} });
  });

  r.post('/skills/:id/merge', write, async (req, res) => {
    const skill = found(await findSkill(db, parseId(req.params.id)));
    const intoRaw = String(bodyOf(req).into ?? '');
    const into = /^\d+$/.test(intoRaw) ? await findSkill(db, Number(intoRaw)) : undefined;
    if (!into || into.id === skill.id) {
      const options = (await listSkillOptions(db)).filter((s) => s.id !== skill.id);
      return renderInvalid(res, 'skills/merge', {
        title: req.t('skills.mergeTitle', { name: skill.name }), skill, options, usage: await skillUsage(db, skill.id), errors: { into: 'validation.choice' },
      });
    }
    const moved = await mergeSkills(db, actorOf(req), skill.id, into.id);
    flash(req, 'success', 'skills.merged', { from: skill.name, into: into.name, people: moved.people, projects: moved.projects });
    res.redirect('/skills');
  });

  return r;
}
