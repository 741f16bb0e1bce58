// The preview's unknown-skill step: for each skill name the network does not know, create it, leave it out, or
// count it as an existing skill found with the type-ahead (views/partials/picker.ejs over /pickers/skills, any
// name in either language). Without JavaScript the picker's Find posts the form (`_find=skill_map_N`) and the
// page comes back with the matches, keeping every choice made so far. Pure: the form body and the skills come in.
import { matchSkills, type SkillEntryCandidate } from '../skills/skill-entry.domain.js';
import type { SkillChoice, UnknownSkill } from './import.service.js';

/** `skill_N` (new | ignore | map), `skill_key_N` (the unknown name's key), `skill_map_N` / `skill_map_N_q` (the picker). */
const CHOICE_FIELD = /^skill_(\d{1,4})$/;
const FIND_FIELD = /^skill_map_(\d{1,4})$/;

export type ChoiceKind = 'new' | 'ignore' | 'map';

export interface SkillChoiceForm {
  /** per key, the choice made (only rows whose choice is complete) */
  choices: Record<string, SkillChoice>;
  /** per key, what the form showed: the radio, the picker's text and chosen skill */
  shown: Record<string, { kind: ChoiceKind; q: string; chosen: number | null }>;
  /** keys whose radio says "existing skill" with none chosen */
  missing: string[];
  /** the key whose Find was pressed (a search step: nothing is checked yet) */
  find: string | null;
}

const one = (v: unknown) => String(Array.isArray(v) ? v[0] : v ?? '');

/** Reads the unknown-skill form; `known` are the skill ids that exist. */
export function readSkillChoices(body: Record<string, unknown>, known: Set<number>): SkillChoiceForm {
  const out: SkillChoiceForm = { choices: {}, shown: {}, missing: [], find: null };
  const findN = FIND_FIELD.exec(one(body._find))?.[1] ?? null;
  for (const field of Object.keys(body)) {
    const n = CHOICE_FIELD.exec(field)?.[1];
    if (n === undefined) continue;
    const key = one(body[`skill_key_${n}`]);
    if (!key) continue;
    const value = one(body[field]);
    const picked = /^[1-9]\d{0,9}$/.test(one(body[`skill_map_${n}`])) ? Number(one(body[`skill_map_${n}`])) : null;
    const chosen = picked !== null && known.has(picked) ? picked : null;
    const q = one(body[`skill_map_${n}_q`]).trim().slice(0, 120);
    // a search for this row means the person wants an existing skill
    const kind: ChoiceKind = n === findN ? 'map' : value === 'new' || value === 'ignore' ? value : value === 'map' || /^\d+$/.test(value) ? 'map' : 'new';
    const id = value !== 'map' && /^[1-9]\d{0,9}$/.test(value) && known.has(Number(value)) ? Number(value) : chosen; // a plain id: older forms
    out.shown[key] = { kind, q, chosen: id };
    if (n === findN) out.find = key;
    if (kind !== 'map') out.choices[key] = kind;
    else if (id !== null) out.choices[key] = id;
    else if (n !== findN) out.missing.push(key);
  }
  return out;
}

export interface SkillChoiceRow {
  key: string;
  name: string;
  rows: number;
  kind: ChoiceKind;
  /** the picker's state (views/partials/picker.ejs) */
  picker: { q: string; options: { id: number; label: string; hint: string }[]; total: number; chosen: number | null };
}

/**
 * The rows of the step, in the order shown (most used first): each with its choice, from the form just sent
 * (`shown`) or else from the draft's saved choices, and its picker's matches for the text typed.
 */
export function skillChoiceRows(
  unknown: UnknownSkill[], saved: Record<string, SkillChoice>, shown: SkillChoiceForm['shown'], skills: readonly SkillEntryCandidate[], locale: string,
): SkillChoiceRow[] {
  const labelOf = (id: number) => {
    const s = skills.find((x) => x.id === id);
    return s ? (locale === 'de' && s.name_de ? s.name_de : s.name) : null;
  };
  return unknown.slice().sort((a, b) => b.rows - a.rows).map((u) => {
    const was = saved[u.key];
    const state = shown[u.key] ?? {
      kind: typeof was === 'number' ? 'map' : was ?? (u.outcome === 'created' ? 'new' : u.outcome === 'mapped' ? 'map' : 'ignore'),
      q: '', chosen: typeof was === 'number' ? was : null,
    };
    const options = state.q ? matchSkills(skills, state.q, locale).map((m) => ({ id: m.id, label: m.label, hint: m.via ?? '' })) : [];
    const chosenLabel = state.chosen !== null ? labelOf(state.chosen) : null;
    if (state.chosen !== null && chosenLabel && !options.some((o) => o.id === state.chosen)) options.unshift({ id: state.chosen, label: chosenLabel, hint: '' });
    return { key: u.key, name: u.name, rows: u.rows, kind: state.kind, picker: { q: state.q, options, total: options.length, chosen: state.chosen } };
  });
}
