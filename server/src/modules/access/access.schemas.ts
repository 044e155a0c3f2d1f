import { z } from 'zod';
import { orgKindSchema, pageParam, pageSizeParam } from '../organisations/index.js';
import { PERMISSION_CODES } from './access.catalog.js';

export const permissionCodeSchema = z.enum(PERMISSION_CODES as [string, ...string[]]);
export const permissionListSchema = z
  .array(permissionCodeSchema)
  .max(PERMISSION_CODES.length)
  .refine((a) => new Set(a).size === a.length, { message: 'permissions must not repeat' });

export const usernameSchema = z.string().regex(/^[A-Za-z0-9_.@-]{3,64}$/, '3–64 letters, digits, _ . @ or -');
export const emailSchema = z.email().max(100);
export const phoneSchema = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a phone number: digits, spaces and -, optionally starting with +');
const displayName = z.string().trim().min(1).max(50);

export const orgRefSchema = z.object({ id: z.uuid(), name: z.string(), kind: orgKindSchema });
export const roleRefSchema = z.object({ id: z.uuid(), code: z.string().nullable(), name: z.string() });

export const userSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** True when email/phone are masked because the viewer may not administer this account. */
  contactMasked: z.boolean(),
  org: orgRefSchema,
  authSource: z.enum(['local', 'ldap']),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  mfaEnabled: z.boolean(),
  roles: z.array(roleRefSchema),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userAbilitiesSchema = z.object({
  update: z.boolean(),
  resetPassword: z.boolean(),
  unlock: z.boolean(),
  disable: z.boolean(),
  enable: z.boolean(),
  resetMfa: z.boolean(),
  assignRoles: z.boolean(),
  viewContact: z.boolean(),
});

export const userDetailSchema = userSchema.extend({
  permissions: z.array(z.string()),
  adminKinds: z.array(z.string()),
  lastLoginIp: z.string().nullable(),
  abilities: userAbilitiesSchema,
});
export type UserDetail = z.infer<typeof userDetailSchema>;

export const userListQuerySchema = z.strictObject({
  orgId: z.uuid().optional(),
  q: z.string().max(100).optional(),
  status: z.enum(['active', 'disabled', 'locked']).optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const newUserSchema = z.strictObject({
  orgId: z.uuid(),
  username: usernameSchema,
  displayName,
  email: emailSchema.nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  authSource: z.enum(['local', 'ldap']).optional(),
  roleIds: z.array(z.uuid()).max(20).optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const userPatchSchema = z
  .strictObject({
    displayName: displayName.optional(),
    email: emailSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
    authSource: z.enum(['local', 'ldap']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });
export type UserPatch = z.infer<typeof userPatchSchema>;

export const userRolesBodySchema = z.strictObject({
  roleIds: z
    .array(z.uuid())
    .max(20)
    .refine((a) => new Set(a).size === a.length, { message: 'roleIds must not repeat' }),
});

export const createdUserSchema = z.object({ user: userDetailSchema, initialPassword: z.string().nullable() });
export const initialPasswordSchema = z.object({ initialPassword: z.string() });

export const roleSchema = z.object({
  id: z.uuid(),
  code: z.string().nullable(),
  name: z.string(),
  nameEn: z.string().nullable(),
  description: z.string().nullable(),
  builtin: z.boolean(),
  adminKind: z.enum(['system', 'security', 'audit']).nullable(),
  requiresMfa: z.boolean(),
  orgKinds: z.array(z.string()),
  org: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  permissions: z.array(z.string()),
  userCount: z.number().int(),
  /** Whether the viewer may grant this role to others. */
  assignable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Role = z.infer<typeof roleSchema>;

export const roleDetailSchema = roleSchema.extend({
  abilities: z.object({ update: z.boolean(), delete: z.boolean(), assign: z.boolean() }),
});
export type RoleDetail = z.infer<typeof roleDetailSchema>;

export const roleListQuerySchema = z.strictObject({
  q: z.string().max(100).optional(),
  orgId: z.uuid().optional().describe('roles defined by this organisation'),
  usableIn: z.uuid().optional().describe('roles an account of this organisation can hold: built-in roles for its kind and custom roles of it or its ancestors'),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type RoleListQuery = z.infer<typeof roleListQuerySchema>;

export const newRoleSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().max(80).nullable().optional(),
  description: z.string().trim().max(300).nullable().optional(),
  orgId: z.uuid().optional(),
  permissions: permissionListSchema,
  /** Ask for TOTP even without administrative permissions (roles with them always require it). */
  requiresMfa: z.boolean().optional(),
});
export type NewRole = z.infer<typeof newRoleSchema>;

export const rolePatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(50).optional(),
    nameEn: z.string().trim().max(80).nullable().optional(),
    description: z.string().trim().max(300).nullable().optional(),
    permissions: permissionListSchema.optional(),
    requiresMfa: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });
export type RolePatch = z.infer<typeof rolePatchSchema>;

export const permissionInfoSchema = z.object({
  code: z.string(),
  group: z.string(),
  groupZh: z.string(),
  groupEn: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
});

export const securityPolicyBodySchema = z.strictObject({
  passwordMinLength: z.number().int().min(8).max(64),
  passwordMinClasses: z.number().int().min(1).max(4),
  passwordExpiryDays: z.number().int().min(0).max(3650).describe('0 = passwords never expire'),
  passwordHistoryCount: z.number().int().min(0).max(24),
  lockoutThreshold: z.number().int().min(3).max(20),
  lockoutMinutes: z.number().int().min(1).max(1440),
  idleTimeoutMinutes: z.number().int().min(5).max(120),
  sessionMaxHours: z.number().int().min(1).max(72),
  auditRetentionDays: z.number().int().min(180).max(3650).describe('at least 180 days (MLPS level 3)'),
});
export type SecurityPolicyInput = z.infer<typeof securityPolicyBodySchema>;
export const securityPolicySchema = securityPolicyBodySchema.extend({
  updatedAt: z.string(),
  updatedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const idParamsSchema = z.strictObject({ id: z.uuid() });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
