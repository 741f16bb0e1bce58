import { expect } from 'chai';
import { parseProjectFilters, projectFilterParams, validateProject } from '../../src/projects/projects.domain.js';
import { canManageProject } from '../../src/users/roles.domain.js';

describe('validateProject', () => {
  const base = { organisation_id: '1', title: 'New website', kind: 'implementation', status: 'open' };
  const table: { name: string; body: Record<string, string | string[]>; errors?: Record<string, string> }[] = [
    { name: 'a minimal project', body: base },
    { name: 'the end may equal the start', body: { ...base, start_date: '2026-01-01', end_date: '2026-01-01' } },
    { name: 'the end before the start is a form error', body: { ...base, start_date: '2026-02-01', end_date: '2026-01-31' }, errors: { end_date: 'projects.endBeforeStart' } },
    { name: 'not a real date', body: { ...base, start_date: '2026-02-30' }, errors: { start_date: 'validation.date' } },
    { name: 'title and organisation are required', body: { kind: 'mixed' }, errors: { title: 'validation.required', organisation_id: 'validation.required' } },
    { name: 'unknown kind and status', body: { ...base, kind: 'x', status: 'y' }, errors: { kind: 'validation.choice', status: 'validation.choice' } },
    { name: 'a minimum level outside 1–3', body: { ...base, skill_id: ['4'], min_level: ['5'] }, errors: { skills: 'people.levelRange' } },
    { name: 'a skill id that is no number', body: { ...base, skill_id: ['abc'], min_level: ['1'] }, errors: { skills: 'validation.choice' } },
  ];
  for (const row of table) {
    it(row.name, () => {
      const r = validateProject(row.body);
      if (row.errors) {
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.errors).to.deep.include(row.errors);
      } else expect(r.ok).to.equal(true);
    });
  }

  it('reads needed skills as parallel lists, skipping empty rows and keeping the higher level of a repeat', () => {
    const r = validateProject({ ...base, skill_id: ['3', '', '4', '3'], min_level: ['1', '2', '2', '3'] });
    expect(r.ok && r.value.skills).to.deep.equal([{ skillId: 3, minLevel: 3 }, { skillId: 4, minLevel: 2 }]);
  });
});

describe('project list filters', () => {
  it('keeps known values and drops the rest', () => {
    expect(parseProjectFilters({ status: 'open', kind: 'bogus', org: '7', page: '3' })).to.deep.equal({ q: '', status: 'open', kind: '', org: 7, page: 3 });
    expect(parseProjectFilters({ q: '  Website ' }).q).to.equal('Website');
    expect(parseProjectFilters({ org: '-1', page: 'x' })).to.deep.equal({ q: '', status: '', kind: '', org: null, page: 1 });
  });
  it('round-trips into a query string', () => {
    const f = parseProjectFilters({ status: 'running', org: '2' });
    expect(projectFilterParams(f, { page: '2' })).to.equal('status=running&org=2&page=2');
  });
});

describe('canManageProject', () => {
  const project = { organisation_id: 5 };
  const table: [string, { role: 'admin' | 'manager' | 'staff' | 'viewer'; organisation_id: number | null } | undefined, boolean][] = [
    ['admin, any organisation', { role: 'admin', organisation_id: null }, true],
    ['manager, any organisation', { role: 'manager', organisation_id: 9 }, true],
    ['staff of this organisation', { role: 'staff', organisation_id: 5 }, true],
    ['staff of another organisation', { role: 'staff', organisation_id: 6 }, false],
    ['staff without an organisation', { role: 'staff', organisation_id: null }, false],
    ['viewer', { role: 'viewer', organisation_id: 5 }, false],
    ['nobody logged in', undefined, false],
  ];
  for (const [name, user, allowed] of table) {
    it(`${name}: ${allowed ? 'may' : 'may not'} manage projects and engagements`, () => {
      expect(canManageProject(user, project, 'projects.write')).to.equal(allowed);
      expect(canManageProject(user, project, 'engagements.write')).to.equal(allowed);
    });
  }
});
