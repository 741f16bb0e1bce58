// Organisations: the fixed list of kinds, validation of the organisation form, and the stored columns.
import { foldText } from '../shared/normalise.js';
import { LIMITS, Validator, type Result } from '../shared/validate.js';
import { fieldConflicts, type ConflictField, type FieldConflict } from '../shared/conflicts.js';

/** A fixed list; 'initiative' is the column's default (rows written without a kind). */
export const ORG_KINDS = [
  'youth_club', 'food_bank', 'refugee_help', 'neighbourhood_group', 'association', 'foundation', 'initiative', 'other',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_PAGE_SIZE = 25;

/** The longest value of each field (form maxlength and validation); `q` is the list's search box. */
export const ORG_LIMITS = {
  name: LIMITS.title, city: LIMITS.city, website: LIMITS.url, contact_name: LIMITS.title, contact_email: LIMITS.email,
  notes: LIMITS.text, q: LIMITS.title,
} as const;

export interface OrganisationInput {
  name: string;
  kind: OrgKind;
  city: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  notes: string | null;
}

export function validateOrganisation(body: Record<string, unknown>): Result<OrganisationInput> {
  const v = new Validator(body);
  return v.result({
    name: v.text('name', { max: ORG_LIMITS.name, required: true }) ?? '',
    kind: v.oneOf('kind', ORG_KINDS),
    city: v.text('city', { max: ORG_LIMITS.city }),
    website: v.url('website'),
    contact_name: v.text('contact_name', { max: ORG_LIMITS.contact_name }),
    contact_email: v.email('contact_email'),
    notes: v.text('notes', { max: ORG_LIMITS.notes }),
  });
}

/** The stored columns: the fields plus name_norm, the folded name that list search matches. */
export function organisationColumns(input: OrganisationInput): Record<string, unknown> {
  return { ...input, name_norm: foldText(input.name) };
}

/** A website is only linked when it is plain http(s); anything else is shown as text. */
export function isLinkableUrl(url: string | null | undefined): boolean {
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url);
}

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
export function likePattern(words: string): string {
  return `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface HelperEngagement {
  engagement_id: number;
  person_id: number;
  first_name: string;
  last_name: string;
  do_not_contact: number;
  availability: string;
  project_id: number;
  project_title: string;
  role: string | null;
  date: string | null;
  rating: number | null;
}

export interface PastHelper {
  person_id: number;
  first_name: string;
  last_name: string;
  do_not_contact: boolean;
  availability: string;
  lastDate: string | null;
  projects: { project_id: number; title: string; role: string | null; date: string | null; rating: number | null }[];
  skills: { skill_id: number; name: string; name_de: string | null }[];
}

/**
 * Groups engagements (given most recent first) by person: each past helper with the projects they helped
 * with and the needed skills they brought, the most recently active helper first. With `skillId`, only
 * helpers who brought that skill.
 */
export function groupPastHelpers(
  engagements: HelperEngagement[],
  skills: { engagement_id: number; skill_id: number; name: string; name_de: string | null }[],
  skillId: number | null = null,
): PastHelper[] {
  const skillsByEngagement = new Map<number, typeof skills>();
  for (const s of skills) skillsByEngagement.set(s.engagement_id, [...(skillsByEngagement.get(s.engagement_id) ?? []), s]);
  const byPerson = new Map<number, PastHelper>();
  for (const e of engagements) {
    let h = byPerson.get(e.person_id);
    if (!h) {
      h = {
        person_id: e.person_id, first_name: e.first_name, last_name: e.last_name, do_not_contact: Boolean(e.do_not_contact),
        availability: e.availability, lastDate: null, projects: [], skills: [],
      };
      byPerson.set(e.person_id, h);
    }
    if (e.date && (!h.lastDate || e.date > h.lastDate)) h.lastDate = e.date;
    h.projects.push({ project_id: e.project_id, title: e.project_title, role: e.role, date: e.date, rating: e.rating });
    for (const s of skillsByEngagement.get(e.engagement_id) ?? []) {
      if (!h.skills.some((x) => x.skill_id === s.skill_id)) h.skills.push({ skill_id: s.skill_id, name: s.name, name_de: s.name_de });
    }
  }
  const out = [...byPerson.values()].filter((h) => skillId === null || h.skills.some((s) => s.skill_id === skillId));
  // Undated work sorts last; ties keep the order of the (already most-recent-first) engagements.
  return out.sort((a, b) => (b.lastDate ?? '').localeCompare(a.lastDate ?? ''));
}

/** The form's fields with their label keys, in the form's order (for the "saved meanwhile" comparison). */
const CONFLICT_FIELDS: ConflictField[] = [
  ['name', 'orgs.name'], ['kind', 'orgs.kind', 'orgKinds.'], ['city', 'orgs.city'], ['website', 'orgs.website'],
  ['contact_name', 'orgs.contactName'], ['contact_email', 'orgs.contactEmail'], ['notes', 'orgs.notes'],
];

/** Where the saved organisation differs from what its form would save. */
export function organisationConflicts(saved: object, mine: object): FieldConflict[] {
  return fieldConflicts(CONFLICT_FIELDS, saved, mine);
}
