// Merging people, pure parts: which fields a manager chooses, the default choice (the newest non-empty value),
// and how the rest combine (languages united, notes joined, "do not contact" kept if anyone had it).
import { splitList, type PersonFields } from '../people/people.domain.js';

/** Fields taken whole from one of the records (the manager picks which). */
export const MERGE_FIELDS = [
  'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'kind', 'availability', 'organisation',
  'job_title', 'portfolio_url',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type Choices = Record<MergeField, number>;

export type MergeRecord = PersonFields & { id: number; updated_at: string };

const empty = (v: unknown) => v === null || v === undefined || String(v).trim() === '';

/** Per field, the id of the record whose value wins by default: the most recently updated one that has a value. */
export function defaultChoices(records: MergeRecord[], keepId: number): Choices {
  const newestFirst = [...records].sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);
  const out = {} as Choices;
  for (const f of MERGE_FIELDS) out[f] = (newestFirst.find((r) => !empty(r[f])) ?? { id: keepId }).id;
  return out;
}

/** Which fields differ between the records (only those need a choice on the form). */
export function conflictingFields(records: MergeRecord[]): MergeField[] {
  return MERGE_FIELDS.filter((f) => new Set(records.map((r) => (empty(r[f]) ? '' : String(r[f]).trim()))).size > 1);
}

/** The kept person's fields after the merge. */
export function mergedFields(records: MergeRecord[], keepId: number, choices: Partial<Choices>): PersonFields {
  const byId = new Map(records.map((r) => [r.id, r]));
  const keep = byId.get(keepId)!;
  const defaults = defaultChoices(records, keepId);
  const out = { ...keep } as PersonFields & Record<string, unknown>;
  for (const f of MERGE_FIELDS) {
    const from = byId.get(choices[f] ?? defaults[f]) ?? keep;
    (out as Record<string, unknown>)[f] = from[f];
  }
  const ordered = [keep, ...records.filter((r) => r.id !== keepId)];
  const langs = splitList(ordered.map((r) => r.languages ?? '').join(', '));
  const notes = [...new Set(ordered.map((r) => (r.notes ?? '').trim()).filter(Boolean))];
  const confirmed = ordered.map((r) => r.last_confirmed_at).filter((d): d is string => Boolean(d)).sort();
  return {
    first_name: out.first_name, last_name: out.last_name, email: out.email, phone: out.phone, city: out.city,
    postcode: out.postcode, country: out.country, kind: out.kind, availability: out.availability,
    organisation: out.organisation, job_title: out.job_title, portfolio_url: out.portfolio_url,
    languages: langs.length ? langs.join(', ') : null,
    notes: notes.length ? notes.join('\n\n') : null,
    do_not_contact: ordered.some((r) => Boolean(r.do_not_contact)),
    last_confirmed_at: confirmed.length ? confirmed[confirmed.length - 1]! : null,
  };
}

/** Reads `choice_<field>=<id>` form values; ids outside the group are ignored. */
export function parseChoices(body: Record<string, unknown>, ids: number[]): Partial<Choices> {
  const out: Partial<Choices> = {};
  for (const f of MERGE_FIELDS) {
    const v = Number(body[`choice_${f}`]);
    if (ids.includes(v)) out[f] = v;
  }
  return out;
}
