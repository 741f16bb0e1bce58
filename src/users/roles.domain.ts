// Who may do what: one pure function, used by every route guard and by the views to hide what a role can't use.
export const ROLES = ['admin', 'manager', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'directory.read', // people, skills, organisations, projects: read and search
  'people.write', // create and edit people
  'people.delete',
  'people.bulk_delete', // delete many people at once from a search result
  'people.merge', // find duplicates, merge people, undo a merge
  'skills.write', // create, edit, merge skills
  'organisations.write',
  'projects.write', // staff: only their organisation's projects (checked by canManageProject)
  'engagements.write', // staff: only their organisation's projects
  'imports.run',
  'exports.download', // CSV of lists; may be restricted to managers by a setting
  'exports.full', // whole-network export
  'privacy.manage', // a person's data export, erasure, stale-record review and its bulk actions
  'consents.record', // record and withdraw a person's consents, confirm their details are current
  'audit.read',
  'users.manage',
  'settings.manage',
  'outbox.read', // the mail queue: who got which mail, what failed and why
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, readonly Action[]> = {
  admin: ACTIONS,
  // the whole-network export holds everyone's personal data at once: admins only
  manager: ACTIONS.filter((a) => a !== 'users.manage' && a !== 'settings.manage' && a !== 'exports.full' && a !== 'outbox.read' && a !== 'people.bulk_delete'),
  // staff talk to the people they work with, so they record consents and withdrawals as they hear them
  staff: ['directory.read', 'people.write', 'consents.record', 'projects.write', 'engagements.write', 'exports.download', 'audit.read'],
  viewer: ['directory.read', 'exports.download'],
};

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** Settings that narrow the grants (an admin may restrict list exports to managers). */
export interface Policy {
  exportsRestricted?: boolean;
  /** who must use a second factor with their password (two-factor.domain.ts) */
  twoFactor?: import('./two-factor.domain.js').TwoFactorPolicy;
}

export function can(role: Role | undefined | null, action: Action, policy: Policy = {}): boolean {
  if (!role || !isRole(role)) return false;
  if (action === 'exports.download' && policy.exportsRestricted && (role === 'viewer' || role === 'staff')) return false;
  return GRANTS[role].includes(action);
}

/** Staff act only within their own organisation; managers and admins everywhere. */
export function canManageProject(
  user: { role: Role; organisation_id: number | null } | undefined,
  project: { organisation_id: number },
  action: 'projects.write' | 'engagements.write',
): boolean {
  if (!user || !can(user.role, action)) return false;
  if (user.role === 'staff') return user.organisation_id !== null && user.organisation_id === project.organisation_id;
  return true;
}
