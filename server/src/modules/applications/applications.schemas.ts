import { z } from 'zod';

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const unitParamsSchema = z.strictObject({ unitId: z.uuid() });

const quantitySchema = z.string().trim().regex(/^\d{1,15}(\.\d{1,4})?$/, 'a quantity in the item’s billing unit written as text, at most 4 decimals, e.g. "16"');
const deltaSchema = z.string().trim().regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'a signed change of quantity written as text, e.g. "8" or "-4"');
const amountSchema = z.string().trim().regex(/^\d{1,14}(\.\d{1,2})?$/, 'an amount in 元 written as text with at most 2 decimals');

export const APPLICATION_KINDS = ['onboarding', 'change', 'exit'] as const;
export const CHANGE_TYPES = ['expand', 'shrink', 'add_service', 'stop_service'] as const;
export const EXIT_HANDLING = ['migrate', 'destroy', 'archive'] as const;
export const APPLICATION_STATUSES = ['draft', 'in_approval', 'returned', 'rejected', 'terminated', 'fulfilling', 'delivered', 'accepted'] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const applicationLineInputSchema = z.strictObject({
  /** Catalog item code (目录编号). */
  itemCode: z.string().trim().min(1).max(20),
  /** Quantity in the item's billing unit: for a change, the total after it. */
  quantity: quantitySchema,
  /** Change only: the signed change of quantity (扩容 positive, 缩容 negative). */
  delta: deltaSchema.nullable().optional(),
  /** Service months for per-month and per-year items (default 12). */
  months: z.number().int().min(1).max(120).nullable().optional(),
});
export type ApplicationLineInput = z.infer<typeof applicationLineInputSchema>;

export const applicationInputSchema = z.strictObject({
  systemId: z.uuid(),
  kind: z.enum(APPLICATION_KINDS),
  changeType: z.enum(CHANGE_TYPES).nullable().optional(),
  /** Exit only: 迁出 migrate / 销毁 destroy / 归档 archive. */
  exitDataHandling: z.enum(EXIT_HANDLING).nullable().optional(),
  exitDate: z.iso.date().nullable().optional(),
  title: z.string().trim().min(1).max(200),
  reason: z.string().max(2000).nullable().optional(),
  lines: z.array(applicationLineInputSchema).max(500),
});
export type ApplicationInput = z.infer<typeof applicationInputSchema>;

export const fromEstimateSchema = z.strictObject({
  estimateId: z.uuid(),
  systemId: z.uuid(),
  kind: z.enum(['onboarding', 'change']).optional(),
  changeType: z.enum(CHANGE_TYPES).nullable().optional(),
  title: z.string().trim().min(1).max(200).optional(),
  reason: z.string().max(2000).nullable().optional(),
});
export type FromEstimateInput = z.infer<typeof fromEstimateSchema>;

export const listQuerySchema = z.strictObject({
  mine: z.enum(['true', 'false']).optional(),
  kind: z.enum(APPLICATION_KINDS).optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  unitId: z.uuid().optional(),
  providerId: z.uuid().optional(),
  /** Created on or after / before (YYYY-MM-DD, Asia/Shanghai). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().max(100).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

const hostSchema = z.strictObject({
  hostName: z.string().trim().min(1).max(100),
  ip: z.string().trim().max(100).nullable().optional(),
  size: z.string().trim().max(200).nullable().optional(),
});

export const deliverSchema = z.strictObject({
  lines: z
    .array(z.strictObject({ lineNo: z.number().int().min(1), hosts: z.array(hostSchema).max(500).default([]), note: z.string().max(1000).nullable().optional() }))
    .max(500)
    .default([]),
  note: z.string().max(2000).nullable().optional(),
  /** Reference to data pushed through the data interface (batch id …) instead of listing the hosts here. */
  pushedRef: z.string().trim().max(200).nullable().optional(),
});
export type DeliverInput = z.infer<typeof deliverSchema>;

export const rejectDeliverySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const submitSchema = z.strictObject({ comment: z.string().max(2000).nullable().optional() });

export const quotaInputSchema = z.strictObject({
  maxMonthlyAmount: amountSchema.nullable(),
  itemCaps: z.record(z.string().regex(/^[0-9A-Za-z_-]{1,20}$/), quantitySchema),
});
export type QuotaInput = z.infer<typeof quotaInputSchema>;
export const quotaSchema = z.object({
  unitId: z.uuid(),
  maxMonthlyAmount: z.string().nullable(),
  itemCaps: z.record(z.string(), z.string()),
  /** What the unit's applications in approval, fulfilment and accepted already take. */
  usedMonthlyAmount: z.string(),
  usedItems: z.record(z.string(), z.string()),
  updatedAt: z.date().nullable(),
});
export type Quota = z.infer<typeof quotaSchema>;

export const lineSchema = z.object({
  lineNo: z.number().int(),
  itemCode: z.string(),
  itemText: z.string(),
  category: z.string().nullable(),
  billingUnitText: z.string(),
  billingPeriod: z.string(),
  quantity: z.string(),
  delta: z.string().nullable(),
  months: z.number().int().nullable(),
  unitPrice: z.string(),
  monthlyAmount: z.string().nullable(),
  amount: z.string(),
  delivery: z.object({ hosts: z.array(z.object({ hostName: z.string(), ip: z.string().nullable().optional(), size: z.string().nullable().optional() })), note: z.string().nullable().optional() }).nullable(),
  acceptedAt: z.date().nullable(),
});
export type ApplicationLine = z.infer<typeof lineSchema>;

export const workOrderSchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  appNo: z.string().optional(),
  title: z.string().optional(),
  unitName: z.string().optional(),
  providerName: z.string().optional(),
  unitId: z.uuid(),
  providerOrgId: z.uuid(),
  kind: z.enum(['initial_resources', 'resource_adjustment', 'exit']),
  deadline: z.record(z.string(), z.number()),
  keyPeriod: z.boolean(),
  status: z.enum(['open', 'delivered', 'accepted']),
  openedAt: z.date(),
  dueAt: z.date(),
  deliveredAt: z.date().nullable(),
  deliveryNote: z.string().nullable(),
  pushedRef: z.string().nullable(),
  acceptedAt: z.date().nullable(),
  rejections: z.number().int(),
  lastRejectionReason: z.string().nullable(),
  /** Past its due time without delivery (or delivered late). */
  overdue: z.boolean(),
  /** Working time left until the due time in ms (negative when overdue; null once delivered), on the deadline's schedule. */
  remainingMs: z.number().nullable(),
});
export type WorkOrder = z.infer<typeof workOrderSchema>;

export const applicationSchema = z.object({
  id: z.uuid(),
  appNo: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  systemId: z.uuid(),
  systemName: z.string(),
  providerOrgId: z.uuid(),
  providerName: z.string(),
  nodeId: z.uuid(),
  kind: z.enum(APPLICATION_KINDS),
  changeType: z.enum(CHANGE_TYPES).nullable(),
  exitDataHandling: z.enum(EXIT_HANDLING).nullable(),
  exitDate: z.string().nullable(),
  title: z.string(),
  reason: z.string().nullable(),
  estimateId: z.string().nullable(),
  priceListId: z.string().nullable(),
  protectionLevel: z.number().int().nullable(),
  monthlyTotal: z.string(),
  total: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  workflowInstanceId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  submittedAt: z.date().nullable(),
  approvedAt: z.date().nullable(),
  acceptedAt: z.date().nullable(),
});
export type Application = z.infer<typeof applicationSchema>;

export const timelineEntrySchema = z.object({
  at: z.date(),
  source: z.enum(['application', 'workflow']),
  action: z.string(),
  stepKey: z.string().nullable(),
  actorName: z.string().nullable(),
  comment: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const applicationDetailSchema = applicationSchema.extend({
  lines: z.array(lineSchema),
  workOrder: workOrderSchema.nullable(),
  timeline: z.array(timelineEntrySchema),
  /** Lines of the estimate that could not be copied (not mapped to a catalog item, or not convertible). */
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })).optional(),
  abilities: z.object({ edit: z.boolean(), submit: z.boolean(), resubmit: z.boolean(), delete: z.boolean(), deliver: z.boolean(), accept: z.boolean(), rejectDelivery: z.boolean() }),
});
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

export const workOrderQuerySchema = z.strictObject({
  status: z.enum(['open', 'delivered', 'accepted']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

const statRow = z.object({ count: z.number().int(), completed: z.number().int(), onTime: z.number().int(), onTimeRate: z.string().nullable(), medianHours: z.string().nullable() });
export const statsSchema = z.object({
  byProvider: z.array(statRow.extend({ providerOrgId: z.string(), providerName: z.string(), accepted: z.number().int() })),
  bySteps: z.array(statRow.extend({ stepKey: z.string(), stepName: z.string(), definitionCode: z.string() })),
  byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
});
export type Stats = z.infer<typeof statsSchema>;
export const statsQuerySchema = z.strictObject({ from: z.iso.date().optional(), to: z.iso.date().optional() });
