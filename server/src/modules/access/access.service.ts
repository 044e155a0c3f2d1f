import crypto from 'node:crypto';
import type { AdminKind, RequestContext } from '../../platform/context.js';
import { hasPermission } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, forbidden, notFound, type FieldIssue } from '../../platform/errors.js';
import { hashPassword, verifyPassword, type FieldCipher } from '../../platform/crypto/index.js';
import { recordAudit } from '../audit/index.js';
import type { OrganisationService, OrgSummary } from '../organisations/index.js';
import { PERMISSIONS } from './access.catalog.js';
import * as repo from './access.repository.js';
import {
  canGrantRole,
  canManageUser,
  canWriteRole,
  checkPasswordRules,
  checkRoleCombination,
  maskEmail,
  maskPhone,
  permissionsDefinable,
  requiresMfa,
  roleAbilities,
  roleFitsOrganisation,
  userAbilities,
  type RoleFacts,
  type TargetUser,
} from './access.policy.js';
import type {
  NewRole,
  NewUser,
  Role,
  RoleDetail,
  RoleListQuery,
  RolePatch,
  SecurityPolicy,
  SecurityPolicyInput,
  User,
  UserDetail,
  UserListQuery,
  UserPatch,
} from './access.schemas.js';

export type SecurityPolicyValues = SecurityPolicyInput;

/** Everything the auth module needs to know about a user to sign them in and build their Actor. */
export interface UserCredentials {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgKind: string;
  orgName: string;
  orgPath: string[];
  authSource: 'local' | 'ldap';
  status: 'active' | 'disabled';
  passwordHash: string | null;
  passwordChangedAt: Date | null;
  mustChangePassword: boolean;
  mustChangeReason: 'initial' | 'reset' | null;
  totpSecretEnc: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  roles: Array<{ id: string; code: string | null; name: string; adminKind: AdminKind | null; requiresMfa: boolean; permissions: string[] }>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function mapUnique(e: unknown): never {
  const pgErr = e as { code?: string; constraint?: string };
  if (pgErr.code === '23505' && pgErr.constraint === 'users_username_key') {
    throw new AppError('conflict', 'users.username_taken', 'This user name is already taken', { field: 'username' });
  }
  if (pgErr.code === '23505' && pgErr.constraint === 'roles_org_name_key') {
    throw new AppError('conflict', 'roles.name_taken', 'A role with this name already exists in this organisation', { field: 'name' });
  }
  throw e;
}

/** A random initial password that satisfies any policy: 16 characters from all four classes, no look-alikes. */
export function generateInitialPassword(length = 16): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '@#%+=?!'];
  const pick = (s: string) => s[crypto.randomInt(s.length)]!;
  const chars = sets.map(pick);
  const all = sets.join('');
  while (chars.length < Math.max(length, 16)) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function policyToValues(p: repo.PolicyRow): SecurityPolicyValues {
  return {
    passwordMinLength: p.passwordMinLength,
    passwordMinClasses: p.passwordMinClasses,
    passwordExpiryDays: p.passwordExpiryDays,
    passwordHistoryCount: p.passwordHistoryCount,
    lockoutThreshold: p.lockoutThreshold,
    lockoutMinutes: p.lockoutMinutes,
    idleTimeoutMinutes: p.idleTimeoutMinutes,
    sessionMaxHours: p.sessionMaxHours,
    auditRetentionDays: p.auditRetentionDays,
  };
}

function roleFacts(r: repo.RoleRow): RoleFacts {
  return { id: r.id, code: r.code, builtin: r.builtin, adminKind: r.adminKind, orgKinds: r.orgKinds, orgPath: r.orgPath, permissions: r.permissions };
}

/**
 * Users (用户), roles (角色), the permission catalog and the security policy (安全策略), with hierarchical
 * administration and three-admin separation (三员分立). Owns the users, roles and security_policy tables; the auth
 * module reaches credentials only through the methods marked "for auth".
 */
export class AccessService {
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher,
    private readonly organisations: OrganisationService,
  ) {}

  // ---- reading users ----

  private decrypt(value: string | null): string | null {
    if (!value) return null;
    try {
      return this.cipher.decrypt(value);
    } catch {
      return null;
    }
  }

  private target(row: repo.UserRow, roles: repo.UserRoleRow[]): TargetUser {
    return {
      id: row.id,
      orgPath: row.orgPath,
      permissions: new Set(roles.flatMap((r) => r.permissions)),
      adminKinds: new Set(roles.map((r) => r.adminKind).filter((k): k is string => k !== null)),
    };
  }

  private toUser(ctx: RequestContext, row: repo.UserRow, roles: repo.UserRoleRow[]): User {
    const t = this.target(row, roles);
    const reveal = ctx.actor.userId === row.id || canManageUser(ctx.actor, t);
    const email = this.decrypt(row.emailEnc);
    const phone = this.decrypt(row.phoneEnc);
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      email: email === null ? null : reveal ? email : maskEmail(email),
      phone: phone === null ? null : reveal ? phone : maskPhone(phone),
      contactMasked: !reveal && (email !== null || phone !== null),
      org: { id: row.orgId, name: row.orgName, kind: row.orgKind },
      authSource: row.authSource as User['authSource'],
      status: row.status as User['status'],
      locked: row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now(),
      lockedUntil: row.lockedUntil && row.lockedUntil.getTime() > Date.now() ? row.lockedUntil.toISOString() : null,
      mustChangePassword: row.mustChangePassword,
      mfaEnabled: row.totpEnabled,
      roles: roles.map((r) => ({ id: r.id, code: r.code, name: r.name })),
      lastLoginAt: iso(row.lastLoginAt),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async detail(trx: Tx, ctx: RequestContext, id: string): Promise<UserDetail> {
    const row = await repo.findUser(trx, ctx, id);
    if (!row) throw notFound('users', id);
    const roles = (await repo.rolesOfUsers(trx, [id])).get(id) ?? [];
    const user = this.toUser(ctx, row, roles);
    const t = this.target(row, roles);
    return {
      ...user,
      permissions: [...t.permissions].sort(),
      adminKinds: [...t.adminKinds].sort(),
      lastLoginIp: row.lastLoginIp,
      abilities: userAbilities(ctx.actor, { ...t, status: row.status, locked: user.locked, mfaEnabled: row.totpEnabled }),
    };
  }

  async listUsers(ctx: RequestContext, q: UserListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listUsers(trx, ctx, { ...q, page, pageSize });
      const roles = await repo.rolesOfUsers(trx, rows.map((r) => r.id));
      return { items: rows.map((r) => this.toUser(ctx, r, roles.get(r.id) ?? [])), total, page, pageSize };
    });
  }

  async getUser(ctx: RequestContext, id: string): Promise<UserDetail> {
    return withTx(this.db, ctx, (trx) => this.detail(trx, ctx, id));
  }

  // ---- administering users ----

  private async loadManaged(trx: Tx, ctx: RequestContext, id: string) {
    const row = await repo.findUser(trx, ctx, id);
    if (!row) throw notFound('users', id);
    const roles = (await repo.rolesOfUsers(trx, [id])).get(id) ?? [];
    if (ctx.actor.userId === id) throw forbidden('access.cannot_manage_self', 'Use your own profile page to change your own account');
    if (!canManageUser(ctx.actor, this.target(row, roles))) {
      throw forbidden('access.cannot_manage_user', 'You may not administer this account: it is outside your organisation or holds rights you do not have');
    }
    return { row, roles };
  }

  private snapshot(row: repo.UserRow, roles?: repo.UserRoleRow[]) {
    const email = this.decrypt(row.emailEnc);
    const phone = this.decrypt(row.phoneEnc);
    return {
      username: row.username,
      displayName: row.displayName,
      orgId: row.orgId,
      status: row.status,
      authSource: row.authSource,
      email: email ? maskEmail(email) : null,
      phone: phone ? maskPhone(phone) : null,
      mfaEnabled: row.totpEnabled,
      ...(roles ? { roles: roles.map((r) => r.code ?? r.id) } : {}),
    };
  }

  async createUser(ctx: RequestContext, input: NewUser): Promise<{ user: UserDetail; initialPassword: string | null }> {
    return withTx(this.db, ctx, async (trx) => {
      const authSource = input.authSource ?? 'local';
      const initialPassword = authSource === 'local' ? generateInitialPassword() : null;
      const id = await this.createUserIn(trx, ctx, {
        orgId: input.orgId,
        username: input.username,
        displayName: input.displayName,
        email: input.email ?? null,
        phone: input.phone ?? null,
        authSource,
        password: initialPassword,
        mustChangePassword: authSource === 'local',
        roleIds: input.roleIds ?? [],
      });
      return { user: await this.detail(trx, ctx, id), initialPassword };
    });
  }

  /**
   * Creates an account inside the caller's transaction (API, CLI, demo loader, test fixtures). `password` null means
   * no local password (LDAP). Roles go through the same assignment rules as PUT /users/:id/roles.
   */
  async createUserIn(
    trx: Tx,
    ctx: RequestContext,
    input: {
      orgId: string;
      username: string;
      displayName: string;
      email?: string | null;
      phone?: string | null;
      authSource?: 'local' | 'ldap';
      password: string | null;
      mustChangePassword: boolean;
      roleIds?: readonly string[];
      roleCodes?: readonly string[];
    },
  ): Promise<string> {
    const org = await this.organisations.lookup(trx, ctx, input.orgId);
    if (!org) throw new AppError('not_found', 'organisations.not_found', 'The organisation does not exist', { field: 'orgId', id: input.orgId });
    const { actor } = ctx;
    if (actor.kind !== 'system') {
      if (!hasPermission(actor, 'user:write') || actor.kind !== 'user') throw forbidden('access.cannot_manage_user', 'You may not create accounts');
    }
    if (org.status !== 'active') throw new AppError('conflict', 'organisations.disabled', 'The organisation is disabled', { field: 'orgId' });
    if (await repo.usernameExists(trx, input.username)) {
      throw new AppError('conflict', 'users.username_taken', 'This user name is already taken', { field: 'username' });
    }
    const hash = input.password === null ? null : await hashPassword(input.password);
    const id = await repo
      .insertUser(trx, {
        orgId: org.id,
        username: input.username,
        displayName: input.displayName,
        emailEnc: input.email ? this.cipher.encrypt(input.email) : null,
        phoneEnc: input.phone ? this.cipher.encrypt(input.phone) : null,
        authSource: input.authSource ?? 'local',
        passwordHash: hash,
        mustChangePassword: input.mustChangePassword && hash !== null,
        mustChangeReason: input.mustChangePassword && hash !== null ? 'initial' : null,
        passwordChangedAt: hash ? new Date() : null,
        createdBy: actor.userId,
      })
      .catch(mapUnique);
    if (hash) {
      const policy = await repo.getPolicy(trx);
      await repo.addPasswordHistory(trx, id, hash, policy.passwordHistoryCount);
    }
    const created = (await repo.findUser(trx, ctx, id))!;
    await recordAudit(trx, ctx, { action: 'users.create', targetType: 'user', targetId: id, after: this.snapshot(created) });
    const roleIds = [...(input.roleIds ?? [])];
    for (const code of input.roleCodes ?? []) {
      const role = await repo.findRoleByCode(trx, ctx, code);
      if (!role) throw new AppError('not_found', 'roles.not_found', `No role with code ${code}`, { code });
      roleIds.push(role.id);
    }
    if (roleIds.length) await this.assignRolesIn(trx, ctx, id, roleIds);
    return id;
  }

  async updateUser(ctx: RequestContext, id: string, patch: UserPatch): Promise<UserDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const { row } = await this.loadManaged(trx, ctx, id);
      await repo.updateUser(trx, ctx, id, {
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        ...(patch.email !== undefined ? { emailEnc: patch.email ? this.cipher.encrypt(patch.email) : null } : {}),
        ...(patch.phone !== undefined ? { phoneEnc: patch.phone ? this.cipher.encrypt(patch.phone) : null } : {}),
        ...(patch.authSource !== undefined ? { authSource: patch.authSource } : {}),
      });
      const after = (await repo.findUser(trx, ctx, id))!;
      await recordAudit(trx, ctx, { action: 'users.update', targetType: 'user', targetId: id, before: this.snapshot(row), after: this.snapshot(after) });
      return this.detail(trx, ctx, id);
    });
  }

  async resetPassword(ctx: RequestContext, id: string): Promise<{ initialPassword: string }> {
    return withTx(this.db, ctx, async (trx) => {
      const { row } = await this.loadManaged(trx, ctx, id);
      if (row.authSource !== 'local') {
        throw new AppError('conflict', 'users.ldap_password', 'This account signs in through LDAP; its password is managed there');
      }
      const initialPassword = generateInitialPassword();
      const hash = await hashPassword(initialPassword);
      await repo.updateUser(trx, ctx, id, {
        passwordHash: hash,
        passwordChangedAt: new Date(),
        mustChangePassword: true,
        mustChangeReason: 'reset',
        failedAttempts: 0,
        lockedUntil: null,
      });
      await recordAudit(trx, ctx, { action: 'users.reset_password', targetType: 'user', targetId: id, details: { username: row.username } });
      return { initialPassword };
    });
  }

  private async simpleChange(ctx: RequestContext, id: string, action: string, change: (row: repo.UserRow) => repo.UserUpdate): Promise<UserDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const { row } = await this.loadManaged(trx, ctx, id);
      await repo.updateUser(trx, ctx, id, change(row));
      const after = (await repo.findUser(trx, ctx, id))!;
      await recordAudit(trx, ctx, { action, targetType: 'user', targetId: id, before: this.snapshot(row), after: this.snapshot(after) });
      return this.detail(trx, ctx, id);
    });
  }

  unlockUser(ctx: RequestContext, id: string) {
    return this.simpleChange(ctx, id, 'users.unlock', () => ({ failedAttempts: 0, lockedUntil: null }));
  }

  disableUser(ctx: RequestContext, id: string) {
    return this.simpleChange(ctx, id, 'users.disable', () => ({ status: 'disabled' }));
  }

  enableUser(ctx: RequestContext, id: string) {
    return this.simpleChange(ctx, id, 'users.enable', () => ({ status: 'active', failedAttempts: 0, lockedUntil: null }));
  }

  resetMfa(ctx: RequestContext, id: string) {
    return this.simpleChange(ctx, id, 'users.reset_mfa', () => ({ totpEnabled: false, totpSecretEnc: null, totpLastStep: null }));
  }

  async setUserRoles(ctx: RequestContext, id: string, roleIds: readonly string[]): Promise<UserDetail> {
    return withTx(this.db, ctx, async (trx) => {
      await this.assignRolesIn(trx, ctx, id, roleIds);
      return this.detail(trx, ctx, id);
    });
  }

  /** Replaces a user's roles, checking every granted or withdrawn role and the combination (三员分立). */
  private async assignRolesIn(trx: Tx, ctx: RequestContext, userId: string, roleIds: readonly string[]): Promise<void> {
    const { actor } = ctx;
    const row = await repo.findUser(trx, ctx, userId);
    if (!row) throw notFound('users', userId);
    if (actor.userId === userId) throw forbidden('access.cannot_change_own_roles', 'Nobody changes their own roles');
    if (actor.kind !== 'system' && (actor.kind !== 'user' || !hasPermission(actor, 'role:assign'))) {
      throw forbidden('auth.permission_denied', 'Assigning roles needs the permission role:assign', { required: ['role:assign'] });
    }
    const current = (await repo.rolesOfUsers(trx, [userId])).get(userId) ?? [];
    const wanted = await repo.findRoles(trx, ctx, roleIds);
    const missing = roleIds.filter((rid) => !wanted.some((w) => w.id === rid));
    if (missing.length) throw new AppError('not_found', 'roles.not_found', 'Some roles do not exist', { field: 'roleIds', ids: missing });
    const target = this.target(row, current);
    const currentIds = new Set(current.map((r) => r.id));
    const wantedIds = new Set(roleIds);
    const added = wanted.filter((r) => !currentIds.has(r.id));
    const removedIds = current.filter((r) => !wantedIds.has(r.id)).map((r) => r.id);
    // Withdrawn roles are checked like granted ones: nobody takes away rights they could not give.
    const removed = await repo.findRoles(trx, ctx, removedIds);
    if (removed.length !== removedIds.length) {
      throw forbidden('access.role_not_assignable', 'The user holds a role you cannot see; you cannot withdraw it');
    }
    for (const role of [...added, ...removed]) {
      if (!canGrantRole(actor, roleFacts(role), target)) {
        throw forbidden('access.role_not_assignable', `You may not grant or withdraw the role ${role.name}: it holds rights you do not have`, { roleId: role.id, code: role.code });
      }
    }
    for (const role of added) {
      if (!roleFitsOrganisation(roleFacts(role), { kind: row.orgKind, path: row.orgPath })) {
        throw new AppError('validation', 'access.role_wrong_organisation', `The role ${role.name} cannot be held by a member of ${row.orgName}`, {
          issues: [{ field: 'body.roleIds', rule: 'role_fits_organisation', message: `${role.name} is for ${role.orgKinds.join(', ') || 'its own organisation'}` }],
          roleId: role.id,
        });
      }
    }
    const breach = checkRoleCombination(wanted);
    if (breach) throw new AppError('conflict', breach.code, breach.message, breach.details);
    if (added.length === 0 && removed.length === 0) return;
    await repo.setUserRoles(trx, userId, roleIds, actor.userId);
    await recordAudit(trx, ctx, {
      action: 'users.set_roles',
      targetType: 'user',
      targetId: userId,
      before: { roles: current.map((r) => r.code ?? r.name) },
      after: { roles: wanted.map((r) => r.code ?? r.name) },
      details: { username: row.username, granted: added.map((r) => r.code ?? r.name), withdrawn: removed.map((r) => r.code ?? r.name) },
    });
  }

  // ---- roles ----

  private toRole(ctx: RequestContext, r: repo.RoleRow): Role {
    const facts = roleFacts(r);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.nameEn,
      description: r.description,
      builtin: r.builtin,
      adminKind: r.adminKind as Role['adminKind'],
      requiresMfa: r.requiresMfa,
      orgKinds: r.orgKinds,
      org: r.orgId && r.orgName ? { id: r.orgId, name: r.orgName } : null,
      permissions: r.permissions,
      userCount: Number(r.userCount),
      assignable: roleAbilities(ctx.actor, facts).assign,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  private async roleDetail(trx: Tx, ctx: RequestContext, id: string): Promise<RoleDetail> {
    const r = await repo.findRole(trx, ctx, id);
    if (!r) throw notFound('roles', id);
    return { ...this.toRole(ctx, r), abilities: roleAbilities(ctx.actor, roleFacts(r)) };
  }

  async listRoles(ctx: RequestContext, q: RoleListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return withTx(this.db, ctx, async (trx) => {
      const { rows, total } = await repo.listRoles(trx, ctx, { ...q, page, pageSize });
      return { items: rows.map((r) => this.toRole(ctx, r)), total, page, pageSize };
    });
  }

  async getRole(ctx: RequestContext, id: string): Promise<RoleDetail> {
    return withTx(this.db, ctx, (trx) => this.roleDetail(trx, ctx, id));
  }

  async createRole(ctx: RequestContext, input: NewRole): Promise<RoleDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const orgId = input.orgId ?? ctx.actor.orgId;
      if (!orgId) throw new AppError('validation', 'roles.org_required', 'Name the organisation the role belongs to', { issues: [{ field: 'body.orgId', rule: 'required', message: 'required' }] });
      const org = await this.organisations.lookup(trx, ctx, orgId);
      if (!org) throw new AppError('not_found', 'organisations.not_found', 'The organisation does not exist', { field: 'orgId', id: orgId });
      const breach = permissionsDefinable(ctx.actor, input.permissions);
      if (breach) throw forbidden(breach.code, breach.message, breach.details);
      const id = await repo
        .insertRole(
          trx,
          {
            orgId: org.id,
            name: input.name,
            nameEn: input.nameEn ?? null,
            description: input.description ?? null,
            requiresMfa: requiresMfa(input.permissions, input.requiresMfa),
            createdBy: ctx.actor.userId,
          },
          [...input.permissions].sort(),
        )
        .catch(mapUnique);
      const detail = await this.roleDetail(trx, ctx, id);
      await recordAudit(trx, ctx, { action: 'roles.create', targetType: 'role', targetId: id, after: { name: detail.name, orgId: org.id, permissions: detail.permissions, requiresMfa: detail.requiresMfa } });
      return detail;
    });
  }

  private async loadWritableRole(trx: Tx, ctx: RequestContext, id: string) {
    const r = await repo.findRole(trx, ctx, id);
    if (!r) throw notFound('roles', id);
    if (r.builtin) throw forbidden('roles.builtin_readonly', 'Built-in roles cannot be changed or deleted');
    if (!canWriteRole(ctx.actor, roleFacts(r))) throw forbidden('roles.cannot_write', 'You may not change this role: it is outside your organisation or holds rights you do not have');
    return r;
  }

  async updateRole(ctx: RequestContext, id: string, patch: RolePatch): Promise<RoleDetail> {
    return withTx(this.db, ctx, async (trx) => {
      const before = await this.loadWritableRole(trx, ctx, id);
      const permissions = patch.permissions ?? before.permissions;
      if (patch.permissions) {
        const breach = permissionsDefinable(ctx.actor, patch.permissions);
        if (breach) throw forbidden(breach.code, breach.message, breach.details);
      }
      await repo
        .updateRole(trx, id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          requiresMfa: requiresMfa(permissions, patch.requiresMfa ?? before.requiresMfa),
        })
        .catch(mapUnique);
      if (patch.permissions) await repo.setRolePermissions(trx, id, [...patch.permissions].sort());
      const after = await this.roleDetail(trx, ctx, id);
      await recordAudit(trx, ctx, {
        action: 'roles.update',
        targetType: 'role',
        targetId: id,
        before: { name: before.name, nameEn: before.nameEn, description: before.description, permissions: before.permissions, requiresMfa: before.requiresMfa },
        after: { name: after.name, nameEn: after.nameEn, description: after.description, permissions: after.permissions, requiresMfa: after.requiresMfa },
      });
      return after;
    });
  }

  async deleteRole(ctx: RequestContext, id: string): Promise<void> {
    await withTx(this.db, ctx, async (trx) => {
      const r = await this.loadWritableRole(trx, ctx, id);
      if (Number(r.userCount) > 0) {
        throw new AppError('conflict', 'roles.in_use', `The role is held by ${r.userCount} user(s); withdraw it first`, { userCount: Number(r.userCount) });
      }
      await repo.deleteRole(trx, id);
      await recordAudit(trx, ctx, { action: 'roles.delete', targetType: 'role', targetId: id, before: { name: r.name, orgId: r.orgId, permissions: r.permissions } });
    });
  }

  /** Finds a role by code (built-in roles have one), for the CLI and the demo loader. */
  async roleIdByCode(trx: Tx, ctx: RequestContext, code: string): Promise<string | undefined> {
    return (await repo.findRoleByCode(trx, ctx, code))?.id;
  }

  permissionCatalog() {
    return PERMISSIONS;
  }

  // ---- security policy ----

  private toPolicy(p: Awaited<ReturnType<typeof repo.getPolicy>>): SecurityPolicy {
    return {
      ...policyToValues(p),
      updatedAt: p.updatedAt.toISOString(),
      updatedBy: p.updatedBy && p.updatedByUsername ? { id: p.updatedBy, username: p.updatedByUsername } : null,
    };
  }

  async getSecurityPolicy(ctx: RequestContext): Promise<SecurityPolicy> {
    return withTx(this.db, ctx, async (trx) => this.toPolicy(await repo.getPolicy(trx)));
  }

  async putSecurityPolicy(ctx: RequestContext, input: SecurityPolicyInput): Promise<SecurityPolicy> {
    return withTx(this.db, ctx, async (trx) => {
      const before = policyToValues(await repo.getPolicy(trx));
      await repo.updatePolicy(trx, input, ctx.actor.userId);
      await recordAudit(trx, ctx, { action: 'security_policy.update', targetType: 'security_policy', targetId: '1', before, after: input });
      return this.toPolicy(await repo.getPolicy(trx));
    });
  }

  // ---- for auth: credentials, inside the caller's transaction ----

  /** The security policy values (for auth). */
  async policy(trx: Tx): Promise<SecurityPolicyValues> {
    return policyToValues(await repo.getPolicy(trx));
  }

  private async credentials(trx: Tx, ctx: RequestContext, row: repo.UserRow | undefined): Promise<UserCredentials | undefined> {
    if (!row) return undefined;
    const roles = (await repo.rolesOfUsers(trx, [row.id])).get(row.id) ?? [];
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      orgId: row.orgId,
      orgKind: row.orgKind,
      orgName: row.orgName,
      orgPath: row.orgPath,
      authSource: row.authSource as 'local',
      status: row.status as 'active',
      passwordHash: row.passwordHash,
      passwordChangedAt: row.passwordChangedAt,
      mustChangePassword: row.mustChangePassword,
      mustChangeReason: row.mustChangeReason as 'initial' | null,
      totpSecretEnc: row.totpSecretEnc,
      totpEnabled: row.totpEnabled,
      totpLastStep: row.totpLastStep === null ? null : Number(row.totpLastStep),
      failedAttempts: row.failedAttempts,
      lockedUntil: row.lockedUntil,
      emailEnc: row.emailEnc,
      phoneEnc: row.phoneEnc,
      roles: roles.map((r) => ({ ...r, adminKind: r.adminKind as AdminKind | null })),
    };
  }

  /** A user with roles, by user name (for auth; run under the system context at sign-in). */
  async credentialsByUsername(trx: Tx, ctx: RequestContext, username: string) {
    return this.credentials(trx, ctx, await repo.findUserByUsername(trx, ctx, username));
  }

  /** A user with roles, by id (for auth). */
  async credentialsById(trx: Tx, ctx: RequestContext, id: string) {
    return this.credentials(trx, ctx, await repo.findUser(trx, ctx, id));
  }

  /** Counts a failed sign-in and locks the account at the policy's threshold (for auth). */
  async recordSignInFailure(trx: Tx, userId: string, policy: SecurityPolicyValues): Promise<{ lockedUntil: Date | null; remaining: number }> {
    const r = await repo.countFailure(trx, userId, policy.lockoutThreshold, policy.lockoutMinutes);
    const locked = r.lockedUntil !== null && r.lockedUntil.getTime() > Date.now();
    return { lockedUntil: locked ? r.lockedUntil : null, remaining: locked ? 0 : policy.lockoutThreshold - r.failedAttempts };
  }

  async recordSignInSuccess(trx: Tx, ctx: RequestContext, userId: string, ip: string | null): Promise<void> {
    await repo.updateUser(trx, ctx, userId, { failedAttempts: 0, lockedUntil: null, lastLoginAt: new Date(), lastLoginIp: ip });
  }

  async resetFailures(trx: Tx, ctx: RequestContext, userId: string): Promise<void> {
    await repo.updateUser(trx, ctx, userId, { failedAttempts: 0 });
  }

  /**
   * Checks a new password against the policy (length, classes, user name, history including the current one).
   * Throws a validation error whose code names the first broken rule (`auth.password_too_short` …).
   */
  async checkNewPassword(trx: Tx, user: { id: string; username: string; passwordHash: string | null }, password: string, field = 'body.newPassword'): Promise<void> {
    const policy = await this.policy(trx);
    const issues = checkPasswordRules(policy, password, user.username);
    if (issues.length === 0 && policy.passwordHistoryCount > 0) {
      const history = await repo.passwordHistory(trx, user.id, policy.passwordHistoryCount);
      const candidates = user.passwordHash && !history.includes(user.passwordHash) ? [user.passwordHash, ...history] : history;
      for (const h of candidates) {
        if (await verifyPassword(password, h)) {
          issues.push({ rule: 'reused', message: `The password must differ from the last ${policy.passwordHistoryCount} passwords`, params: { historyCount: policy.passwordHistoryCount } });
          break;
        }
      }
    }
    if (issues.length) {
      const first = issues[0]!;
      const fieldIssues: FieldIssue[] = issues.map((i) => ({ field, rule: i.rule, message: i.message }));
      throw new AppError('validation', `auth.password_${first.rule}`, first.message, { issues: fieldIssues, rule: first.rule, ...first.params });
    }
  }

  /** Stores a new password chosen by the user (for auth): clears the forced change and records history. */
  async storePassword(trx: Tx, ctx: RequestContext, userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await repo.updateUser(trx, ctx, userId, { passwordHash: hash, passwordChangedAt: new Date(), mustChangePassword: false, mustChangeReason: null });
    const policy = await this.policy(trx);
    await repo.addPasswordHistory(trx, userId, hash, policy.passwordHistoryCount);
  }

  /** Sets or clears the TOTP second factor (for auth). */
  async setTotp(trx: Tx, ctx: RequestContext, userId: string, v: { secretEnc: string | null; enabled: boolean; lastStep: number | null }): Promise<void> {
    await repo.updateUser(trx, ctx, userId, { totpSecretEnc: v.secretEnc, totpEnabled: v.enabled, totpLastStep: v.lastStep === null ? null : String(v.lastStep) });
  }

  /** Records the last accepted TOTP step so a code is accepted once (for auth). */
  async setTotpLastStep(trx: Tx, ctx: RequestContext, userId: string, step: number): Promise<void> {
    await repo.updateUser(trx, ctx, userId, { totpLastStep: String(step) });
  }

  /** The user's own profile change (for auth's PATCH /me). */
  async updateOwnProfile(trx: Tx, ctx: RequestContext, userId: string, patch: { displayName?: string; email?: string | null; phone?: string | null }): Promise<void> {
    const before = await repo.findUser(trx, ctx, userId);
    if (!before) throw notFound('users', userId);
    await repo.updateUser(trx, ctx, userId, {
      ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
      ...(patch.email !== undefined ? { emailEnc: patch.email ? this.cipher.encrypt(patch.email) : null } : {}),
      ...(patch.phone !== undefined ? { phoneEnc: patch.phone ? this.cipher.encrypt(patch.phone) : null } : {}),
    });
    const after = (await repo.findUser(trx, ctx, userId))!;
    await recordAudit(trx, ctx, { action: 'auth.update_profile', targetType: 'user', targetId: userId, before: this.snapshot(before), after: this.snapshot(after) });
  }

  decryptField(value: string | null): string | null {
    return this.decrypt(value);
  }

  /** The organisation of a user (for auth's `me`). */
  lookupOrganisation(trx: Tx, ctx: RequestContext, id: string): Promise<OrgSummary | undefined> {
    return this.organisations.lookup(trx, ctx, id);
  }
}
