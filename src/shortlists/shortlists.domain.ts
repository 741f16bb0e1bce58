// A project's shortlist as pure rules: the states a person passes through, which change may follow which, and
// what a change needs (a reason to decline). Routes, the bulk action on the people list and tests read these.
import { canManageProject, type Role } from '../users/roles.domain.js';

/** suggested → shortlisted → asked → accepted / declined; accepting records the engagement. */
export const SHORTLIST_STATES = ['suggested', 'shortlisted', 'asked', 'accepted', 'declined'] as const;
export type ShortlistState = (typeof SHORTLIST_STATES)[number];

/** The state people get when someone adds them on purpose (the suggestions page, a bulk action). */
export const ADDED_STATE: ShortlistState = 'shortlisted';

/** Which state may follow which. Accepted is final (an engagement exists); a declined person may be shortlisted again. */
export const SHORTLIST_TRANSITIONS: Record<ShortlistState, readonly ShortlistState[]> = {
  suggested: ['shortlisted', 'asked', 'declined'],
  shortlisted: ['asked', 'accepted', 'declined'],
  asked: ['accepted', 'declined'],
  accepted: [],
  declined: ['shortlisted', 'asked'],
};

/** States from which a person can still be taken off the list (nothing was asked or agreed yet). */
export const REMOVABLE_STATES: readonly ShortlistState[] = ['suggested', 'shortlisted'];

export const SHORTLIST_LIMITS = { reason: 500 } as const;

/** How long "asked for another project" marks a person on the suggestions and shortlist pages. */
export const RECENTLY_ASKED_DAYS = 60;

export function isShortlistState(x: unknown): x is ShortlistState {
  return typeof x === 'string' && (SHORTLIST_STATES as readonly string[]).includes(x);
}

export function canMove(from: ShortlistState, to: ShortlistState): boolean {
  return SHORTLIST_TRANSITIONS[from].includes(to);
}

export type StateChange =
  | { ok: true; to: ShortlistState; reason: string | null }
  | { ok: false; error: 'shortlist.badState' | 'shortlist.notAllowed' | 'shortlist.reasonRequired' | 'validation.tooLong' };

/** Reads a requested change (`state`, `reason` from a form) against the current state. */
export function readStateChange(from: ShortlistState, input: { state?: unknown; reason?: unknown }): StateChange {
  const to = String(input.state ?? '').trim();
  if (!isShortlistState(to)) return { ok: false, error: 'shortlist.badState' };
  if (!canMove(from, to)) return { ok: false, error: 'shortlist.notAllowed' };
  const reason = String(input.reason ?? '').trim();
  if (reason.length > SHORTLIST_LIMITS.reason) return { ok: false, error: 'validation.tooLong' };
  if (to === 'declined' && !reason) return { ok: false, error: 'shortlist.reasonRequired' };
  return { ok: true, to, reason: reason || null };
}

/** Who may change a project's shortlist: whoever may record its engagements (staff: own organisation only). */
export function canShortlist(user: { role: Role; organisation_id: number | null } | undefined, project: { organisation_id: number }): boolean {
  return canManageProject(user, project, 'engagements.write');
}

/** The date from which an "asked" counts as recent (YYYY-MM-DD…, compared as text with stored ISO times). */
export function recentlyAskedSince(now: Date, days = RECENTLY_ASKED_DAYS): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}
