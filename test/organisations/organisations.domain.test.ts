import { expect } from 'chai';
import { groupPastHelpers, isLinkableUrl, likePattern, organisationColumns, validateOrganisation } from '../../src/organisations/organisations.domain.js';

describe('validateOrganisation', () => {
  const table: { name: string; body: Record<string, string>; errors?: Record<string, string>; check?: Record<string, unknown> }[] = [
    { name: 'a complete organisation', body: { name: 'Tafel Köln', kind: 'food_bank', city: 'Köln', website: 'tafel-koeln.de', contact_email: 'info@tafel.de' }, check: { website: 'https://tafel-koeln.de/', kind: 'food_bank' } },
    { name: 'a name is required', body: { name: '  ', kind: 'association' }, errors: { name: 'validation.required' } },
    { name: 'the kind comes from the fixed list', body: { name: 'X', kind: 'church' }, errors: { kind: 'validation.choice' } },
    { name: 'the website must be http(s)', body: { name: 'X', kind: 'other', website: 'javascript:alert(1)' }, errors: { website: 'validation.url' } },
    { name: 'the contact e-mail is checked', body: { name: 'X', kind: 'other', contact_email: 'nope' }, errors: { contact_email: 'validation.email' } },
  ];
  for (const row of table) {
    it(row.name, () => {
      const r = validateOrganisation(row.body);
      if (row.errors) {
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.errors).to.deep.include(row.errors);
      } else {
        expect(r.ok).to.equal(true);
        if (r.ok) expect(r.value).to.include(row.check);
      }
    });
  }

  it('stores a folded name for search', () => {
    const r = validateOrganisation({ name: 'Jugendclub Süd  Straße', kind: 'youth_club' });
    expect(r.ok && organisationColumns(r.value).name_norm).to.equal('jugendclub sud strasse');
  });

  it('links only plain http(s) websites and escapes LIKE wildcards', () => {
    expect(isLinkableUrl('https://a.org/')).to.equal(true);
    expect(isLinkableUrl('javascript:alert(1)')).to.equal(false);
    expect(likePattern('50%_a')).to.equal('%50\\%\\_a%');
  });
});

describe('groupPastHelpers', () => {
  const e = (id: number, person: number, project: number, date: string | null, first = `P${person}`) => ({
    engagement_id: id, person_id: person, first_name: first, last_name: 'X', do_not_contact: 0, availability: 'available',
    project_id: project, project_title: `Project ${project}`, role: null, date, rating: null,
  });
  const engagements = [e(1, 10, 100, '2025-05-01'), e(2, 20, 101, '2024-01-01'), e(3, 10, 102, '2022-01-01'), e(4, 30, 103, null)];
  const skills = [
    { engagement_id: 1, skill_id: 5, name: 'SEO', name_de: null },
    { engagement_id: 3, skill_id: 6, name: 'WordPress', name_de: null },
    { engagement_id: 2, skill_id: 6, name: 'WordPress', name_de: null },
  ];

  it('groups by person, most recently active first, with projects and skills brought', () => {
    const out = groupPastHelpers(engagements, skills);
    expect(out.map((h) => h.person_id)).to.deep.equal([10, 20, 30]);
    expect(out[0]!.projects.map((p) => p.project_id)).to.deep.equal([100, 102]);
    expect(out[0]!.skills.map((s) => s.name)).to.deep.equal(['SEO', 'WordPress']);
    expect(out[0]!.lastDate).to.equal('2025-05-01');
    expect(out[2]!.lastDate).to.equal(null);
  });

  it('narrows to helpers who brought one skill', () => {
    expect(groupPastHelpers(engagements, skills, 6).map((h) => h.person_id)).to.deep.equal([10, 20]);
    expect(groupPastHelpers(engagements, skills, 99)).to.deep.equal([]);
  });
});
