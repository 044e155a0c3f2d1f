import { z } from 'zod';

const uuid = z.uuid();
export const severitySchema = z.enum(['info', 'minor', 'major', 'critical']);
export const scopeKindSchema = z.enum(['all', 'host', 'system', 'unit', 'provider', 'node']);
export const rangeSchema = z.enum(['1h', '24h', '7d', '30d', '90d', '1y']);
export const idParamsSchema = z.strictObject({ id: uuid });
export const seriesParamsSchema = z.strictObject({ id: z.string().regex(/^\d{1,18}$/) });

export const seriesQuerySchema = z.strictObject({
  kind: z.enum(['host', 'system', 'env']).optional(),
  keyword: z.string().max(100).optional(),
  unitId: uuid.optional(),
  providerId: uuid.optional(),
  nodeId: uuid.optional(),
  systemId: uuid.optional(),
});

export const chartQuerySchema = z.strictObject({
  range: rangeSchema.default('24h'),
  metrics: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).optional(),
});

export const topQuerySchema = z.strictObject({
  metric: z.string().min(1).max(40),
  period: z.enum(['1h', '24h', '7d', '30d']).default('24h'),
  n: z.coerce.number().int().min(1).max(100).default(10),
  by: z.enum(['avg', 'p95']).default('avg'),
  unitId: uuid.optional(),
  providerId: uuid.optional(),
  nodeId: uuid.optional(),
  systemId: uuid.optional(),
});

export const alertListQuerySchema = z.strictObject({
  status: z.enum(['open', 'firing', 'acknowledged', 'resolved']).optional(),
  severity: severitySchema.optional(),
  providerId: uuid.optional(),
  unitId: uuid.optional(),
  nodeId: uuid.optional(),
  systemId: uuid.optional(),
  ruleId: uuid.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ackBodySchema = z.strictObject({ comment: z.string().trim().min(1).max(1000) });

export const ruleBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['threshold', 'no_data', 'forecast', 'rate']),
  metric: z.string().min(1).max(40),
  op: z.enum(['gt', 'lt']).default('gt'),
  threshold: z.number().finite().nullable().optional(),
  recovery: z.number().finite().nullable().optional(),
  windowMinutes: z.number().int().min(5).max(10080).default(15),
  horizonHours: z.number().int().min(1).max(2160).nullable().optional(),
  severity: severitySchema,
  scopeKind: scopeKindSchema,
  scopeId: uuid.nullable().optional(),
  keyPeriodOnly: z.boolean().default(false),
  escalateAfterMinutes: z.number().int().min(5).max(10080).nullable().optional(),
  enabled: z.boolean().default(true),
});

export const maintenanceBodySchema = z.strictObject({
  scopeKind: scopeKindSchema,
  scopeId: uuid.nullable().optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(500),
});

/** Objects a rule or maintenance window may be scoped to (the pickers): by kind, part of the name, or these ids. */
export const scopeObjectsQuerySchema = z.strictObject({
  kind: z.enum(['host', 'system', 'unit', 'provider', 'node']),
  keyword: z.string().max(100).optional(),
  ids: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}){0,99}$/i, 'Comma-separated UUIDs (at most 100)').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const capacityQuerySchema = z.strictObject({});

export const expansionResourceSchema = z.enum(['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb', 'bandwidthMbps']);
export const expansionBodySchema = z.strictObject({
  unitOrgId: uuid,
  providerOrgId: uuid.nullable().optional(),
  systemId: uuid.nullable().optional(),
  resourceKey: expansionResourceSchema,
  /** Decimal text in the resource's unit (cores, GB, Mbps), at most 2 decimals. */
  amount: z.string().max(20),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().trim().min(1).max(500),
});
export const expansionListQuerySchema = z.strictObject({
  unitId: uuid.optional(),
  providerId: uuid.optional(),
  state: z.enum(['planned', 'active', 'ended', 'cancelled']).optional(),
});
export const expansionAllowanceQuerySchema = z.strictObject({
  unitOrgId: uuid,
  providerOrgId: uuid.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
