import { expect } from 'chai';
import { can, canManageProject, type Action, type Role } from '../../src/users/roles.domain.js';

describe('can(role, action)', () => {
  const table: [Role | undefined, Action, boolean][] = [
    ['admin', 'users.manage', true],
    ['admin', 'settings.manage', true],
    ['manager', 'users.manage', false],
    ['manager', 'imports.run', true],
    ['manager', 'people.delete', true],
    ['manager', 'privacy.manage', true],
    ['manager', 'exports.full', false],
    ['admin', 'exports.full', true],
    ['staff', 'directory.read', true],
    ['staff', 'people.write', true],
    ['staff', 'people.delete', false],
    ['staff', 'imports.run', false],
    ['staff', 'skills.write', false],
    ['staff', 'organisations.write', false],
    ['viewer', 'directory.read', true],
    ['viewer', 'people.write', false],
    ['viewer', 'engagements.write', false],
    ['viewer', 'exports.download', true],
    [undefined, 'directory.read', false],
  ];
  for (const [role, action, expected] of table) {
    it(`${role ?? 'nobody'} ${expected ? 'may' : 'may not'} ${action}`, () => {
      expect(can(role, action)).to.equal(expected);
    });
  }

  it('an unknown role string may do nothing', () => {
    expect(can('root' as Role, 'directory.read')).to.equal(false);
  });

  it('restricting exports takes them from viewers and staff, not managers', () => {
    const policy = { exportsRestricted: true };
    expect(can('viewer', 'exports.download', policy)).to.equal(false);
    expect(can('staff', 'exports.download', policy)).to.equal(false);
    expect(can('manager', 'exports.download', policy)).to.equal(true);
  });
});

describe('canManageProject', () => {
  const table: [string, { role: Role; organisation_id: number | null } | undefined, number, boolean][] = [
    ['staff of the same organisation', { role: 'staff', organisation_id: 7 }, 7, true],
    ['staff of another organisation', { role: 'staff', organisation_id: 8 }, 7, false],
    ['staff without organisation', { role: 'staff', organisation_id: null }, 7, false],
    ['manager anywhere', { role: 'manager', organisation_id: null }, 7, true],
    ['viewer', { role: 'viewer', organisation_id: 7 }, 7, false],
    ['nobody', undefined, 7, false],
  ];
  for (const [name, user, org, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(canManageProject(user, { organisation_id: org }, 'engagements.write')).to.equal(expected);
    });
  }
});
