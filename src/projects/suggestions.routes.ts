// /projects/:id/suggestions: people ranked for a project, each with the reasons; one POST turns one into an engagement.
import { Router } from 'express';
import type { Knex } from 'knex';
import { actorOf, authorize } from '../users/auth.js';
import { forbidden, found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { canManageProject } from '../users/roles.domain.js';
import { createEngagement } from '../engagements/engagements.queries.js';
import { findProject, projectSkills, type ProjectSkillRow } from './projects.queries.js';
import { RANKING_WEIGHTS, defaultRoleFor, rankHelpersForProject, type RankNeededSkill } from './suggestions.domain.js';
import { suggestionCandidates } from './suggestions.queries.js';

const SUGGESTIONS_SHOWN = 30;

const today = () => new Date().toISOString().slice(0, 10);

export function suggestionsRoutes({ db }: { db: Knex }) {
  const r = Router();

  const neededOf = (skills: ProjectSkillRow[], locale: string): RankNeededSkill[] =>
    skills.map((s) => ({ skillId: s.skill_id, name: locale === 'de' && s.name_de ? s.name_de : s.name, minLevel: s.min_level }));

  r.get('/projects/:id/suggestions', authorize('directory.read'), async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    const skills = await projectSkills(db, project.id);
    const candidates = await suggestionCandidates(db, project, skills.map((s) => s.skill_id));
    const ranked = rankHelpersForProject({ needed: neededOf(skills, req.locale), candidates, today: today() });
    res.render('projects/suggestions', {
      title: req.t('suggestions.title', { title: project.title }), project, skills, total: ranked.length,
      suggestions: ranked.slice(0, SUGGESTIONS_SHOWN), weights: RANKING_WEIGHTS,
      canEngage: canManageProject(req.user, project, 'engagements.write'),
    });
  });

  r.post('/projects/:id/suggestions', authorize('engagements.write'), async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    if (!canManageProject(req.user, project, 'engagements.write')) throw forbidden();
    const rawPerson = String(bodyOf(req).person_id ?? '');
    const personId = /^\d{1,15}$/.test(rawPerson) ? Number(rawPerson) : 0;
    const skills = await projectSkills(db, project.id);
    const candidates = personId ? await suggestionCandidates(db, project, skills.map((s) => s.skill_id), personId) : [];
    const [suggestion] = rankHelpersForProject({ needed: neededOf(skills, req.locale), candidates, today: today() });
    // Do-not-contact people, people already on the team and people without a needed skill are never suggested.
    if (!suggestion) {
      flash(req, 'error', 'suggestions.notSuggestable');
      return res.redirect(`/projects/${project.id}/suggestions`);
    }
    await createEngagement(db, actorOf(req), project.id, {
      person_id: suggestion.personId, role: defaultRoleFor(suggestion) || null,
      start_date: project.start_date ?? today(), end_date: null, hours: null, paid: false, rate: null,
      outcome: null, feedback: null, rating: null, handover: null,
    }, { source: 'suggestion', score: suggestion.score });
    flash(req, 'success', 'suggestions.engaged', { name: suggestion.name, title: project.title });
    res.redirect(`/projects/${project.id}`);
  });

  return r;
}
