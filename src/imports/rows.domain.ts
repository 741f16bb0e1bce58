// One CSV row → the person it describes (validated as the person form validates), its dedupe key, and the
// plan for it against an existing person: create, update, unchanged or skip, field by field. Pure logic.
import { Validator } from '../shared/validate.js';
import { normaliseEmail, normaliseName, normalisePhone } from '../shared/normalise.js';
import { PERSON_DEFAULTS, PERSON_LIMITS, readPersonFields, type PersonFields } from '../people/people.domain.js';
import { lossOf, type LossReason } from './lossy.domain.js';
import {
  columnOrder, fieldForLabel, firstEmail, firstValue, labelColumnOf, listKey, parseSkill, splitFullName,
  splitList, splitMulti, stripFormulaGuard, type Target,
} from './mapping.domain.js';

export const POLICIES = ['skip', 'update', 'fill'] as const;
export type Policy = (typeof POLICIES)[number];

/** The person fields an import can set (stored text columns, plus kind and availability). */
export type ImportField = Exclude<keyof PersonFields, 'do_not_contact' | 'last_confirmed_at'>;
export const IMPORT_FIELDS: readonly ImportField[] = [
  'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'languages', 'kind', 'availability',
  'organisation', 'job_title', 'portfolio_url', 'notes',
];

/** The counts every import reports (the CLI's --json contract, DESIGN §3) and every batch stores. */
export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
}

/** A row's problem: a message key with values; `column` names the header when one column is at fault. */
export interface RowProblem {
  key: string;
  vars: Record<string, string | number>;
}

/** What a row says about a person: only the fields it fills (an empty cell says nothing). */
export interface RowPerson {
  fields: Partial<Record<ImportField, string>>;
  skills: { name: string; level: number | null }[];
  tags: string[];
  /** the one bad field left out (MapOptions.dropBadField), for review */
  dropped?: RowProblem[];
}

export type MappedRow = { ok: true; person: RowPerson } | { ok: false; problem: RowProblem };

/** A compiled mapping: for each column its field, and for labelled columns where their label is. */
export interface ColumnPlan {
  headers: string[];
  targets: Target[];
  labelOf: number[];
  /** the order a row reads its columns (mapping.domain columnOrder) */
  order: number[];
}

export function compileMapping(headers: string[], targets: Target[]): ColumnPlan {
  return { headers, targets, labelOf: targets.map((t, i) => (t === 'labelled' ? labelColumnOf(headers, i) : -1)), order: columnOrder(headers, targets) };
}


/** What the network already knows, so a skill or tag holding a comma is not split at it (mapping.domain splitList). */
export interface KnownNames {
  skill(name: string): boolean;
  tag(name: string): boolean;
}

const NOTHING_KNOWN: KnownNames = { skill: () => false, tag: () => false };

export interface MapOptions {
  /**
   * A row whose only problem is one bad field (an invalid e-mail or website, an unknown kind or availability)
   * is taken without that field, the problem listed in `dropped` (default: the row fails).
   */
  dropBadField?: boolean;
}

/** Maps and validates one row. A ragged row (more filled cells than headers, or fewer cells) is a problem. */
export function mapRow(cells: string[], plan: ColumnPlan, known: KnownNames = NOTHING_KNOWN, opts: MapOptions = {}): MappedRow {
  const width = plan.headers.length;
  if (cells.length < width || (cells.length > width && cells.slice(width).some((c) => c.trim()))) {
    return { ok: false, problem: { key: 'imports.row.ragged', vars: { cells: cells.length, expected: width } } };
  }
  const raw: Partial<Record<Target, string[]>> = {};
  const columnOf: Partial<Record<Target, number>> = {};
  for (const i of plan.order) {
    let target = plan.targets[i]!;
    if (target === 'ignore') continue;
    const cell = stripFormulaGuard(cells[i]!.trim());
    if (!cell) continue;
    if (target === 'labelled') {
      const li = plan.labelOf[i]!;
      target = li >= 0 ? fieldForLabel(cells[li] ?? '') : 'ignore';
      if (target === 'ignore') continue;
    }
    (raw[target] ??= []).push(cell);
    columnOf[target] ??= i;
  }
  const one = (t: Target) => raw[t]?.[0] ?? '';
  const fields: Partial<Record<ImportField, string>> = {};
  let first = one('first_name');
  let last = one('last_name');
  if (!first && !last && one('full_name')) ({ first, last } = splitFullName(one('full_name')));
  const values: Record<string, string> = {
    first_name: first, last_name: last, email: raw.email ? firstEmail(one('email')) : '', phone: raw.phone ? firstValue(one('phone')) : '',
    city: one('city'), postcode: one('postcode'), country: one('country'), organisation: one('organisation'),
    job_title: one('job_title'), portfolio_url: one('portfolio_url'), notes: (raw.notes ?? []).join('\n'),
    languages: (raw.languages ?? []).flatMap((c) => splitMulti(c)).join(', '),
  };
  const columnName = (f: string) => {
    const t = (f === 'first_name' || f === 'last_name') && columnOf.full_name !== undefined && columnOf[f as Target] === undefined ? 'full_name' : f;
    const i = columnOf[t as Target];
    return i === undefined ? f : plan.headers[i]!;
  };
  values.kind = one('kind');
  values.availability = one('availability');
  // the person form's schema: the same limits, e-mail and web-address rules, kind and availability words
  const check = new Validator(values);
  const read = readPersonFields(check);
  const bad: RowProblem[] = [];
  for (const f of [...IMPORT_FIELDS.filter((x) => x !== 'kind' && x !== 'availability'), 'kind', 'availability'] as const) {
    const key = check.errors[f];
    if (key) {
      const problem = rowProblem(f, key, values[f]!.trim(), columnName(f));
      // a value too long fails the row always; a wrong one may be left out (MapOptions.dropBadField)
      if (key === 'validation.tooLong') return { ok: false, problem };
      bad.push(problem);
      continue;
    }
    const val = read[f];
    if (val) fields[f] = val;
  }
  // one bad field fails the row, unless the user chose to take such rows without it; two always fail it
  if (bad.length && (!opts.dropBadField || bad.length > 1)) return { ok: false, problem: bad[0]! };
  const skills = new Map<string, { name: string; level: number | null }>();
  const knownSkill = (v: string) => known.skill(parseSkill(v).name);
  for (const item of (raw.skills ?? []).flatMap((c) => splitList(c, knownSkill))) {
    const s = parseSkill(item);
    const k = listKey(s.name);
    if (!k) continue;
    if (s.name.length > PERSON_LIMITS.skill) return { ok: false, problem: { key: 'imports.row.tooLong', vars: { column: columnName('skills'), length: s.name.length, max: PERSON_LIMITS.skill } } };
    const prev = skills.get(k);
    if (!prev || (s.level ?? 0) > (prev.level ?? 0)) skills.set(k, s);
  }
  const tags = (raw.tags ?? []).flatMap((c) => splitList(c, known.tag));
  const longTag = tags.find((t) => t.length > PERSON_LIMITS.tag);
  if (longTag) return { ok: false, problem: { key: 'imports.row.tooLong', vars: { column: columnName('tags'), length: longTag.length, max: PERSON_LIMITS.tag } } };
  return { ok: true, person: { fields, skills: [...skills.values()], tags: dedupeByKey(tags), ...(bad.length ? { dropped: bad } : {}) } };
}

/** The import's message for what the person schema found wrong with a field. */
function rowProblem(f: ImportField, key: string, value: string, column: string): RowProblem {
  if (key === 'validation.tooLong') return { key: 'imports.row.tooLong', vars: { column, length: value.length, max: PERSON_LIMITS[f as keyof typeof PERSON_LIMITS] } };
  if (f === 'kind' || f === 'availability') return { key: `imports.row.${f}`, vars: { column, value: value.slice(0, 40) } };
  const known: Record<string, string> = { 'validation.email': 'imports.row.email', 'validation.url': 'imports.row.url' };
  return { key: known[key] ?? 'imports.row.choice', vars: { column, value: value.slice(0, 80) } };
}

function dedupeByKey(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = listKey(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** How a row finds its person: the normalised e-mail, else the normalised name plus phone. Null: neither. */
export type MatchKey = { email: string } | { name: string; phone: string } | null;

export function matchKey(p: RowPerson): MatchKey {
  const email = normaliseEmail(p.fields.email);
  if (email) return { email };
  const name = normaliseName(p.fields.first_name, p.fields.last_name);
  if (!name) return null;
  return { name, phone: normalisePhone(p.fields.phone) };
}

/** The stored state of a matched person that a plan compares against. */
export interface Existing {
  fields: Record<ImportField, string | null>;
  /** skill id → level */
  skills: Map<number, number>;
  tagIds: Set<number>;
}

/** The row with its skills and tags resolved to ids (unknown ones dropped or created by the caller). */
export interface ResolvedRow {
  fields: Partial<Record<ImportField, string>>;
  skills: { skillId: number; level: number | null }[];
  tagIds: number[];
}

export interface Changes {
  fields: Partial<Record<ImportField, { from: string | null; to: string }>>;
  /** values not written because they are a damaged copy of the stored one (lossy.domain), with why */
  held: HeldValue[];
  addSkills: { skillId: number; level: number }[];
  levels: { skillId: number; from: number; to: number }[];
  addTags: number[];
}

export interface HeldValue {
  field: ImportField;
  from: string;
  to: string;
  reason: LossReason;
}

export interface PlanOptions {
  /** write a lossier value anyway (the explicit "overwrite" choice of `update`) */
  overwriteLossy?: boolean;
}

export function isEmptyChange(c: Changes): boolean {
  return !Object.keys(c.fields).length && !c.addSkills.length && !c.levels.length && !c.addTags.length;
}

function same(field: ImportField, a: string | null, b: string): boolean {
  if (field === 'email') return normaliseEmail(a) === normaliseEmail(b);
  if (field === 'phone') return (a ?? '') === b || (normalisePhone(a) !== '' && normalisePhone(a) === normalisePhone(b));
  return (a ?? '') === b;
}

/**
 * What applying a row to an existing person changes. `update`: every filled cell wins; `fill`: only empty
 * fields are filled; both add missing skills and tags, only `update` changes a level the file states.
 * An empty cell never blanks anything, and a value that is a damaged copy of the stored one (a `?` for a
 * character the file's code page lacks, a postcode without its leading zero, a reformatted date) is held back
 * unless `overwriteLossy`. `skip` returns what `update` would do (so "unchanged" can be told apart).
 */
export function planChanges(existing: Existing, row: ResolvedRow, policy: Policy, opts: PlanOptions = {}): Changes {
  const out: Changes = { fields: {}, held: [], addSkills: [], levels: [], addTags: [] };
  const fill = policy === 'fill';
  for (const f of IMPORT_FIELDS) {
    const to = row.fields[f];
    if (to === undefined || to === '') continue;
    const from = existing.fields[f];
    if (same(f, from, to)) continue;
    if (fill && from !== null && from !== '' && !(f === 'kind' || f === 'availability')) continue;
    // kind and availability always have a value; "fill" leaves them be
    if (fill && (f === 'kind' || f === 'availability')) continue;
    const loss = opts.overwriteLossy ? null : lossOf(f, from, to);
    if (loss) {
      out.held.push({ field: f, from: from!, to, reason: loss });
      continue;
    }
    out.fields[f] = { from, to };
  }
  for (const s of row.skills) {
    const had = existing.skills.get(s.skillId);
    if (had === undefined) out.addSkills.push({ skillId: s.skillId, level: s.level ?? 1 });
    else if (!fill && s.level !== null && s.level !== had) out.levels.push({ skillId: s.skillId, from: had, to: s.level });
  }
  for (const id of row.tagIds) if (!existing.tagIds.has(id)) out.addTags.push(id);
  return out;
}

/** The full field set of a person created from a row (defaults for what the row leaves empty). */
export function newPersonFields(row: ResolvedRow): PersonFields {
  const f = row.fields;
  return {
    first_name: f.first_name ?? '', last_name: f.last_name ?? '', email: f.email ?? null, phone: f.phone ?? null,
    city: f.city ?? null, postcode: f.postcode ?? null, country: f.country ?? null, languages: f.languages ?? null,
    kind: (f.kind as PersonFields['kind']) ?? PERSON_DEFAULTS.kind, availability: (f.availability as PersonFields['availability']) ?? PERSON_DEFAULTS.availability,
    organisation: f.organisation ?? null, job_title: f.job_title ?? null, portfolio_url: f.portfolio_url ?? null,
    notes: f.notes ?? null, do_not_contact: false, last_confirmed_at: null,
  };
}

/** A new person needs a name, as on the person form. */
export function missingName(row: RowPerson): boolean {
  return !row.fields.first_name && !row.fields.last_name;
}
