import { hasPermission, type Actor, type AdminKind } from '../../platform/context.js';
import { inScope } from '../organisations/index.js';
import { ADMIN_PERMISSIONS, RESERVED_PERMISSIONS } from './access.catalog.js';

/** What the rules need to know about a user someone wants to act on. */
export interface TargetUser {
  id: string;
  orgPath: readonly string[];
  permissions: ReadonlySet<string> | readonly string[];
  adminKinds: ReadonlySet<string> | readonly string[];
}

export interface RoleFacts {
  id: string;
  code: string | null;
  builtin: boolean;
  adminKind: string | null;
  orgKinds: readonly string[];
  /** Ancestor path of the organisation that owns a custom role; null for built-in roles. */
  orgPath: readonly string[] | null;
  permissions: readonly string[];
}

const asSet = (v: ReadonlySet<string> | readonly string[]) => (v instanceof Set ? (v as ReadonlySet<string>) : new Set(v as readonly string[]));

export function isSubset(perms: Iterable<string>, of: ReadonlySet<string>): boolean {
  for (const p of perms) if (!of.has(p)) return false;
  return true;
}

/** Only people (and the platform itself) administer; machine tokens never do. */
const isPerson = (actor: Actor) => actor.kind === 'user' || actor.kind === 'system';
const isSystem = (actor: Actor) => actor.kind === 'system';

/**
 * May `actor` administer the account `target` (edit, reset password or MFA, unlock, disable)? Inside the actor's
 * subtree, never themselves (they use their own profile), and — except for the system administrator, whose job is
 * accounts — only people with no more rights than the actor and no administrator kind.
 */
export function canManageUser(actor: Actor, target: TargetUser): boolean {
  if (isSystem(actor)) return true;
  if (!isPerson(actor) || !hasPermission(actor, 'user:write')) return false;
  if (target.id === actor.userId) return false;
  if (!inScope(actor.scope, target.orgPath)) return false;
  if (actor.adminKinds.has('system')) return true;
  return asSet(target.adminKinds).size === 0 && isSubset(asSet(target.permissions), actor.permissions);
}

/**
 * May `actor` grant or withdraw `role` for `target`? Needs role:assign, never for oneself; the security
 * administrator may assign any role to anyone else; other holders only roles whose permissions they hold
 * themselves and which carry no administrator kind.
 */
export function canGrantRole(actor: Actor, role: RoleFacts, target: TargetUser): boolean {
  if (isSystem(actor)) return true;
  if (!isPerson(actor) || !hasPermission(actor, 'role:assign')) return false;
  if (target.id === actor.userId) return false;
  if (!inScope(actor.scope, target.orgPath)) return false;
  if (actor.adminKinds.has('security')) return true;
  return role.adminKind === null && isSubset(role.permissions, actor.permissions);
}

/** Where a role may be held: built-in roles by organisation kind, custom roles inside the subtree that owns them. */
export function roleFitsOrganisation(role: RoleFacts, org: { kind: string; path: readonly string[] }): boolean {
  if (role.orgKinds.length > 0 && !role.orgKinds.includes(org.kind)) return false;
  if (role.orgPath) {
    const owner = role.orgPath[role.orgPath.length - 1];
    if (owner && !org.path.includes(owner)) return false;
  }
  return true;
}

export interface RuleBreach {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Three-admin separation (三员分立): nobody holds two of the system, security and audit administrator kinds, and an
 * administrator role is held alone, so none of the three can reach business data or another's job.
 */
export function checkRoleCombination(roles: ReadonlyArray<Pick<RoleFacts, 'adminKind' | 'code'>>): RuleBreach | null {
  const kinds = [...new Set(roles.map((r) => r.adminKind).filter((k): k is string => k !== null))];
  if (kinds.length > 1) {
    return {
      code: 'access.three_admin_separation',
      message: `Three-admin separation: one person cannot be ${kinds.join(' and ')} administrator at once`,
      details: { adminKinds: kinds },
    };
  }
  if (kinds.length === 1 && roles.length > 1) {
    return {
      code: 'access.admin_role_exclusive',
      message: `The ${kinds[0]} administrator role is held alone: it cannot be combined with other roles`,
      details: { adminKind: kinds[0], roles: roles.map((r) => r.code) },
    };
  }
  return null;
}

/**
 * May `actor` define a role with these permissions? The security administrator may define any; others only
 * what they hold themselves. The audit permissions belong to the built-in audit administrator only.
 */
export function permissionsDefinable(actor: Actor, permissions: readonly string[]): RuleBreach | null {
  const reserved = permissions.filter((p) => RESERVED_PERMISSIONS.includes(p));
  if (reserved.length) {
    return {
      code: 'access.permission_reserved',
      message: `Only the built-in system, security and audit administrator roles carry ${reserved.join(', ')} (three-admin separation)`,
      details: { permissions: reserved },
    };
  }
  if (isSystem(actor) || actor.adminKinds.has('security')) return null;
  const beyond = permissions.filter((p) => !actor.permissions.has(p));
  if (beyond.length) {
    return { code: 'access.permission_beyond_own', message: 'A role may only contain permissions you hold yourself', details: { permissions: beyond } };
  }
  return null;
}

/** May `actor` change or delete this role? Custom roles only, inside the actor's subtree, within their own rights. */
export function canWriteRole(actor: Actor, role: RoleFacts): boolean {
  if (role.builtin) return false;
  if (isSystem(actor)) return true;
  if (!isPerson(actor) || !hasPermission(actor, 'role:write')) return false;
  if (!role.orgPath || !inScope(actor.scope, role.orgPath)) return false;
  return permissionsDefinable(actor, role.permissions) === null;
}

/** Custom roles with administrative permissions always require the second factor. */
export function requiresMfa(permissions: readonly string[], requested: boolean | undefined): boolean {
  return permissions.some((p) => ADMIN_PERMISSIONS.includes(p)) || requested === true;
}

export function userAbilities(actor: Actor, target: TargetUser & { status: string; locked: boolean; mfaEnabled: boolean }) {
  const manage = canManageUser(actor, target);
  const self = actor.userId === target.id;
  return {
    update: manage,
    resetPassword: manage,
    unlock: manage && target.locked,
    disable: manage && target.status === 'active',
    enable: manage && target.status === 'disabled',
    resetMfa: manage && target.mfaEnabled,
    assignRoles: !self && hasPermission(actor, 'role:assign') && isPerson(actor) && inScope(actor.scope, target.orgPath),
    viewContact: manage || self,
  };
}

export function roleAbilities(actor: Actor, role: RoleFacts) {
  const write = canWriteRole(actor, role);
  return { update: write, delete: write, assign: hasPermission(actor, 'role:assign') && isPerson(actor) && (actor.adminKinds.has('security') || (role.adminKind === null && isSubset(role.permissions, actor.permissions))) };
}

/** Personal data in responses: `z***@example.com`, `138****5678`. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

export function maskPhone(phone: string): string {
  if (phone.length <= 4) return '****';
  if (phone.length < 8) return `${'*'.repeat(phone.length - 2)}${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export interface PasswordRules {
  passwordMinLength: number;
  passwordMinClasses: number;
}

export const PASSWORD_MAX_LENGTH = 128;

/** Character classes: lower case, upper case, digits, other characters. */
export function passwordClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

export interface PasswordIssue {
  rule: 'too_short' | 'too_long' | 'too_few_classes' | 'contains_username' | 'reused';
  message: string;
  params: Record<string, number | string>;
}

/** The password policy rules that need no history (history is checked against stored hashes by the service). */
export function checkPasswordRules(policy: PasswordRules, password: string, username: string): PasswordIssue[] {
  const issues: PasswordIssue[] = [];
  const length = [...password].length;
  if (length < policy.passwordMinLength) {
    issues.push({ rule: 'too_short', message: `The password must have at least ${policy.passwordMinLength} characters`, params: { minLength: policy.passwordMinLength, length } });
  }
  if (length > PASSWORD_MAX_LENGTH) issues.push({ rule: 'too_long', message: `The password may have at most ${PASSWORD_MAX_LENGTH} characters`, params: { maxLength: PASSWORD_MAX_LENGTH } });
  const classes = passwordClasses(password);
  if (classes < policy.passwordMinClasses) {
    issues.push({
      rule: 'too_few_classes',
      message: `The password must mix at least ${policy.passwordMinClasses} of: lower case, upper case, digits, other characters`,
      params: { minClasses: policy.passwordMinClasses, classes },
    });
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    issues.push({ rule: 'contains_username', message: 'The password must not contain the user name', params: {} });
  }
  return issues;
}

export type { AdminKind };
