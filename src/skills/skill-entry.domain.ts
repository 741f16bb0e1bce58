// Entering skills on a form (person, project): one field finds a skill by any of its names — English, German, an
// alias in either language, any letter case, accents optional ("seo" finds Suchmaschinenoptimierung in German) —
// and adds it as a row with a level; as many as needed before saving. Pure: the rows come from the form body.
import { foldText } from '../shared/normalise.js';

export interface SkillEntryCandidate {
  id: number;
  name: string;
  name_de: string | null;
  /** every other name it is found by */
  aliases: string[];
}

export interface SkillMatch {
  id: number;
  /** the name in the interface language */
  label: string;
  /** the name that matched, when it is not the label (an alias, the other language's name) */
  via: string | null;
}

/** At most this many matches are offered for one typed text. */
export const SKILL_MATCH_LIMIT = 10;

const labelOf = (s: SkillEntryCandidate, locale: string) => (locale === 'de' && s.name_de ? s.name_de : s.name);

/**
 * Skills for the typed text, best first: a name that equals it, then names starting with it, then names
 * containing it (each over the English and German names and the aliases).
 */
export function matchSkills(skills: readonly SkillEntryCandidate[], typed: string, locale: string, limit = SKILL_MATCH_LIMIT): SkillMatch[] {
  const q = foldText(typed);
  if (!q) return [];
  const scored: { m: SkillMatch; rank: number }[] = [];
  for (const s of skills) {
    const label = labelOf(s, locale);
    let best: { rank: number; via: string | null } | null = null;
    for (const name of [label, s.name, s.name_de ?? '', ...s.aliases]) {
      const f = foldText(name);
      if (!f) continue;
      const rank = f === q ? 0 : f.startsWith(q) ? 1 : f.split(/[\s/-]+/).some((w) => w.startsWith(q)) ? 2 : f.includes(q) ? 3 : 9;
      if (rank < 9 && (!best || rank < best.rank)) best = { rank, via: foldText(name) === foldText(label) ? null : name };
    }
    if (best) scored.push({ m: { id: s.id, label, via: best.via }, rank: best.rank });
  }
  const collator = new Intl.Collator(locale === 'de' ? 'de' : 'en');
  scored.sort((a, b) => a.rank - b.rank || collator.compare(a.m.label, b.m.label));
  return scored.slice(0, limit).map((x) => x.m);
}

export interface SkillRow {
  skillId: number;
  level: number;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
}

/**
 * The skill rows a form holds: `skill_id[]` with `<levelField>[]` side by side, less those ticked in
 * `skill_remove[]`, plus one picked with `skill_pick` (a match chosen on the add step) at level 1.
 */
export function skillRowsFromBody(body: Record<string, unknown>, levelField: string): SkillRow[] {
  const ids = list(body.skill_id);
  const levels = list(body[levelField]);
  const removed = new Set(list(body.skill_remove));
  const rows: SkillRow[] = [];
  ids.forEach((raw, i) => {
    if (!/^[1-9]\d{0,9}$/.test(raw) || removed.has(raw) || rows.some((r) => r.skillId === Number(raw))) return;
    rows.push({ skillId: Number(raw), level: Number(levels[i]) || 1 });
  });
  const pick = String(list(body.skill_pick)[0] ?? '');
  if (/^[1-9]\d{0,9}$/.test(pick) && !rows.some((r) => r.skillId === Number(pick))) rows.push({ skillId: Number(pick), level: 1 });
  return rows;
}

/** The same body with the rows written back (what validation reads), the add field's text cleared when it was used. */
export function bodyWithSkillRows(body: Record<string, unknown>, levelField: string, rows: SkillRow[]): Record<string, unknown> {
  return { ...body, skill_id: rows.map((r) => String(r.skillId)), [levelField]: rows.map((r) => String(r.level)), skill_remove: [], skill_pick: '' };
}

export type SkillAddStep =
  | { kind: 'none' }
  /** one skill matched: it was added */
  | { kind: 'added'; skillId: number }
  /** several matched: the person chooses */
  | { kind: 'choose'; q: string; matches: SkillMatch[] }
  | { kind: 'unknown'; q: string };

/** What the add field's text does: nothing, adds the one skill it names, or offers the matches to choose from. */
export function skillAddStep(skills: readonly SkillEntryCandidate[], typed: string, locale: string): SkillAddStep {
  const q = typed.trim();
  if (!q) return { kind: 'none' };
  const matches = matchSkills(skills, q, locale);
  const exact = matches.filter((m) => skills.some((s) => s.id === m.id && [s.name, s.name_de ?? '', ...s.aliases].some((n) => foldText(n) === foldText(q))));
  if (exact.length === 1) return { kind: 'added', skillId: exact[0]!.id };
  if (matches.length === 1) return { kind: 'added', skillId: matches[0]!.id };
  if (!matches.length) return { kind: 'unknown', q };
  return { kind: 'choose', q, matches };
}
