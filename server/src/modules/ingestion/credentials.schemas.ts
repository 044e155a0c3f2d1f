import { z } from 'zod';
import { pageParam, pageSizeParam } from '../organisations/index.js';

export const credentialStatusSchema = z.enum(['active', 'expired', 'revoked']);

export const ingestCredentialSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  provider: z.object({ id: z.uuid(), name: z.string() }),
  tokenPrefix: z.string().describe('first characters of the token, to recognise it'),
  nodes: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() })).nullable().describe('null: every node of the provider'),
  createdBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  status: credentialStatusSchema,
});
export type IngestCredential = z.infer<typeof ingestCredentialSchema>;

export const credentialListQuerySchema = z.strictObject({
  providerOrgId: z.uuid().optional(),
  status: credentialStatusSchema.optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type CredentialListQuery = z.infer<typeof credentialListQuerySchema>;

export const newCredentialSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  providerOrgId: z.uuid().optional().describe('default: the caller’s own organisation'),
  nodeIds: z.array(z.uuid()).min(1).max(200).nullable().optional().describe('limit to these cloud nodes of the provider; omit for all'),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type NewCredential = z.infer<typeof newCredentialSchema>;

export const issuedCredentialSchema = z.object({
  id: z.uuid(),
  token: z.string().describe('shown once: store it now'),
  signingSecret: z.string().describe('shown once: store it now; it never travels with a request'),
  credential: ingestCredentialSchema,
});

export const credentialPageSchema = z.object({ items: z.array(ingestCredentialSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const idParamsSchema = z.strictObject({ id: z.uuid() });
