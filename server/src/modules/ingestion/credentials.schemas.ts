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

// ---- trigger mode (触发器): major changes and alarms pushed by providers ----

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with a time zone, e.g. 2026-01-31T08:00:00+08:00' });
const pageParams = { page: pageParam.optional(), pageSize: pageSizeParam.optional() };

export const EVENT_KINDS = ['major_change', 'alarm'] as const;
export const EVENT_SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;

export const recordErrorSchema = z.object({
  index: z.number().int(),
  field: z.string().nullable(),
  value: z.string().nullable(),
  rule: z.string(),
  message: z.string(),
});

export const eventPushResultSchema = z.object({
  status: z.enum(['accepted', 'partial', 'rejected']),
  recordCount: z.number().int(),
  accepted: z.number().int().describe('new events stored'),
  duplicates: z.number().int().describe('events whose externalId was already stored (idempotent retry): not stored again'),
  rejected: z.number().int(),
  errors: z.array(recordErrorSchema),
  events: z.array(z.object({ index: z.number().int(), externalId: z.string(), id: z.uuid(), duplicate: z.boolean() })),
});
export type EventPushResult = z.infer<typeof eventPushResultSchema>;

export const eventPushQuerySchema = z.strictObject({
  node: z.string().min(1).max(30).describe('code of the cloud node the events concern'),
  mode: z.enum(['partial', 'atomic']).optional().describe('partial (default): store the valid events; atomic: all or nothing'),
});

export const providerEventSchema = z.object({
  id: z.uuid(),
  provider: z.object({ id: z.uuid(), name: z.string() }),
  node: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  externalId: z.string(),
  kind: z.enum(EVENT_KINDS),
  category: z.string(),
  severity: z.enum(EVENT_SEVERITIES),
  occurredAt: z.string(),
  title: z.string(),
  detail: z.string(),
  resources: z.array(z.object({ cloudHostId: z.string().optional(), systemId: z.string().optional() })),
  receivedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
  ackNote: z.string().nullable(),
});
export type ProviderEvent = z.infer<typeof providerEventSchema>;

export const eventFilterSchema = z.strictObject({
  providerOrgId: z.uuid().optional(),
  nodeId: z.uuid().optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  severity: z.enum(EVENT_SEVERITIES).optional(),
  acknowledged: z.enum(['true', 'false']).optional(),
  from: isoTime.optional().describe('events that occurred at or after this time'),
  to: isoTime.optional().describe('events that occurred before this time'),
  q: z.string().trim().min(1).max(100).optional().describe('keyword in title, category or externalId'),
});
export type EventFilter = z.infer<typeof eventFilterSchema>;
export const eventListQuerySchema = eventFilterSchema.extend(pageParams);
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

export const eventPageSchema = z.object({ items: z.array(providerEventSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const acknowledgeBodySchema = z.strictObject({ note: z.string().trim().max(500).nullable().optional() });

// ---- query-response mode (查询-响应): the provider's query endpoint and what the poller got from it ----

export const POLL_RESOURCES = ['platform-status', 'quotas', 'vm-states'] as const;
export type PollResource = (typeof POLL_RESOURCES)[number];

const baseUrlSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must be an http(s) URL without query or fragment, e.g. https://ops.example.cn/zhengyun')
  .transform((s) => s.replace(/\/+$/, ''));
const intervalSchema = z.number().int().min(1).max(1440);

export const queryEndpointSchema = z.object({
  id: z.uuid(),
  provider: z.object({ id: z.uuid(), name: z.string() }),
  node: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  baseUrl: z.string(),
  enabled: z.boolean(),
  intervalMinutes: z.number().int(),
  nextPollAt: z.string(),
  lastPolledAt: z.string().nullable(),
  lastResults: z.array(z.object({ resource: z.enum(POLL_RESOURCES), ok: z.boolean(), polledAt: z.string(), httpStatus: z.number().int().nullable(), error: z.string().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QueryEndpoint = z.infer<typeof queryEndpointSchema>;

export const newQueryEndpointSchema = z.strictObject({
  nodeId: z.uuid(),
  baseUrl: baseUrlSchema,
  intervalMinutes: intervalSchema.optional(),
  enabled: z.boolean().optional(),
});
export type NewQueryEndpoint = z.infer<typeof newQueryEndpointSchema>;

export const queryEndpointPatchSchema = z.strictObject({
  baseUrl: baseUrlSchema.optional(),
  intervalMinutes: intervalSchema.optional(),
  enabled: z.boolean().optional(),
});
export type QueryEndpointPatch = z.infer<typeof queryEndpointPatchSchema>;

export const createdQueryEndpointSchema = z.object({
  endpoint: queryEndpointSchema,
  signingSecret: z.string().describe('shown once: the provider’s endpoint verifies the platform’s requests with it'),
});

export const pollResultSchema = z.object({
  id: z.string(),
  endpointId: z.uuid(),
  provider: z.object({ id: z.uuid(), name: z.string() }),
  node: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  resource: z.enum(POLL_RESOURCES),
  polledAt: z.string(),
  ok: z.boolean(),
  httpStatus: z.number().int().nullable(),
  durationMs: z.number().int(),
  payload: z.unknown().nullable(),
  error: z.string().nullable(),
});
export type PollResult = z.infer<typeof pollResultSchema>;

export const pollResultListQuerySchema = z.strictObject({
  providerOrgId: z.uuid().optional(),
  nodeId: z.uuid().optional(),
  endpointId: z.uuid().optional(),
  resource: z.enum(POLL_RESOURCES).optional(),
  ok: z.enum(['true', 'false']).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  ...pageParams,
});
export type PollResultListQuery = z.infer<typeof pollResultListQuerySchema>;

export const pollResultPageSchema = z.object({ items: z.array(pollResultSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** Quantities in answers: a non-negative JSON number or a decimal string (kept as received). */
const quantity = z.union([z.number().finite().nonnegative(), z.string().regex(/^[0-9]{1,12}(\.[0-9]{1,4})?$/, 'must be a non-negative decimal')]);
const count = z.number().int().nonnegative();
const beijingTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be YYYY-MM-DD HH:mm:ss (Beijing time)');

/** GET {baseUrl}/platform-status: the cloud platform of the node as a whole. */
export const platformStatusAnswerSchema = z.strictObject({
  status: z.enum(['normal', 'degraded', 'fault', 'maintenance']),
  cpuTotal: count.describe('vCPU cores'),
  cpuAllocated: count,
  memoryTotalGb: quantity,
  memoryAllocatedGb: quantity,
  storageTotalGb: quantity,
  storageAllocatedGb: quantity,
  vmCount: count.optional(),
  message: z.string().max(500).optional(),
  updatedAt: beijingTime,
});

/** GET {baseUrl}/quotas: resources allotted to each information system on the node. */
export const quotasAnswerSchema = z
  .array(
    z.strictObject({
      systemId: z.string().min(1).max(100),
      systemName: z.string().max(200).optional(),
      cpuCores: count,
      memoryGb: quantity,
      storageGb: quantity,
      bandwidthMbps: quantity.optional(),
      publicIpCount: count.optional(),
    }),
  )
  .max(100_000);

/** GET {baseUrl}/vm-states: run status of every cloud host of the node (runStatus codes of the 码表). */
export const vmStatesAnswerSchema = z
  .array(
    z.strictObject({
      cloudHostId: z.string().min(1).max(100),
      runStatus: z.string().min(1).max(4),
      updatedAt: beijingTime,
    }),
  )
  .max(200_000);

// ---- code tables (码表) ----

export const codeValueSchema = z.object({
  code: z.string(),
  labelZh: z.string(),
  labelEn: z.string().nullable(),
  org: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable().describe('cloudProvider codes: the provider organisation'),
  active: z.boolean(),
  sortOrder: z.number().int(),
  updatedAt: z.string(),
});
export type CodeValue = z.infer<typeof codeValueSchema>;

export const codeTableSchema = z.object({
  name: z.string(),
  usedBy: z.array(z.object({ table: z.string(), tableCn: z.string(), field: z.string(), fieldCn: z.string() })),
  codeLength: z.object({ min: z.number().int(), max: z.number().int() }),
  values: z.array(codeValueSchema),
});
export type CodeTable = z.infer<typeof codeTableSchema>;

export const codeTableListSchema = z.object({ tables: z.array(codeTableSchema), abilities: z.object({ edit: z.boolean() }) });

export const codeParamsSchema = z.strictObject({
  table: z.string().regex(/^[a-zA-Z]{2,40}$/, 'must be the name of a code table'),
  code: z.string().min(1).max(4, 'codes are at most 4 characters'),
});

export const codeValueBodySchema = z.strictObject({
  labelZh: z.string().trim().min(1).max(50),
  labelEn: z.string().trim().max(100).nullable().optional(),
  orgId: z.uuid().nullable().optional().describe('required for cloudProvider codes: the provider organisation'),
  sortOrder: z.number().int().min(0).max(9999).optional(),
  active: z.boolean().optional(),
});
export type CodeValueBody = z.infer<typeof codeValueBodySchema>;
