// Views take field limits and allowed values from their one definition (app.locals.limits / .choices, see
// src/views.ts), never as literals: a literal maxlength or an inlined list drifts from the validation.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VIEWS_DIR } from '../../src/app.js';
import { VIEW_CHOICES, VIEW_LIMITS } from '../../src/views.js';
import { PERSON_KINDS, PERSON_LIMITS, validatePerson } from '../../src/people/people.domain.js';
import { FILTER_KINDS } from '../../src/search/search.domain.js';
import { mapRow, compileMapping } from '../../src/imports/rows.domain.js';

function ejsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? ejsFiles(path.join(dir, e.name)) : e.name.endsWith('.ejs') ? [path.join(dir, e.name)] : []);
}

/** `maxlength="120"`, `maxlength=120` or `maxlength: 120` (an include's parameter) */
const LITERAL_MAXLENGTH = /maxlength\s*(=\s*["']?|:\s*)\d/gi;
const ALL_VALUES = [...new Set(Object.values(VIEW_CHOICES).flat().map(String))];
/** an array literal that lists one of the allowed values, e.g. `['volunteer', 'freelancer'].forEach` or `[1, 2, 3]` */
const INLINED_LIST = new RegExp(`\\[\\s*(?:'(?:${ALL_VALUES.filter((v) => !/^\d+$/.test(v)).join('|')})'|\\d+\\s*,\\s*\\d+)`, 'g');

function findings(re: RegExp, text: string): string[] {
  return [...text.matchAll(re)].map((m) => m[0]);
}

describe('views use the shared limits and allowed values', () => {
  const files = ejsFiles(VIEWS_DIR);

  it('the scanners catch what they look for (so a clean result means something)', () => {
    expect(files.length).to.be.greaterThan(40);
    expect(findings(LITERAL_MAXLENGTH, `<input maxlength="120"> <%- include('x', { maxlength: 200 }) %> <input maxlength=5>`)).to.have.length(3);
    expect(findings(LITERAL_MAXLENGTH, `<input maxlength="<%= limits.person.city %>"> { maxlength: limits.org.name }`)).to.have.length(0);
    expect(findings(INLINED_LIST, `<% ['volunteer', 'freelancer'].forEach(function (k) { %> <% [1, 2, 3].forEach(`)).to.have.length(2);
    expect(findings(INLINED_LIST, `<% choices.personKinds.forEach(function (k) { %> t('levels.' + l) [0]`)).to.have.length(0);
  });

  it('no view has a literal maxlength number', () => {
    const bad = files.flatMap((f) => findings(LITERAL_MAXLENGTH, readFileSync(f, 'utf8')).map((m) => `${path.relative(VIEWS_DIR, f)}: ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('no view inlines a list of allowed values', () => {
    const bad = files.flatMap((f) => findings(INLINED_LIST, readFileSync(f, 'utf8')).map((m) => `${path.relative(VIEWS_DIR, f)}: ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('no view builds a person\'s name itself (personName does, with one fallback)', () => {
    const NAME_BUILT = /first_name\s*(\+|\|\|)|\+\s*[\w.]*last_name/g;
    expect(findings(NAME_BUILT, "<%= (p.first_name + ' ' + p.last_name).trim() %> ((p.first_name || '') + ' ')")).to.have.length(3);
    expect(findings(NAME_BUILT, "<%= personName(p) %> field: 'first_name', p.first_name !== null")).to.have.length(0);
    const bad = files.flatMap((f) => findings(NAME_BUILT, readFileSync(f, 'utf8')).map((m) => `${path.relative(VIEWS_DIR, f)}: ${m}`));
    expect(bad).to.deep.equal([]);
  });

  it('every limit a view reads exists (a typo would render maxlength="")', () => {
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/limits\.(\w+)\.(\w+)/g)) {
        const group = (VIEW_LIMITS as Record<string, Record<string, number>>)[m[1]!];
        expect(group?.[m[2]!], `${path.relative(VIEWS_DIR, f)}: ${m[0]}`).to.be.a('number');
      }
      for (const m of readFileSync(f, 'utf8').matchAll(/choices\.(\w+)/g)) {
        expect((VIEW_CHOICES as Record<string, unknown>)[m[1]!], `${path.relative(VIEWS_DIR, f)}: ${m[0]}`).to.be.an('array');
      }
    }
  });

  it('the form limit, the validation and the import agree on one value', () => {
    const tooLong = 'x'.repeat(PERSON_LIMITS.city + 1);
    expect(VIEW_LIMITS.person.city).to.equal(PERSON_LIMITS.city);
    const form = validatePerson({ last_name: 'A', city: tooLong });
    expect(form.ok).to.equal(false);
    expect(validatePerson({ last_name: 'A', city: tooLong.slice(1) }).ok).to.equal(true);
    const plan = compileMapping(['Last Name', 'City'], ['last_name', 'city']);
    const row = mapRow(['A', tooLong], plan);
    expect(row.ok).to.equal(false);
    expect(row.ok ? null : row.problem.vars.max).to.equal(PERSON_LIMITS.city);
    expect(mapRow(['A', tooLong.slice(1)], plan).ok).to.equal(true);
  });

  it('the search filter offers the person kinds except "both" (found by either)', () => {
    expect([...FILTER_KINDS]).to.deep.equal(PERSON_KINDS.filter((k) => k !== 'both'));
    expect(VIEW_CHOICES.searchKinds).to.equal(FILTER_KINDS);
  });
});
