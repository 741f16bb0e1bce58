import { expect } from 'chai';
import {
  RANKING_WEIGHTS as W, defaultRoleFor, monthsBetween, rankHelpersForProject, type RankCandidate, type RankNeededSkill,
} from '../../src/projects/suggestions.domain.js';

const TODAY = '2026-06-15';
const WP: RankNeededSkill = { skillId: 1, name: 'WordPress', minLevel: 2 };
const SEO: RankNeededSkill = { skillId: 2, name: 'SEO', minLevel: 1 };

function cand(personId: number, name: string, over: Partial<RankCandidate> = {}): RankCandidate {
  return {
    personId, name, doNotContact: false, availability: 'limited', skills: [], evidence: [], orgEngagements: 0,
    averageRating: null, lastEngagementAt: null, ...over,
  };
}
const ev = (skillId: number, projectId: number, date: string | null = '2025-01-01') => ({ skillId, projectId, title: `P${projectId}`, date });

describe('rankHelpersForProject', () => {
  const table: { name: string; needed: RankNeededSkill[]; candidates: RankCandidate[]; order: number[] }[] = [
    {
      name: 'do-not-contact people never appear, however well they fit',
      needed: [WP],
      candidates: [cand(1, 'Ada', { doNotContact: true, skills: [{ skillId: 1, level: 3 }], orgEngagements: 3, averageRating: 5 }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 1 }] })],
      order: [2],
    },
    {
      name: 'people without any needed skill and people already on the team are left out',
      needed: [WP],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 9, level: 3 }] }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }], onProject: true }), cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }] })],
      order: [3],
    },
    {
      name: 'at the minimum level beats below it; above the minimum beats at it',
      needed: [WP],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: 1 }] }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 3 }] }), cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }] })],
      order: [2, 3, 1],
    },
    {
      name: 'more needed skills covered ranks higher',
      needed: [WP, SEO],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }] }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }, { skillId: 2, level: 1 }] })],
      order: [2, 1],
    },
    {
      name: 'a missing personal level counts as basic: below a minimum of 2',
      needed: [WP],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: null }] }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }] })],
      order: [2, 1],
    },
    {
      name: 'a missing minimum level counts as basic: any level meets it',
      needed: [{ skillId: 1, name: 'WordPress', minLevel: null }],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: null }] }), cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }] })],
      order: [2, 1],
    },
    {
      name: 'recency: the more recent last engagement ranks higher; never engaged ranks last',
      needed: [WP],
      candidates: [
        cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }], lastEngagementAt: '2021-01-01' }),
        cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }] }),
        cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }], lastEngagementAt: '2026-03-01' }),
        cand(4, 'Dora', { skills: [{ skillId: 1, level: 2 }], lastEngagementAt: '2024-09-01' }),
      ],
      order: [3, 4, 1, 2],
    },
    {
      name: 'evidence from earlier projects counts, at most two projects per skill, each project once',
      needed: [WP],
      candidates: [
        cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }], evidence: [ev(1, 10), ev(1, 11), ev(1, 12), ev(1, 13)] }),
        cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }], evidence: [ev(1, 10), ev(1, 11)] }),
        cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }], evidence: [ev(1, 10), ev(1, 10)] }),
      ],
      order: [1, 2, 3],
    },
    {
      name: 'past work with the organisation and a good rating count; a poor rating counts against',
      needed: [WP],
      candidates: [
        cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }], averageRating: 2 }),
        cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }], orgEngagements: 1 }),
        cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }] }),
      ],
      order: [2, 3, 1],
    },
    {
      name: 'availability: available above limited above not available',
      needed: [WP],
      candidates: [
        cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }], availability: 'unavailable' }),
        cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }], availability: 'available' }),
        cand(3, 'Cem', { skills: [{ skillId: 1, level: 2 }], availability: 'limited' }),
      ],
      order: [2, 3, 1],
    },
    {
      name: 'ties: equal scores keep a stable order by name, then id',
      needed: [WP],
      candidates: [
        cand(7, 'Zoe', { skills: [{ skillId: 1, level: 2 }] }),
        cand(5, 'Ada', { skills: [{ skillId: 1, level: 2 }] }),
        cand(3, 'Ada', { skills: [{ skillId: 1, level: 2 }] }),
      ],
      order: [3, 5, 7],
    },
    {
      name: 'ties: equal scores, the more recent engagement first (same recency band)',
      needed: [WP],
      candidates: [
        cand(1, 'Ada', { skills: [{ skillId: 1, level: 2 }], lastEngagementAt: '2025-09-01' }),
        cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }], lastEngagementAt: '2026-02-01' }),
      ],
      order: [2, 1],
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      const out = rankHelpersForProject({ needed: row.needed, candidates: row.candidates, today: TODAY });
      expect(out.map((s) => s.personId)).to.deep.equal(row.order);
    });
  }

  it('ranks a genuine tie on score by the number of needed skills covered', () => {
    const DESIGN: RankNeededSkill = { skillId: 3, name: 'Design', minLevel: 3 };
    // Ada: WordPress one above (21) + Design below (8) + two evidence projects (4) + organisation (5) + rating 4 (2) = 40, covers 1.
    // Ben: WordPress at level (20) + Design at level (20) = 40, covers 2.
    const ada = cand(1, 'Ada', { skills: [{ skillId: 1, level: 3 }, { skillId: 3, level: 2 }], evidence: [ev(1, 5), ev(1, 6)], orgEngagements: 1, averageRating: 4 });
    const ben = cand(2, 'Ben', { skills: [{ skillId: 1, level: 2 }, { skillId: 3, level: 3 }] });
    const out = rankHelpersForProject({ needed: [WP, DESIGN], candidates: [ada, ben], today: TODAY });
    expect(out[0]!.score).to.equal(out[1]!.score);
    expect(out.map((s) => [s.personId, s.covered])).to.deep.equal([[2, 2], [1, 1]]);
  });

  it('explains each suggestion: skills, levels, evidence, missing skills', () => {
    const [s] = rankHelpersForProject({
      needed: [WP, SEO],
      candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: null }], evidence: [ev(1, 10, '2024-05-01'), ev(1, 11, '2025-05-01')], orgEngagements: 2, averageRating: 4.5, lastEngagementAt: '2025-05-01' })],
      today: TODAY,
    });
    expect(s!.reasons.skills).to.have.length(1);
    const wp = s!.reasons.skills[0]!;
    expect(wp).to.include({ skillId: 1, level: 1, levelKnown: false, meetsLevel: false, minLevel: 2 });
    expect(wp.evidence.map((e) => e.projectId)).to.deep.equal([11, 10]);
    expect(s!.reasons.missing.map((m) => m.name)).to.deep.equal(['SEO']);
    expect(s!.covered).to.equal(0);
    expect(s!.neededCount).to.equal(2);
    expect(s!.reasons.monthsSinceLast).to.equal(13);
    expect(s!.points).to.deep.equal({
      skills: W.skillBelowLevel, evidence: 2 * W.evidencePerProject, organisation: W.pastWorkWithOrg,
      rating: 1.5 * W.perRatingPointAboveThree, recency: W.recency[1].points, availability: W.availability.limited,
    });
    expect(s!.score).to.equal(Object.values(s!.points).reduce((a, b) => a + b, 0));
    expect(defaultRoleFor(s!)).to.equal('WordPress');
  });

  it('honours the limit', () => {
    const candidates = [1, 2, 3, 4].map((i) => cand(i, `P${i}`, { skills: [{ skillId: 1, level: 2 }] }));
    expect(rankHelpersForProject({ needed: [WP], candidates, today: TODAY, limit: 2 })).to.have.length(2);
  });

  it('suggests nobody for a project without needed skills', () => {
    expect(rankHelpersForProject({ needed: [], candidates: [cand(1, 'Ada', { skills: [{ skillId: 1, level: 3 }] })], today: TODAY })).to.deep.equal([]);
  });
});

describe('monthsBetween', () => {
  const table: [string, string, number][] = [
    ['2026-06-15', '2026-06-15', 0],
    ['2026-05-15', '2026-06-15', 1],
    ['2026-05-16', '2026-06-15', 0],
    ['2025-06-15', '2026-06-15', 12],
    ['2026-07-01', '2026-06-15', 0],
    ['2020-01-31', '2026-06-15', 76],
  ];
  for (const [from, to, n] of table) it(`${from} → ${to} = ${n}`, () => expect(monthsBetween(from, to)).to.equal(n));
});
