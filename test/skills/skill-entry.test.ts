import { expect } from 'chai';
import { matchSkills, skillAddStep, skillRowsFromBody, type SkillEntryCandidate } from '../../src/skills/skill-entry.domain.js';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { addOrganisation } from '../support/network.js';

const SKILLS: SkillEntryCandidate[] = [
  { id: 1, name: 'SEO', name_de: 'Suchmaschinenoptimierung', aliases: ['Search engine optimisation', 'Suchmaschinenoptimierung'] },
  { id: 2, name: 'Social media', name_de: 'Soziale Medien', aliases: ['Social Media Marketing'] },
  { id: 3, name: 'WordPress', name_de: null, aliases: ['WP'] },
  { id: 4, name: 'Web design', name_de: 'Webdesign', aliases: [] },
];

describe('skill entry (domain)', () => {
  const table: [string, string, string[]][] = [
    ['seo', 'de', ['Suchmaschinenoptimierung']],
    ['SEO', 'en', ['SEO']],
    ['suchmaschinen', 'en', ['SEO']],
    ['such', 'de', ['Suchmaschinenoptimierung']],
    ['social media', 'de', ['Soziale Medien']],
    ['MEDIEN', 'de', ['Soziale Medien']],
    ['wp', 'en', ['WordPress']],
    ['w', 'en', ['Web design', 'WordPress']],
    ['klingonisch', 'de', []],
  ];
  for (const [typed, locale, labels] of table) {
    it(`"${typed}" (${locale}) → ${labels.join(', ') || 'nothing'}`, () => {
      expect(matchSkills(SKILLS, typed, locale).map((m) => m.label)).to.deep.equal(labels);
    });
  }

  it('an exact name adds the skill at once; several matches ask to choose; none says so', () => {
    expect(skillAddStep(SKILLS, 'seo', 'de')).to.deep.equal({ kind: 'added', skillId: 1 });
    expect(skillAddStep(SKILLS, 'Webdesign', 'de')).to.deep.equal({ kind: 'added', skillId: 4 });
    expect(skillAddStep(SKILLS, 'w', 'en')).to.include({ kind: 'choose' });
    expect(skillAddStep(SKILLS, 'xyz', 'en')).to.deep.equal({ kind: 'unknown', q: 'xyz' });
    expect(skillAddStep(SKILLS, '  ', 'en')).to.deep.equal({ kind: 'none' });
  });

  it('reads the rows of a form: levels side by side, ticked ones removed, a pick added, no repeats', () => {
    expect(skillRowsFromBody({ skill_id: ['3', '1', '3', 'x'], skill_level: ['2', '3', '1', '1'], skill_remove: ['1'], skill_pick: '4' }, 'skill_level'))
      .to.deep.equal([{ skillId: 3, level: 2 }, { skillId: 4, level: 1 }]);
  });
});

describe('skill entry on the forms (HTTP)', () => {
  let env: TestEnv;
  let seo: number;
  let wp: number;
  beforeEach(async () => {
    env = await testEnv();
    const [a] = await env.db('skills').insert({ name: 'SEO', name_de: 'Suchmaschinenoptimierung', name_norm: 'seo', created_at: 'x', updated_at: 'x' }).returning('id');
    seo = typeof a === 'object' ? a.id : a;
    const [b] = await env.db('skills').insert({ name: 'WordPress', name_norm: 'wordpress', created_at: 'x', updated_at: 'x' }).returning('id');
    wp = typeof b === 'object' ? b.id : b;
    await env.db('skill_aliases').insert({ skill_id: seo, alias: 'Suchmaschinenoptimierung', alias_norm: 'suchmaschinenoptimierung', lang: 'de' });
  });
  afterEach(async () => { await env.close(); });

  it('in German, typing SEO adds Suchmaschinenoptimierung without saving; a second skill too; then one save stores both', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    await m.post('/language', { locale: 'de' });
    let res = await m.post('/people', { first_name: 'Ada', last_name: 'Lovelace', city: 'Köln', skill_add: 'SEO', _find: 'skill' });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<span class="skill-name" id="skill_name_0">Suchmaschinenoptimierung</span>').and.contain('value="Köln"');
    expect(await env.db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    res = await m.post('/people', { first_name: 'Ada', last_name: 'Lovelace', skill_id: String(seo), skill_level: '3', skill_add: 'wordp', _find: 'skill' });
    expect(res.text).to.contain('>WordPress</span>').and.match(/<option value="3" selected>3 · Erfahren<\/option>/);
    res = await m.post('/people', { first_name: 'Ada', last_name: 'Lovelace', skill_id: [String(seo), String(wp)], skill_level: ['3', '2'] });
    expect(res.status).to.equal(302);
    const rows = await env.db('person_skills').orderBy('skill_id').select('skill_id', 'level');
    expect(rows.map((r) => [r.skill_id, r.level])).to.deep.equal([[seo, 3], [wp, 2]]);
  });

  it('a name matching nothing is said at the field; a ticked row is removed on save; the project form works the same', async () => {
    const m = await login(env, 'm@example.org', 'manager');
    const unknown = await m.post('/people', { last_name: 'B', skill_add: 'Klingon', _find: 'skill' });
    expect(unknown.text).to.contain('No skill is called “Klingon”.').and.contain('value="Klingon"');
    const org = await addOrganisation(env.db, 'Tafel');
    const res = await m.post('/projects', { organisation_id: String(org), title: 'Site', kind: 'implementation', status: 'open', skill_id: [String(seo), String(wp)], min_level: ['2', '1'], skill_remove: String(wp) });
    expect(res.status).to.equal(302);
    const needs = await env.db('project_skills').select('skill_id', 'min_level');
    expect(needs.map((r) => [r.skill_id, r.min_level])).to.deep.equal([[seo, 2]]);
  });

  it('/pickers/skills finds by any name in JSON', async () => {
    const v = await login(env, 'v@example.org', 'viewer');
    await v.post('/language', { locale: 'de' });
    const body = (await v.agent.get('/pickers/skills?q=seo')).body;
    expect(body.options).to.deep.equal([{ id: seo, label: 'Suchmaschinenoptimierung', via: 'SEO' }]);
  });
});
