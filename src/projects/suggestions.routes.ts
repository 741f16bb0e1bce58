// /projects/:id/suggestions: every person ranked for a project, page by page, narrowed by place, availability and
// how many needed skills they cover; each with the reasons, their place on this project's shortlist and whether
// another project asked them recently. Adding to the shortlist posts to /projects/:id/shortlist.
import { Router } from 'express';
import type { Knex } from 'knex';
import { authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { foldText } from '../shared/normalise.js';
import { AVAILABILITY } from '../people/people.domain.js';
import { canShortlist, recentlyAskedSince, RECENTLY_ASKED_DAYS } from '../shortlists/shortlists.domain.js';
import { askedElsewhereSince, shortlistStatesOf } from '../shortlists/shortlists.queries.js';
import { findProject, projectSkills, type ProjectSkillRow } from './projects.queries.js';
import {
  RANKING_WEIGHTS, SUGGESTIONS_PAGE_SIZE, isPlanned, parseSuggestionFilters, rankHelpersForProject, suggestionFilterParams, type RankNeededSkill,
} from './suggestions.domain.js';
import { suggestionCandidates } from './suggestions.queries.js';

const today = () => new Date().toISOString().slice(0, 10);

export function suggestionsRoutes({ db }: { db: Knex }) {
  const r = Router();

  const neededOf = (skills: ProjectSkillRow[], locale: string): RankNeededSkill[] =>
    skills.map((s) => ({ skillId: s.skill_id, name: locale === 'de' && s.name_de ? s.name_de : s.name, minLevel: s.min_level }));

  r.get('/projects/:id/suggestions', authorize('directory.read'), async (req, res) => {
    const project = found(await findProject(db, parseId(req.params.id)));
    const skills = await projectSkills(db, project.id);
    const filters = parseSuggestionFilters(req.query as Record<string, unknown>, skills.length);
    const candidates = await suggestionCandidates(db, project, skills.map((s) => s.skill_id), undefined, {
      cityNorm: foldText(filters.city) || undefined, remote: filters.remote, availability: filters.availability || undefined,
    });
    const day = today();
    const ranked = rankHelpersForProject({ needed: neededOf(skills, req.locale), candidates, today: day })
      .filter((s) => s.covered >= filters.minCovered);
    const pages = Math.max(1, Math.ceil(ranked.length / SUGGESTIONS_PAGE_SIZE));
    const page = Math.min(filters.page, pages);
    const shown = ranked.slice((page - 1) * SUGGESTIONS_PAGE_SIZE, page * SUGGESTIONS_PAGE_SIZE);
    const ids = shown.map((s) => s.personId);
    const [states, askedElsewhere] = await Promise.all([
      shortlistStatesOf(db, project.id, ids), askedElsewhereSince(db, project.id, ids, recentlyAskedSince(new Date())),
    ]);
    const filtered = Boolean(filters.city || filters.remote || filters.availability || filters.minCovered);
    res.render('projects/suggestions', {
      title: req.t('suggestions.title', { title: project.title }), project, skills, total: ranked.length, page, pages,
      from: ranked.length ? (page - 1) * SUGGESTIONS_PAGE_SIZE + 1 : 0, to: (page - 1) * SUGGESTIONS_PAGE_SIZE + shown.length,
      suggestions: shown, weights: RANKING_WEIGHTS, filters, filtered, availabilities: AVAILABILITY, states, askedElsewhere,
      recentDays: RECENTLY_ASKED_DAYS, today: day, isPlanned,
      here: `/projects/${project.id}/suggestions${suggestionFilterParams(filters, page)}`,
      pageLink: (p: number) => `/projects/${project.id}/suggestions${suggestionFilterParams(filters, p)}`,
      canShortlist: canShortlist(req.user, project),
    });
  });

  return r;
}
