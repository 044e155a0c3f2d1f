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

// ---- security events, checks and penetration tests (SecurityOversightService) ----------------------------------------

export const eventGradeSchema = z.enum(['I', 'II', 'III', 'IV']).describe('GB/Z 20986: I 特别重大, II 重大, III 较大, IV 一般');
export const eventCategorySchema = z.enum(['malware', 'attack', 'data', 'content', 'device', 'disaster', 'other']);
export const eventStatusSchema = z.enum(['open', 'handling', 'closed']);
export const checkKindSchema = z.enum(['vuln_scan', 'pentest', 'cloud_basic', 'compliance', 'vuln_mgmt', 'routine']);
const dateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

export const newEventSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  grade: eventGradeSchema,
  category: eventCategorySchema,
  occurredAt: z.iso.datetime({ offset: true }),
  providerId: uuid.nullish(),
  nodeId: uuid.nullish(),
  unitId: uuid.nullish(),
  systemIds: z.array(uuid).max(50).optional(),
  description: z.string().max(4000).nullish(),
});
export const eventListQuerySchema = z.strictObject({
  status: eventStatusSchema.optional(),
  grade: eventGradeSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export const eventSchema = z.object({
  id: z.string(), eventNo: z.string(), title: z.string(), grade: eventGradeSchema, category: eventCategorySchema, status: eventStatusSchema, source: z.enum(['manual', 'attack_threshold']),
  occurredAt: z.string(), detectedAt: z.string(), reportedAt: z.string().nullable(), providerId: z.string().nullable(), providerName: z.string().nullable(), nodeId: z.string().nullable(),
  unitId: z.string().nullable(), unitName: z.string().nullable(), systemIds: z.array(z.string()), description: z.string().nullable(), tracingNote: z.string().nullable(),
  handlingReport: z.string().nullable(), closedAt: z.string().nullable(), ticketId: z.string().nullable(),
});
export const eventDetailSchema = eventSchema.extend({
  entries: z.array(z.object({ at: z.string(), kind: z.string(), text: z.string(), documentId: z.string().nullable(), actor: z.string().nullable() })),
  abilities: z.object({ note: z.boolean(), close: z.boolean() }),
});
export const eventListSchema = z.object({ items: z.array(eventSchema), total: z.number(), page: z.number(), pageSize: z.number() });
export const eventEntrySchema = z.strictObject({ kind: z.enum(['note', 'tracing', 'evidence']), text: z.string().trim().min(1).max(8000), documentId: uuid.nullish() });
export const closeEventSchema = z.strictObject({ handlingReport: z.string().trim().min(1).max(8000) });
export const eventStatisticsSchema = z.object({
  total: z.number(), open: z.number(), byGrade: z.object({ I: z.number(), II: z.number(), III: z.number(), IV: z.number() }),
  byCategory: z.array(z.object({ category: eventCategorySchema, count: z.number() })),
});

export const newCheckSchema = z.strictObject({ kind: checkKindSchema, title: z.string().trim().min(1).max(200), plannedDate: dateSchema, providerIds: z.array(uuid).min(1).max(50) });
export const recordCheckSchema = z.strictObject({ doneDate: dateSchema, resultSummary: z.string().trim().min(1).max(8000), findingsCount: z.number().int().min(0).max(1_000_000), reportDocumentId: uuid.nullish() });
export const checkSchema = z.object({
  id: z.string(), kind: checkKindSchema, title: z.string(), plannedDate: z.string(), status: z.enum(['planned', 'done', 'cancelled']), doneDate: z.string().nullable(),
  providerIds: z.array(z.string()), resultSummary: z.string().nullable(), findingsCount: z.number().nullable(), reportDocumentId: z.string().nullable(), overdue: z.boolean(),
});
export const yearQuerySchema = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100), kind: checkKindSchema.optional() });
export const checkCountersSchema = z.object({
  year: z.number(),
  scans: z.object({ done: z.number(), required: z.number(), monthsWithout: z.array(z.string()) }),
  pentests: z.object({ done: z.number(), required: z.number(), quartersWithout: z.array(z.number()) }),
  byKind: z.array(z.object({ kind: checkKindSchema, planned: z.number(), done: z.number() })),
  providers: z.array(z.object({ providerId: z.string(), scanMonths: z.number(), pentests: z.number() })),
  nextDue: z.array(z.object({ kind: checkKindSchema, title: z.string(), plannedDate: z.string() })),
});

// ---- patch compliance (PatchComplianceService) -------------------------------------------------------------------------

export const patchStatusSchema = z.enum(['on_time', 'late', 'missing', 'pending', 'unknown']);
export const patchComplianceSchema = z.object({
  providerId: z.string(), providerName: z.string().nullable(), hosts: z.number(), patches: z.number(), onTime: z.number(), late: z.number(), missing: z.number(), pending: z.number(), unknown: z.number(),
  complianceRate: z.string().nullable().describe('on time / (on time + late + missing), 4 decimals; null when nothing fell due'),
});
export const patchListQuerySchema = z.strictObject({
  status: patchStatusSchema.optional(),
  providerId: uuid.optional(),
  keyword: z.string().min(1).max(100).optional(),
  windowDays: z.coerce.number().int().min(1).max(365).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export const patchListSchema = z.object({
  items: z.array(z.object({
    id: z.string(), providerId: z.string(), providerName: z.string().nullable(), cloudHostId: z.string(), resourceId: z.string().nullable(), systemName: z.string().nullable(), unitName: z.string().nullable(),
    patchName: z.string(), patchType: z.string().nullable(), releasedText: z.string().nullable(), releasedOn: z.string().nullable(), installedText: z.string().nullable(), installedOn: z.string().nullable(),
    status: patchStatusSchema, daysOverdue: z.number(), lastReportedAt: z.string(),
  })),
  total: z.number(), page: z.number(), pageSize: z.number(),
});

// ---- posture ----------------------------------------------------------------------------------------------------------

const postureSummarySchema = z.object({
  month: z.string(), attacks: z.number(), attacksPrevMonth: z.number(), topAttackedSystems: z.array(z.object({ systemId: z.string().nullable(), name: z.string(), count: z.number() })),
  openFindings: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }), overdueRectifications: z.number(), events: z.number(),
  scansDone: z.number(), scansRequired: z.number(), pentestsDone: z.number(), pentestsRequired: z.number(),
});
export const postureReportSchema = z.object({
  month: z.string(), previousMonth: z.string(), current: postureSummarySchema, previous: postureSummarySchema, events: eventStatisticsSchema,
  openByProvider: z.array(z.object({ providerId: z.string(), providerName: z.string().nullable(), days0to7: z.number(), days8to30: z.number(), days31to90: z.number(), over90: z.number(), overdue: z.number() })),
});

const valueCount = z.object({ value: z.string(), count: z.number() });
export const deviceLogStatisticsSchema = z.object({
  month: z.string(), total: z.number(), previousMonthTotal: z.number(), daily: z.array(z.object({ day: z.string(), count: z.number() })),
  byAlarm: z.array(valueCount), bySource: z.array(valueCount), byDevice: z.array(valueCount), byLevel: z.array(valueCount),
  byTarget: z.array(valueCount.extend({ hostName: z.string().nullable(), systemName: z.string().nullable() })),
});

// ---- security warnings (SecurityWarningService) ---------------------------------------------------------------------

export const warningMonitorTypeSchema = z.enum(['vulnerability', 'patch', 'other']).describe('监测类型: 漏洞发布, 补丁发布, other as pushed');
export const noticeStateSchema = z.enum(['notified', 'overdue', 'replied']);
export const warningOutcomeSchema = z.enum(['handled', 'not_affected']).describe('已处置 / 不受影响');
export const warningListQuerySchema = z.strictObject({
  monitorType: warningMonitorTypeSchema.optional(),
  matched: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  keyword: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export const warningSchema = z.object({
  id: z.string(), monitorType: warningMonitorTypeSchema, monitorTypeText: z.string().nullable(), content: z.string(), notifiedRelatedUnits: z.boolean().nullable(), monitoredAt: z.string().nullable(),
  monitoredText: z.string().nullable(), monitoredBy: z.string().nullable(), receivedAt: z.string(), matchedAt: z.string().nullable(), hosts: z.number(), notices: z.number(), replied: z.number(), overdue: z.number(),
});
export const warningListSchema = z.object({ items: z.array(warningSchema), total: z.number(), page: z.number(), pageSize: z.number() });
export const noticeListQuerySchema = z.strictObject({
  state: noticeStateSchema.optional(),
  outcome: warningOutcomeSchema.optional(),
  monitorType: warningMonitorTypeSchema.optional(),
  providerId: uuid.optional(),
  keyword: z.string().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export const warningNoticeSchema = z.object({
  id: z.string(), warningId: z.string(), monitorType: warningMonitorTypeSchema, content: z.string(), monitoredAt: z.string().nullable(), monitoredText: z.string().nullable(), providerId: z.string(),
  providerName: z.string().nullable(), notifiedAt: z.string(), deadline: z.string(), state: noticeStateSchema, outcome: warningOutcomeSchema.nullable(), replyNote: z.string().nullable(),
  repliedAt: z.string().nullable(), evidenceName: z.string().nullable(), evidenceSize: z.number().nullable(), evidenceSm3: z.string().nullable(), hosts: z.number(),
  remindedAt: z.string().nullable(), overdueNotifiedAt: z.string().nullable(), escalatedAt: z.string().nullable(),
});
export const warningNoticeDetailSchema = warningNoticeSchema.extend({
  matchedHosts: z.array(z.object({
    resourceId: z.string(), cloudHostId: z.string(), ip: z.string().nullable(), providerId: z.string(), unitId: z.string().nullable(), unitName: z.string().nullable(), systemId: z.string().nullable(),
    systemName: z.string().nullable(), basis: z.enum(['ip', 'host_id', 'cve', 'patch', 'software']), matchedValue: z.string(),
  })),
  abilities: z.object({ reply: z.boolean() }),
});
export const noticeListSchema = z.object({ items: z.array(warningNoticeSchema), total: z.number(), page: z.number(), pageSize: z.number() });
export const warningReplySchema = z.strictObject({
  outcome: warningOutcomeSchema,
  note: z.string().max(2000),
  evidence: z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().max(7_200_000) }).nullish(),
});
