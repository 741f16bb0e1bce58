import type { Knex } from 'knex';
import { levelFromFormerScale } from '../src/skills/levels.domain.js';

// Skill levels go from three (1 basic, 2 experienced, 3 expert) to four with words (1 Basic, 2 Intermediate,
// 3 Advanced, 4 Expert; src/skills/levels.domain.ts). The meaning is kept:
// - 3 → 4: the former top is this scale's top (expert: can teach it, is asked for the hard cases).
// - 2 → 2, not 3: the former 2 said "does it on their own"; Intermediate ("does everyday tasks on their own")
//   claims no more than that, while Advanced ("handles harder tasks on their own too") would claim more than
//   anyone recorded. People and projects' minimums map alike, so whoever met a minimum still meets it, and a
//   saved "at least 2" still means what it meant.
// - 1 → 1.
// Moved the same way: people's levels, projects' minimums, saved searches' `level=3`, the levels inside pending
// join offers and own-link skill suggestions (JSON), and the undo records of earlier imports (JSON), so undoing
// an import after this migration puts back the level the person had, on the new scale.
// No column has a check constraint on the range, so nothing else changes; plain knex, both dialects.

type Mapper = (n: number) => number;

const up3: Mapper = (n) => levelFromFormerScale(n) ?? n;
/** Back to three: Advanced has no own level there, and is closest to the former 2 (experienced). */
const down4: Mapper = (n) => (n === 4 ? 3 : n === 3 ? 2 : n);

export async function up(knex: Knex): Promise<void> {
  await knex('person_skills').where('level', 3).update({ level: 4 });
  await knex('project_skills').where('min_level', 3).update({ min_level: 4 });
  await moveStoredLevels(knex, up3);
}

export async function down(knex: Knex): Promise<void> {
  // lossy: 3 (Advanced) and 2 both become 2
  for (const [from, to] of [[3, 2], [4, 3]] as const) {
    await knex('person_skills').where('level', from).update({ level: to });
    await knex('project_skills').where('min_level', from).update({ min_level: to });
  }
  await moveStoredLevels(knex, down4);
}

/** Levels kept inside other records: saved searches' query strings and JSON of offers, requests and import undo. */
async function moveStoredLevels(knex: Knex, map: Mapper): Promise<void> {
  const searches: { id: number; query: string }[] = await knex('saved_searches').where('query', 'like', '%level=%').select('id', 'query');
  for (const s of searches) {
    const query = s.query.replace(/(^|&)level=(\d)(?=&|$)/, (_, lead: string, n: string) => `${lead}level=${map(Number(n))}`);
    if (query !== s.query) await knex('saved_searches').where('id', s.id).update({ query });
  }

  const apps: { id: number; data: string }[] = await knex('join_applications').where('data', 'like', '%"level"%').select('id', 'data');
  for (const a of apps) {
    const data = JSON.parse(a.data) as { skills?: { level: number }[] };
    if (!Array.isArray(data.skills)) continue;
    data.skills = data.skills.map((s) => ({ ...s, level: map(Number(s.level)) }));
    await knex('join_applications').where('id', a.id).update({ data: JSON.stringify(data) });
  }

  const requests: { id: number; payload: string }[] = await knex('person_requests').where('kind', 'skill').whereNotNull('payload').select('id', 'payload');
  for (const r of requests) {
    const payload = JSON.parse(r.payload) as { level?: number };
    if (typeof payload.level !== 'number') continue;
    await knex('person_requests').where('id', r.id).update({ payload: JSON.stringify({ ...payload, level: map(payload.level) }) });
  }

  // import undo records: before.levels and after.levels, in pages by id so a large history stays flat in memory
  for (let last = 0; ;) {
    const rows: { id: number; before: string | null; after: string | null }[] = await knex('import_changes')
      .where('id', '>', last).where((q) => q.where('before', 'like', '%"levels":[{%').orWhere('after', 'like', '%"levels":[{%'))
      .orderBy('id').limit(1000).select('id', 'before', 'after');
    if (!rows.length) break;
    for (const r of rows) {
      await knex('import_changes').where('id', r.id).update({ before: mapLevelsJson(r.before, map), after: mapLevelsJson(r.after, map) });
    }
    last = rows[rows.length - 1]!.id;
  }
}

function mapLevelsJson(json: string | null, map: Mapper): string | null {
  if (!json) return json;
  const v = JSON.parse(json) as { levels?: { level: number }[] };
  if (!Array.isArray(v.levels)) return json;
  return JSON.stringify({ ...v, levels: v.levels.map((l) => ({ ...l, level: map(Number(l.level)) })) });
}
