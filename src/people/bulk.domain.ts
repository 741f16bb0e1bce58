// Bulk actions on a people search: which exist, who may run each, and what can be undone.
import { can, type Action } from '../users/roles.domain.js';
import type { Role } from '../users/roles.domain.js';

export const BULK_ACTIONS = ['tag_add', 'tag_remove', 'dnc', 'shortlist', 'export', 'mail', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** Actions that write and are undone from their result page. */
export const UNDOABLE: readonly BulkAction[] = ['tag_add', 'tag_remove', 'dnc', 'shortlist'];
/** Actions that only lead on to another screen with the chosen people (no confirmation here). */
export const HANDED_ON: readonly BulkAction[] = ['export', 'mail'];

/** The permission each bulk action needs (shortlist: also the project's organisation, checked on the project). */
export const BULK_PERMISSION: Record<BulkAction, Action> = {
  tag_add: 'people.write',
  tag_remove: 'people.write',
  dnc: 'people.write',
  shortlist: 'engagements.write',
  export: 'exports.download',
  mail: 'privacy.manage',
  delete: 'people.bulk_delete',
};

export function isBulkAction(x: unknown): x is BulkAction {
  return typeof x === 'string' && (BULK_ACTIONS as readonly string[]).includes(x);
}

/** The bulk actions a role may use (the list page shows only these). */
export function bulkActionsFor(role: Role | undefined | null, policy: Parameters<typeof can>[2] = {}): BulkAction[] {
  return BULK_ACTIONS.filter((a) => can(role, BULK_PERMISSION[a], policy));
}

export type Scope = 'selected' | 'all';

export function scopeOf(raw: unknown): Scope {
  return raw === 'all' ? 'all' : 'selected';
}
