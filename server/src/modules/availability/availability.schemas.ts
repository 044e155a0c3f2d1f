import { z } from 'zod';

const uuid = z.uuid();
export const stateSchema = z.enum(['up', 'down', 'unknown', 'maintenance']);
export const kindSchema = z.enum(['icmp', 'tcp', 'http', 'dns']);
export const originSchema = z.enum(['manual', 'inventory_host', 'inventory_ip', 'system_url', 'demo']);
const named = z.object({ id: z.string(), name: z.string().nullable() }).nullable();
const isoDate = z.iso.datetime({ offset: true });
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const idParamsSchema = z.strictObject({ id: z.uuid() });

export const boardQuerySchema = z.strictObject({
  state: stateSchema.optional(),
  kind: kindSchema.optional(),
  origin: originSchema.optional(),
  providerId: uuid.optional(),
  unitId: uuid.optional(),
  systemId: uuid.optional(),
  enabled: bool.optional(),
  keyword: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});

export const probeSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: kindSchema,
  target: z.string(),
  port: z.number().int().nullable(),
  config: z.record(z.string(), z.unknown()),
  intervalSeconds: z.number().int(),
  timeoutMs: z.number().int(),
  retries: z.number().int(),
  origin: originSchema,
  resourceId: z.string().nullable(),
  system: named,
  unit: named,
  provider: named,
  nodeId: z.string().nullable(),
  unreachableNote: z.string().nullable(),
  enabled: z.boolean(),
  state: stateSchema,
  stateSince: z.string(),
  lastCheckedAt: z.string().nullable(),
  lastRttMs: z.number().nullable(),
  lastDetail: z.string().nullable(),
  tlsExpiresAt: z.string().nullable(),
  nextRunAt: z.string(),
});

export const boardSchema = z.object({
  items: z.array(probeSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object({ up: z.number().int(), down: z.number().int(), unknown: z.number().int(), maintenance: z.number().int() }),
});

export const outageSchema = z.object({
  id: z.string(),
  probeId: z.string(),
  probeName: z.string(),
  target: z.string(),
  system: named,
  provider: named,
  unit: named,
  startedAt: z.string(),
  confirmedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().int(),
  causeNote: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  ticketId: z.string().nullable(),
  simulated: z.boolean(),
});
export const outageListSchema = z.object({ items: z.array(outageSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const outageListQuerySchema = z.strictObject({
  open: bool.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  systemId: uuid.optional(),
  providerId: uuid.optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export const acknowledgeSchema = z.strictObject({ causeNote: z.string().trim().min(1).max(2000).nullish() });

export const probeDetailSchema = probeSchema.extend({
  results: z.array(z.object({ slot: z.string(), checkedAt: z.string(), attempt: z.number().int(), ok: z.boolean(), rttMs: z.number().nullable(), lossPct: z.number().nullable(), httpStatus: z.number().int().nullable(), detail: z.string().nullable(), worker: z.string().nullable() })),
  intervals: z.array(z.object({ state: stateSchema, startedAt: z.string(), endedAt: z.string().nullable(), simulated: z.boolean() })),
  outages: z.array(outageSchema),
  figures: z.object({ from: z.string(), to: z.string(), upSeconds: z.number().int(), downSeconds: z.number().int(), unknownSeconds: z.number().int(), maintenanceSeconds: z.number().int(), availability: z.string().nullable() }),
  abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export const detailQuerySchema = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });

const httpConfig = z.strictObject({
  expectStatus: z.array(z.number().int().min(100).max(599)).max(20).optional(),
  keyword: z.string().min(1).max(200).optional(),
  keywordAbsent: z.boolean().optional(),
  followRedirects: z.boolean().optional(),
  maxRedirects: z.number().int().min(0).max(10).optional(),
  maxBodyBytes: z.number().int().min(1024).max(10_485_760).optional(),
  allowUntrustedTls: z.boolean().optional(),
  tlsMinDays: z.number().int().min(0).max(365).optional(),
  recordType: z.enum(['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS']).optional(),
  expected: z.string().min(1).max(255).optional(),
  server: z.string().min(1).max(100).optional(),
});

export const newProbeSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: kindSchema,
  target: z.string().trim().min(1).max(500),
  port: z.number().int().min(1).max(65535).nullish(),
  config: httpConfig.optional(),
  intervalSeconds: z.number().int().min(10).max(86400).optional(),
  timeoutMs: z.number().int().min(100).max(60000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
  systemId: uuid.nullish(),
  enabled: z.boolean().optional(),
});
export const probePatchSchema = newProbeSchema.omit({ kind: true, systemId: true }).partial();

export const objectiveSchema = z.object({
  id: z.string(),
  scope: z.enum(['system', 'unit', 'provider', 'service']),
  scopeId: z.string(),
  scopeName: z.string(),
  providerOrgId: z.string().nullable(),
  unitOrgId: z.string().nullable(),
  targetPercent: z.string(),
  period: z.enum(['month', 'quarter', 'year']),
  schedule: z.enum(['24x7', 'working']),
  maxInterruptionMinutes: z.number().int().nullable(),
  maxYearlyFaultMinutes: z.number().int().nullable(),
  excluded: z.string().nullable(),
  source: z.string().nullable(),
  probeOrigins: z.array(z.enum(['manual', 'inventory_host', 'inventory_ip', 'system_url', 'demo'])).nullable(),
});
export const newObjectiveSchema = z.strictObject({
  scope: z.enum(['system', 'unit', 'provider', 'service']),
  /** A system's, unit's or provider's id; for 'service' the catalog item's code (服务目录编码, e.g. "1001"). */
  scopeId: z.string().trim().min(1).max(64),
  targetPercent: z.string().regex(/^\d{1,2}(\.\d{1,3})?$/, 'a percentage below 100, e.g. "99.9"'),
  period: z.enum(['month', 'quarter', 'year']).optional(),
  schedule: z.enum(['24x7', 'working']).optional(),
  maxInterruptionMinutes: z.number().int().min(1).max(525600).nullish(),
  maxYearlyFaultMinutes: z.number().int().min(1).max(525600).nullish(),
  excluded: z.string().max(500).nullish(),
  source: z.string().max(200).nullish(),
});

export const maintenanceSchema = z.object({ id: z.string(), title: z.string(), startsAt: z.string(), endsAt: z.string(), probeId: z.string().nullable(), systemId: z.string().nullable(), nodeId: z.string().nullable(), providerOrgId: z.string().nullable() });
export const newMaintenanceSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  startsAt: isoDate,
  endsAt: isoDate,
  probeId: uuid.nullish(),
  systemId: uuid.nullish(),
  nodeId: uuid.nullish(),
  providerOrgId: uuid.nullish(),
});

export const monthQuerySchema = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM') });
export const complianceSchema = z.object({
  objectiveId: z.string(),
  scope: z.enum(['system', 'unit', 'provider', 'service']),
  scopeName: z.string(),
  providerOrgId: z.string().nullable(),
  systemId: z.string().nullable(),
  unitOrgId: z.string().nullable(),
  systemName: z.string().nullable(),
  providerName: z.string().nullable(),
  unitName: z.string().nullable(),
  period: z.enum(['month', 'quarter', 'year']),
  schedule: z.enum(['24x7', 'working']),
  targetPercent: z.string(),
  availabilityPercent: z.number().nullable(),
  availabilityText: z.string().nullable(),
  measuredSeconds: z.number().int(),
  downSeconds: z.number().int(),
  unknownSeconds: z.number().int(),
  maintenanceSeconds: z.number().int(),
  longestOutageSeconds: z.number().int(),
  interruptions: z.number().int(),
  met: z.boolean().nullable(),
  maxInterruptionMinutes: z.number().int().nullable(),
  maxYearlyFaultMinutes: z.number().int().nullable(),
  periodDownSeconds: z.number().int(),
  budgetLeftMinutes: z.number().int().nullable(),
  burnWarning: z.boolean(),
  reasons: z.array(z.string()),
  probes: z.number().int(),
});
