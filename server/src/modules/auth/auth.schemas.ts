import { z } from 'zod';
import { emailSchema, permissionListSchema, phoneSchema } from '../access/index.js';
import { orgKindSchema, pageParam, pageSizeParam } from '../organisations/index.js';

export const meSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  org: z.object({ id: z.uuid(), name: z.string(), kind: orgKindSchema }),
  roles: z.array(z.object({ id: z.uuid(), code: z.string().nullable(), name: z.string() })),
  permissions: z.array(z.string()),
  adminKinds: z.array(z.enum(['system', 'security', 'audit'])),
  authSource: z.enum(['local', 'ldap']),
  mfaEnabled: z.boolean(),
  mfaRequired: z.boolean(),
  passwordExpiresAt: z.string().nullable(),
  idleTimeoutMinutes: z.number().int(),
});
export type Me = z.infer<typeof meSchema>;

export const loginBodySchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

const challengeSchema = z.string().min(20).max(100);

export const loginPasswordBodySchema = z.strictObject({ challenge: challengeSchema, newPassword: z.string().min(1).max(256) });
export const loginMfaBodySchema = z.strictObject({ challenge: challengeSchema, code: z.string().regex(/^[0-9]{6}$/, 'six digits') });

export const loginResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signed_in'), me: meSchema }),
  z.object({ status: z.literal('password_change_required'), challenge: z.string(), reason: z.enum(['initial', 'expired', 'reset']) }),
  z.object({ status: z.literal('mfa_required'), challenge: z.string() }),
  z.object({ status: z.literal('mfa_enrolment_required'), challenge: z.string(), secret: z.string(), otpauthUri: z.string() }),
]);
export type LoginResult = z.infer<typeof loginResultSchema>;

export const mePatchSchema = z
  .strictObject({
    displayName: z.string().trim().min(1).max(50).optional(),
    email: emailSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change' });

export const changePasswordBodySchema = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });
export const totpCodeBodySchema = z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, 'six digits') });
export const mfaSetupSchema = z.object({ secret: z.string(), otpauthUri: z.string() });

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  org: z.object({ id: z.uuid(), name: z.string() }),
  tokenPrefix: z.string(),
  permissions: z.array(z.string()),
  createdBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokenListQuerySchema = z.strictObject({
  orgId: z.uuid().optional(),
  status: z.enum(['active', 'expired', 'revoked']).optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type ApiTokenListQuery = z.infer<typeof apiTokenListQuerySchema>;

export const newApiTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  orgId: z.uuid().optional(),
  permissions: permissionListSchema.refine((a) => a.length > 0, { message: 'give at least one permission' }),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

export const createdApiTokenSchema = z.object({ token: z.string().describe('shown once: store it now'), apiToken: apiTokenSchema });

export const idParamsSchema = z.strictObject({ id: z.uuid() });
