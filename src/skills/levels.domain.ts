// Skill levels: the one home of the range (1 Basic … 4 Expert), how a level is written in a file and read back,
// and how a level of the former 1–3 scale maps onto this one. Forms, imports, exports, the API schema, the own
// link, the join form, the search filter and the suggestions all read from here. The words live in
// people.messages (`levels.N`) and skills.messages (`skillEntry.levelMeans.N`).
import { foldText } from '../shared/normalise.js';

export const SKILL_LEVELS = [1, 2, 3, 4] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];
export const LOWEST_LEVEL: SkillLevel = SKILL_LEVELS[0];
export const HIGHEST_LEVEL: SkillLevel = SKILL_LEVELS[SKILL_LEVELS.length - 1]!;

/** The scale in English, for texts outside the interface (the API's description). */
export const SKILL_LEVEL_NAMES = '1 basic · 2 intermediate · 3 advanced · 4 expert';

export function isSkillLevel(n: unknown): n is SkillLevel {
  return typeof n === 'number' && (SKILL_LEVELS as readonly number[]).includes(n);
}

/**
 * The former scale had three levels (1 basic, 2 experienced, 3 expert). Its expert is this scale's 4; its 2
 * ("does it on their own") stays 2, so nobody is claimed to handle harder work than was recorded and a
 * person who met a project's minimum before still meets it (people and minimums map the same way).
 */
export function levelFromFormerScale(n: number): SkillLevel | null {
  return n === 1 ? 1 : n === 2 ? 2 : n === 3 ? 4 : null;
}

/**
 * How a level is written in a file: `3/4` ("3 of 4"), so a reader can tell it from a bare `3` of files
 * written before there were four levels (there `3` was the top, Expert).
 */
export function levelInFile(level: number): string {
  return `${level}/${HIGHEST_LEVEL}`;
}

/** Words a file may use for a level, English and German (folded: lower case, no accents), either scale's names. */
const LEVEL_WORDS: Record<string, SkillLevel> = {
  basic: 1, basics: 1, beginner: 1, grundkenntnisse: 1, anfanger: 1, anfangerin: 1, einsteiger: 1, einsteigerin: 1,
  intermediate: 2, experienced: 2, fortgeschritten: 2, mittel: 2,
  advanced: 3, erfahren: 3, 'sehr erfahren': 3, vertieft: 3,
  expert: 4, experte: 4, expertin: 4, 'expert:in': 4, 'expert*in': 4, profi: 4,
};

/**
 * A level from a file: `3/4` (this scale), `3/3` or a bare `1`–`3` (the former scale, as files written before
 * have it: `3` = Expert), a bare `4`, or a word in English or German; null if it is none of these.
 */
export function parseLevel(token: string): SkillLevel | null {
  const t = foldText(token).replace(/\s+/g, ' ');
  const scaled = /^([1-9])\s*\/\s*([1-9])$/.exec(t);
  if (scaled) {
    const [n, of] = [Number(scaled[1]), Number(scaled[2])];
    if (of === HIGHEST_LEVEL) return isSkillLevel(n) ? n : null;
    return of === 3 ? levelFromFormerScale(n) : null;
  }
  if (/^[1-9]$/.test(t)) {
    const n = Number(t);
    return n === HIGHEST_LEVEL ? n : levelFromFormerScale(n);
  }
  return LEVEL_WORDS[t] ?? null;
}
