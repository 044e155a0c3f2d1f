import { z } from 'zod';

export const severitySchema = z.enum(['critical', 'high', 'medium', 'low']);
export const statusSchema = z.enum(['open', 'notified', 'replied', 'fixed', 'accepted']);
const uuid = z.uuid();

export const findingListQuerySchema = z.strictObject({
  status: z.enum(['open', 'notified', 'replied', 'fixed', 'accepted', 'unfixed']).optional(),
  severity: severitySchema.optional(),
  providerId: uuid.optional(),
  unitId: uuid.optional(),
  systemId: uuid.optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  unmatched: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  keyword: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});

export const findingSchema = z.object({
  id: z.string(),
  hostRef: z.string(),
  ip: z.string().nullable(),
  port: z.string(),
  vulnId: z.string(),
  name: z.string(),
  vulnType: z.string().nullable(),
  cve: z.array(z.string()),
  severity: severitySchema,
  status: statusSchema,
  resourceId: z.string().nullable(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  nodeId: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  systemId: z.string().nullable(),
  systemName: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  deadline: z.string(),
  overdue: z.boolean(),
  notifiedAt: z.string().nullable(),
  reply: z.string().nullable(),
  repliedAt: z.string().nullable(),
  fixedAt: z.string().nullable(),
  reopenedCount: z.number(),
  acceptedReason: z.string().nullable(),
  acceptedUntil: z.string().nullable(),
  ticketId: z.string().nullable(),
});

export const findingDetailSchema = findingSchema.extend({
  description: z.string().nullable(),
  solution: z.string().nullable(),
  events: z.array(z.object({ at: z.string(), action: z.string(), scanId: z.string().nullable(), note: z.string().nullable(), actor: z.string().nullable() })),
  abilities: z.object({ notify: z.boolean(), reply: z.boolean(), verify: z.boolean(), accept: z.boolean() }),
});

export const findingListSchema = z.object({ items: z.array(findingSchema), total: z.number(), totalCapped: z.boolean().describe('true when more than `total` (10,000) match'), page: z.number(), pageSize: z.number() });

export const importQuerySchema = z.strictObject({
  format: z.enum(['openvas', 'nessus', 'xlsx', 'csv']),
  fileName: z.string().min(1).max(300),
  providerId: uuid.optional(),
  nodeId: uuid.optional(),
});

export const rowErrorSchema = z.object({ row: z.number(), field: z.string(), value: z.string().nullable(), rule: z.string(), message: z.string() });

export const scanResultSchema = z.object({
  scanId: z.string(),
  source: z.string(),
  findings: z.number(),
  newFindings: z.number(),
  closedFindings: z.number(),
  reopenedFindings: z.number(),
  unchanged: z.number(),
  unmatched: z.array(z.string()),
  rowErrors: z.array(rowErrorSchema),
});

export const scanSchema = z.object({
  id: z.string(),
  source: z.string(),
  fileName: z.string().nullable(),
  scannedAt: z.string(),
  findings: z.number(),
  newFindings: z.number(),
  closedFindings: z.number(),
  reopenedFindings: z.number(),
  unmatched: z.array(z.string()),
  rowErrors: z.number(),
  providerId: z.string().nullable(),
});

export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });
export const noteBodySchema = z.strictObject({ note: z.string().min(1).max(2000) });
export const optionalNoteBodySchema = z.strictObject({ note: z.string().min(1).max(2000).optional() });
export const acceptBodySchema = z.strictObject({ reason: z.string().min(2).max(2000), until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export const deadlineRuleSchema = z.strictObject({ severity: severitySchema, days: z.number().int().min(1).max(365), dayKind: z.enum(['natural', 'working']) });
export const monthQuerySchema = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), providerId: uuid.optional() });
export const handlingSchema = z.object({
  providerId: z.string(),
  dueInMonth: z.number(),
  fixedOnTime: z.number(),
  overdue: z.number(),
  onTimeRate: z.string().nullable(),
  openBySeverity: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
});

export const attackStatisticsSchema = z.object({
  month: z.string(),
  total: z.number(),
  previousMonthTotal: z.number(),
  byName: z.array(z.object({ name: z.string(), count: z.number() })),
  bySystem: z.array(z.object({ systemNo: z.string(), count: z.number() })),
  byHost: z.array(z.object({ cloudHostId: z.string(), count: z.number() })),
});
