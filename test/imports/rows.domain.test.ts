import { expect } from 'chai';
import { guessMapping } from '../../src/imports/mapping.domain.js';
import {
  compileMapping, isEmptyChange, mapRow, matchKey, planChanges, type Existing, type ImportField, type Policy, type ResolvedRow,
} from '../../src/imports/rows.domain.js';

const HEADERS = ['First Name', 'Last Name', 'E-mail', 'Phone', 'Website', 'Skills', 'Labels', 'kind', 'Notes', 'Custom Field 1 - Label', 'Custom Field 1 - Value'];
const plan = compileMapping(HEADERS, guessMapping(HEADERS));
const row = (o: Partial<Record<string, string>>) => HEADERS.map((h) => o[h] ?? '');

describe('rows.domain: mapping a row', () => {
  it('maps a full row, splitting skills (with levels) and tags, and reading a labelled custom field', () => {
    const r = mapRow(row({
      'First Name': ' Ada ', 'Last Name': 'Lovelace', 'E-mail': 'Ada@Example.org ::: other@example.org', Phone: "'+44 20 7946 0000",
      Website: 'ada.example.org', Skills: 'SEO (3/4); WordPress', Labels: '* myContacts ::: Volunteers', kind: 'ehrenamtlich',
      'Custom Field 1 - Label': 'Sprachen', 'Custom Field 1 - Value': 'Deutsch, Englisch',
    }), plan);
    expect(r).to.deep.equal({
      ok: true,
      person: {
        fields: {
          first_name: 'Ada', last_name: 'Lovelace', email: 'Ada@Example.org', phone: '+44 20 7946 0000', languages: 'de, en',
          portfolio_url: 'https://ada.example.org/', kind: 'volunteer',
        },
        skills: [{ name: 'SEO', level: 3 }, { name: 'WordPress', level: null }],
        tags: ['Volunteers'],
      },
    });
  });

  const problems: [string, Partial<Record<string, string>>, string, Record<string, unknown>][] = [
    ['an invalid e-mail', { 'Last Name': 'X', 'E-mail': 'not-an-email' }, 'imports.row.email', { column: 'E-mail', value: 'not-an-email' }],
    ['a 100,000-character note', { 'Last Name': 'X', Notes: 'n'.repeat(100_000) }, 'imports.row.tooLong', { column: 'Notes', length: 100_000, max: 5000 }],
    ['a too long name', { 'First Name': 'x'.repeat(121) }, 'imports.row.tooLong', { column: 'First Name', length: 121, max: 120 }],
    ['a web address that is not one', { 'Last Name': 'X', Website: 'javascript:alert(1)' }, 'imports.row.url', { column: 'Website' }],
    ['an unknown kind', { 'Last Name': 'X', kind: 'astronaut' }, 'imports.row.kind', { column: 'kind', value: 'astronaut' }],
  ];
  for (const [name, cells, key, vars] of problems) {
    it(`reports ${name}, naming the column`, () => {
      const r = mapRow(row(cells), plan);
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.problem.key).to.equal(key);
        expect(r.problem.vars).to.include(vars);
      }
    });
  }

  it('reports ragged rows but accepts trailing empty cells', () => {
    const short = mapRow(['Ada', 'Lovelace'], plan);
    expect(short).to.deep.equal({ ok: false, problem: { key: 'imports.row.ragged', vars: { cells: 2, expected: HEADERS.length } } });
    expect(mapRow([...row({ 'Last Name': 'L' }), 'extra'], plan).ok).to.equal(false);
    expect(mapRow([...row({ 'Last Name': 'L' }), ' ', ''], plan).ok).to.equal(true);
  });

  it('splits a full name only when first and last name are empty', () => {
    const p = compileMapping(['Name', 'Email'], ['full_name', 'email']);
    const r = mapRow(['Müller, Jürgen', 'jm@example.de'], p);
    expect(r.ok && r.person.fields).to.include({ first_name: 'Jürgen', last_name: 'Müller' });
  });

  it('matches by normalised e-mail, else by name and phone', () => {
    expect(matchKey({ fields: { email: ' A@Example.ORG ', first_name: 'A' }, skills: [], tags: [] })).to.deep.equal({ email: 'a@example.org' });
    expect(matchKey({ fields: { first_name: 'Jörg', last_name: 'MÜLLER', phone: '030 1234 567' }, skills: [], tags: [] }))
      .to.deep.equal({ name: 'jorg muller', phone: '+49301234567' });
    expect(matchKey({ fields: { city: 'Berlin' }, skills: [], tags: [] })).to.equal(null);
  });
});

describe('rows.domain: planning changes to an existing person', () => {
  const fields = (o: Partial<Record<ImportField, string | null>>) => ({
    first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', phone: null, city: 'London', postcode: null, country: null,
    languages: null, kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null, ...o,
  }) as Record<ImportField, string | null>;
  const existing: Existing = { fields: fields({}), skills: new Map([[1, 2]]), tagIds: new Set([7]) };
  const file: ResolvedRow = {
    fields: { first_name: 'Ada', city: 'Berlin', phone: '+49 30 1', kind: 'freelancer', email: 'ADA@example.org' },
    skills: [{ skillId: 1, level: 3 }, { skillId: 2, level: null }],
    tagIds: [7, 8],
  };
  const cases: [Policy, object][] = [
    ['update', {
      fields: { city: { from: 'London', to: 'Berlin' }, phone: { from: null, to: '+49 30 1' }, kind: { from: 'volunteer', to: 'freelancer' } },
      held: [], addSkills: [{ skillId: 2, level: 1 }], levels: [{ skillId: 1, from: 2, to: 3 }], addTags: [8],
    }],
    ['fill', { fields: { phone: { from: null, to: '+49 30 1' } }, held: [], addSkills: [{ skillId: 2, level: 1 }], levels: [], addTags: [8] }],
  ];
  for (const [policy, expected] of cases) {
    it(`${policy}: ${policy === 'update' ? 'the file wins for the cells it fills' : 'only empty fields are filled'}`, () => {
      expect(planChanges(existing, file, policy)).to.deep.equal(expected);
    });
  }

  it('an empty cell never blanks a value, and the same values change nothing', () => {
    const same: ResolvedRow = { fields: { first_name: 'Ada', city: 'London', email: 'ada@example.org' }, skills: [{ skillId: 1, level: null }], tagIds: [7] };
    expect(isEmptyChange(planChanges(existing, same, 'update'))).to.equal(true);
    expect(isEmptyChange(planChanges(existing, { fields: {}, skills: [], tagIds: [] }, 'update'))).to.equal(true);
  });

  it('a phone written differently is the same phone', () => {
    const ex: Existing = { ...existing, fields: fields({ phone: '030 1234567' }) };
    expect(planChanges(ex, { fields: { phone: '+49 30 1234567' }, skills: [], tagIds: [] }, 'update').fields).to.deep.equal({});
  });
});
