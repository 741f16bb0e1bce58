import { expect } from 'chai';
import { HIGHEST_LEVEL, SKILL_LEVELS, isSkillLevel, levelFromFormerScale, levelInFile, parseLevel } from '../../src/skills/levels.domain.js';
import { parseSkill } from '../../src/imports/mapping.domain.js';
import { skillsCell } from '../../src/exports/csv.domain.js';
import { testDb } from '../support/app.js';
import { MIGRATIONS_DIR } from '../../src/db.js';

describe('skill levels: one scale, 1 Basic … 4 Expert', () => {
  it('has four levels and tells a level from anything else', () => {
    expect([...SKILL_LEVELS]).to.deep.equal([1, 2, 3, 4]);
    expect([0, 1, 4, 5, 2.5, '2'].map(isSkillLevel)).to.deep.equal([false, true, true, false, false, false]);
  });

  const cases: [string, number | null][] = [
    // this scale, as the export writes it
    ['1/4', 1], ['2/4', 2], ['3/4', 3], ['4/4', 4], [' 3 / 4 ', 3], ['5/4', null], ['0/4', null],
    // files written before there were four levels: bare 1–3 (3 was Expert), or written as of 3
    ['1', 1], ['2', 2], ['3', 4], ['3/3', 4], ['2/3', 2], ['4/3', null],
    // a bare 4 can only be this scale's Expert
    ['4', 4], ['5', null], ['0', null],
    // words, English and German, any case, either scale's names
    ['Basic', 1], ['grundkenntnisse', 1], ['Anfänger', 1], ['Intermediate', 2], ['Fortgeschritten', 2], ['experienced', 2],
    ['Advanced', 3], ['Erfahren', 3], ['EXPERT', 4], ['Expert:in', 4], ['Expertin', 4], ['Profi', 4], ['fluent', null], ['', null],
  ];
  for (const [token, level] of cases) it(`reads "${token}" as ${level}`, () => expect(parseLevel(token)).to.equal(level));

  it('maps the former scale so meaning is kept: 1 → 1, 2 → 2, 3 (expert) → 4', () => {
    expect([1, 2, 3, 4, 0].map(levelFromFormerScale)).to.deep.equal([1, 2, 4, null, null]);
  });

  it('an exported skills cell reads back to the same levels (round trip)', () => {
    const skills = SKILL_LEVELS.map((level, i) => ({ name: ['SEO', 'WordPress', 'Data protection (GDPR)', 'HTML & CSS'][i]!, level }));
    const cell = skillsCell(skills);
    expect(cell).to.equal(`SEO (1/${HIGHEST_LEVEL}); WordPress (2/4); Data protection (GDPR) (3/4); HTML & CSS (4/4)`);
    expect(cell.split('; ').map(parseSkill)).to.deep.equal(skills);
    expect(levelInFile(3)).to.equal('3/4');
  });

  it('a cell of a file written before (levels 1–3) still reads, with its meaning', () => {
    expect(['SEO (3)', 'WordPress (2)', 'Fotografie (1)', 'SEO: expert'].map(parseSkill)).to.deep.equal([
      { name: 'SEO', level: 4 }, { name: 'WordPress', level: 2 }, { name: 'Fotografie', level: 1 }, { name: 'SEO', level: 4 },
    ]);
  });
});

const NAME = '20261205600001_four_skill_levels.ts';
const opts = { directory: MIGRATIONS_DIR, loadExtensions: ['.ts'], name: NAME };

describe('migration: three skill levels become four', () => {
  it('moves 3 to 4 (2 and 1 stay) in levels, minimums, saved searches, offers, requests and import undo records; down goes back', async () => {
    const db = await testDb();
    const id = (rows: unknown[]) => { const r = rows[0] as { id: number } | number; return typeof r === 'number' ? r : r.id; };
    try {
      await db.migrate.down(opts);
      const now = '2026-01-01T00:00:00Z';
      const t = { created_at: now, updated_at: now };
      const skills = [];
      for (const n of ['lvl-a', 'lvl-b', 'lvl-c']) skills.push(id(await db('skills').insert({ name: n, name_norm: n, ...t }).returning('id')));
      const person = id(await db('people').insert({ first_name: 'P', last_name: 'Q', ...t }).returning('id'));
      await db('person_skills').insert(skills.map((s, i) => ({ person_id: person, skill_id: s, level: i + 1 })));
      const org = id(await db('organisations').insert({ name: 'O', name_norm: 'o', ...t }).returning('id'));
      const project = id(await db('projects').insert({ organisation_id: org, title: 'T', ...t }).returning('id'));
      await db('project_skills').insert(skills.map((s, i) => ({ project_id: project, skill_id: s, min_level: i + 1 })));
      const user = id(await db('users').insert({ email: 'u@example.org', password_hash: 'x', role: 'admin', ...t }).returning('id'));
      await db('saved_searches').insert([
        { user_id: user, name: 'experts', query: `skill=${skills[0]}&level=3&city=Berlin`, created_at: now },
        { user_id: user, name: 'experienced', query: 'level=2', created_at: now },
      ]);
      await db('join_applications').insert({ token_hash: 'h', email: 'j@example.org', email_norm: 'j@example.org', status: 'confirmed', created_at: now,
        data: JSON.stringify({ first_name: 'J', skills: [{ skillId: skills[0], level: 3 }, { skillId: skills[1], level: 1 }] }) });
      await db('person_requests').insert({ person_id: person, kind: 'skill', payload: JSON.stringify({ name: 'Knitting', level: 3 }), created_at: now });
      const batch = id(await db('import_batches').insert({ filename: 'f.csv', created_at: now }).returning('id'));
      await db('import_changes').insert({ batch_id: batch, person_id: person, action: 'update', applied_at: now,
        before: JSON.stringify({ fields: {}, levels: [{ skill_id: skills[0], level: 2 }] }),
        after: JSON.stringify({ fields: {}, added_skills: [], levels: [{ skill_id: skills[0], level: 3 }], added_tags: [] }) });

      const state = async () => ({
        levels: await db('person_skills').where('person_id', person).orderBy('skill_id').pluck('level'),
        mins: await db('project_skills').where('project_id', project).orderBy('skill_id').pluck('min_level'),
        searches: await db('saved_searches').orderBy('name').pluck('query'),
        offer: (JSON.parse(await db('join_applications').first('data').then((r) => r.data)) as { skills: { level: number }[] }).skills.map((s) => s.level),
        request: (JSON.parse(await db('person_requests').first('payload').then((r) => r.payload)) as { level: number }).level,
        undo: await db('import_changes').first('before', 'after').then((r) => [JSON.parse(r.before).levels[0].level, JSON.parse(r.after).levels[0].level]),
      });
      await db.migrate.up(opts);
      expect(await state()).to.deep.equal({
        levels: [1, 2, 4], mins: [1, 2, 4], searches: ['level=2', `skill=${skills[0]}&level=4&city=Berlin`], offer: [4, 1], request: 4, undo: [2, 4],
      });
      await db('person_skills').where({ person_id: person, skill_id: skills[1] }).update({ level: 3 }); // an Advanced, new since
      await db.migrate.down(opts);
      expect(await state()).to.deep.equal({
        levels: [1, 2, 3], mins: [1, 2, 3], searches: ['level=2', `skill=${skills[0]}&level=3&city=Berlin`], offer: [3, 1], request: 3, undo: [2, 3],
      });
      await db.migrate.up(opts);
    } finally {
      await db.destroy();
    }
  });
});
