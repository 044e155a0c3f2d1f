import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/context.js';
import {
  canGrantRole,
  canManageUser,
  canWriteRole,
  checkPasswordRules,
  checkRoleCombination,
  maskEmail,
  maskPhone,
  passwordClasses,
  permissionsDefinable,
  requiresMfa,
  roleFitsOrganisation,
  userAbilities,
  type RoleFacts,
} from './access.policy.js';
import { generateInitialPassword } from './access.service.js';

const actor = (over: Partial<Actor>): Actor => ({
  kind: 'user',
  userId: 'me',
  tokenId: null,
  sessionId: 's',
  username: 'x',
  orgId: 'A',
  orgKind: 'user_unit',
  permissions: new Set(['user:read', 'user:write', 'role:read', 'role:write', 'role:assign', 'org:read', 'org:write']),
  adminKinds: new Set(),
  scope: { all: false, roots: ['A'] },
  businessAccess: true,
  ...over,
});
const unitAdmin = actor({});
const systemAdmin = actor({ orgId: 'M', scope: { all: true }, adminKinds: new Set(['system']), permissions: new Set(['user:read', 'user:write', 'org:read', 'org:write']) });
const securityAdmin = actor({ orgId: 'M', scope: { all: true }, adminKinds: new Set(['security']), permissions: new Set(['role:read', 'role:write', 'role:assign', 'policy:read', 'policy:write', 'user:read', 'org:read']) });
const staff = { id: 't', orgPath: ['A', 'B'], permissions: ['org:read'], adminKinds: [] };
const role = (over: Partial<RoleFacts>): RoleFacts => ({ id: 'r', code: null, builtin: false, adminKind: null, orgKinds: [], orgPath: ['A'], permissions: ['org:read'], ...over });

describe('managing accounts', () => {
  it('inside the subtree, never oneself, never someone with more rights', () => {
    expect(canManageUser(unitAdmin, staff)).toBe(true);
    expect(canManageUser(unitAdmin, { ...staff, id: 'me' })).toBe(false);
    expect(canManageUser(unitAdmin, { ...staff, orgPath: ['C'] })).toBe(false);
    expect(canManageUser(unitAdmin, { ...staff, permissions: ['org:read', 'token:write'] })).toBe(false);
    expect(canManageUser(unitAdmin, { ...staff, adminKinds: ['audit'], permissions: [] })).toBe(false);
  });

  it('the system administrator manages every account but their own; the security administrator none', () => {
    expect(canManageUser(systemAdmin, { ...staff, adminKinds: ['security'], permissions: ['policy:write'] })).toBe(true);
    expect(canManageUser(systemAdmin, { ...staff, id: 'me' })).toBe(false);
    expect(canManageUser(securityAdmin, staff)).toBe(false);
  });

  it('tokens never administer accounts', () => {
    expect(canManageUser(actor({ kind: 'token', userId: null }), staff)).toBe(false);
  });

  it('abilities follow the account state; contact data is shown to managers and oneself', () => {
    const ab = userAbilities(unitAdmin, { ...staff, status: 'active', locked: true, mfaEnabled: false });
    expect(ab).toMatchObject({ update: true, unlock: true, disable: true, enable: false, resetMfa: false, assignRoles: true, viewContact: true });
    const self = userAbilities(unitAdmin, { ...staff, id: 'me', status: 'active', locked: false, mfaEnabled: true });
    expect(self).toMatchObject({ update: false, assignRoles: false, viewContact: true });
  });
});

describe('granting roles', () => {
  it('only roles within one’s own rights, never to oneself', () => {
    expect(canGrantRole(unitAdmin, role({}), staff)).toBe(true);
    expect(canGrantRole(unitAdmin, role({ permissions: ['token:write'] }), staff)).toBe(false);
    expect(canGrantRole(unitAdmin, role({ adminKind: 'system', permissions: [] }), staff)).toBe(false);
    expect(canGrantRole(unitAdmin, role({}), { ...staff, id: 'me' })).toBe(false);
  });

  it('the security administrator assigns any role to anyone but themselves', () => {
    expect(canGrantRole(securityAdmin, role({ adminKind: 'system', permissions: ['settings:write'] }), { ...staff, orgPath: ['M'] })).toBe(true);
    expect(canGrantRole(securityAdmin, role({}), { ...staff, id: 'me' })).toBe(false);
  });

  it('the system administrator has no role:assign (三员分立)', () => {
    expect(canGrantRole(systemAdmin, role({}), staff)).toBe(false);
  });

  it('roles fit organisation kinds (built-in) or the owner’s subtree (custom)', () => {
    expect(roleFitsOrganisation(role({ orgPath: null, orgKinds: ['user_unit'] }), { kind: 'user_unit', path: ['X'] })).toBe(true);
    expect(roleFitsOrganisation(role({ orgPath: null, orgKinds: ['management_unit'] }), { kind: 'user_unit', path: ['X'] })).toBe(false);
    expect(roleFitsOrganisation(role({ orgPath: ['A'] }), { kind: 'user_unit', path: ['A', 'B'] })).toBe(true);
    expect(roleFitsOrganisation(role({ orgPath: ['A', 'B'] }), { kind: 'user_unit', path: ['A'] })).toBe(false);
  });
});

describe('three-admin separation (三员分立)', () => {
  it('refuses two administrator kinds and administrator roles combined with others', () => {
    expect(checkRoleCombination([{ adminKind: 'system', code: 'system_admin' }, { adminKind: 'audit', code: 'audit_admin' }])?.code).toBe('access.three_admin_separation');
    expect(checkRoleCombination([{ adminKind: 'audit', code: 'audit_admin' }, { adminKind: null, code: 'mgmt_staff' }])?.code).toBe('access.admin_role_exclusive');
    expect(checkRoleCombination([{ adminKind: 'security', code: 'security_admin' }])).toBeNull();
    expect(checkRoleCombination([{ adminKind: null, code: 'a' }, { adminKind: null, code: 'b' }])).toBeNull();
    expect(checkRoleCombination([])).toBeNull();
  });

  it('audit, policy and settings changes are reserved to the built-in administrators', () => {
    expect(permissionsDefinable(securityAdmin, ['audit:read'])?.code).toBe('access.permission_reserved');
    expect(permissionsDefinable(securityAdmin, ['settings:write'])?.code).toBe('access.permission_reserved');
    expect(permissionsDefinable(securityAdmin, ['policy:write'])?.code).toBe('access.permission_reserved');
    expect(permissionsDefinable(securityAdmin, ['settings:read', 'token:write', 'user:write'])).toBeNull();
    expect(permissionsDefinable(unitAdmin, ['token:write'])?.code).toBe('access.permission_beyond_own');
    expect(permissionsDefinable(unitAdmin, ['user:read', 'org:read'])).toBeNull();
  });

  it('built-in roles are never writable; custom ones within scope and rights', () => {
    expect(canWriteRole(securityAdmin, role({ builtin: true, orgPath: null }))).toBe(false);
    expect(canWriteRole(unitAdmin, role({}))).toBe(true);
    expect(canWriteRole(unitAdmin, role({ orgPath: ['C'] }))).toBe(false);
    expect(canWriteRole(unitAdmin, role({ permissions: ['policy:write'] }))).toBe(false);
  });

  it('administrative custom roles always require TOTP', () => {
    expect(requiresMfa(['user:write'], false)).toBe(true);
    expect(requiresMfa(['org:read'], undefined)).toBe(false);
    expect(requiresMfa(['org:read'], true)).toBe(true);
  });
});

describe('password rules and masking', () => {
  const policy = { passwordMinLength: 10, passwordMinClasses: 3 };
  it('names the broken rule', () => {
    expect(checkPasswordRules(policy, 'Ab1!', 'alice').map((i) => i.rule)).toEqual(['too_short']);
    expect(checkPasswordRules(policy, 'abcdefghijkl', 'alice').map((i) => i.rule)).toEqual(['too_few_classes']);
    expect(checkPasswordRules(policy, 'xxAlice-2026!', 'alice').map((i) => i.rule)).toEqual(['contains_username']);
    expect(checkPasswordRules(policy, 'Correct-Horse-7', 'alice')).toEqual([]);
    expect(checkPasswordRules(policy, `Aa1!${'x'.repeat(200)}`, 'alice').map((i) => i.rule)).toEqual(['too_long']);
  });

  it('counts characters, not UTF-16 units, and classes', () => {
    expect(passwordClasses('aA1!')).toBe(4);
    expect(passwordClasses('密码密码')).toBe(1);
    expect(checkPasswordRules(policy, '密码密码密码密码密码Aa1', 'bob')).toEqual([]);
  });

  it('generated initial passwords satisfy the strictest policy', () => {
    for (let i = 0; i < 200; i++) {
      const p = generateInitialPassword();
      expect(checkPasswordRules({ passwordMinLength: 16, passwordMinClasses: 4 }, p, 'someone')).toEqual([]);
    }
  });

  it('masks e-mail and phone', () => {
    expect(maskEmail('zhang.san@example.gov.cn')).toBe('z***@example.gov.cn');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1234')).toBe('****');
  });
});
