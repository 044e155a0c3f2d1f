import { z } from 'zod';

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const dateParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'a calendar date (no 2 月 30 日)');
const amountText = z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'an amount in 元 with at most two decimals');

export const BILL_STATUSES = ['draft', 'provider_confirmed', 'unit_confirmed', 'locked'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const lineParamsSchema = z.strictObject({ id: z.uuid(), lineId: z.uuid() });

export const meterBodySchema = z.strictObject({ day: dateParam });
export const meterResultSchema = z.object({ day: z.string(), resources: z.number(), usageRows: z.number(), unmappedRows: z.number(), durationMs: z.number() });
export type MeterResult = z.infer<typeof meterResultSchema>;

export const runBodySchema = z.strictObject({ month: monthParam });
export const runIssueSchema = z.object({
  code: z.string(),
  unitName: z.string(),
  providerName: z.string(),
  systemNo: z.string().nullable(),
  itemCode: z.string().nullable(),
  resourceDays: z.number(),
  message: z.string(),
});
export const runResultSchema = z.object({
  month: z.string(),
  bills: z.number(),
  skipped: z.number(),
  lines: z.number(),
  priceMissingLines: z.number(),
  unmappedUsageRows: z.number(),
  unownedUsageRows: z.number(),
  total: z.string(),
  issues: z.array(runIssueSchema),
  durationMs: z.number(),
});
export type RunResult = z.infer<typeof runResultSchema>;

export const billListQuerySchema = z.strictObject({
  month: monthParam.optional(),
  unitOrgId: z.uuid().optional(),
  providerOrgId: z.uuid().optional(),
  status: z.enum(BILL_STATUSES).optional(),
});
export type BillListQuery = z.infer<typeof billListQuerySchema>;

export const billSchema = z.object({
  id: z.string(),
  month: z.string(),
  unit: z.object({ id: z.string(), name: z.string() }),
  provider: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(BILL_STATUSES),
  total: z.string(),
  totalUppercase: z.string(),
  priceMissingCount: z.number(),
  openDisputes: z.number(),
  computedAt: z.string(),
  providerConfirmedAt: z.string().nullable(),
  unitConfirmedAt: z.string().nullable(),
  lockedAt: z.string().nullable(),
});
export type Bill = z.infer<typeof billSchema>;
export const billListSchema = z.object({ items: z.array(billSchema), total: z.string() });

export const billLineSchema = z.object({
  id: z.string(),
  lineType: z.enum(['usage', 'adjustment']),
  nodeId: z.string().nullable(),
  systemId: z.string().nullable(),
  systemNo: z.string().nullable(),
  systemName: z.string().nullable(),
  itemCode: z.string().nullable(),
  itemName: z.string().nullable(),
  itemKind: z.string().nullable(),
  billingUnit: z.string().nullable(),
  priceListId: z.string().nullable(),
  priceListVersion: z.number().nullable(),
  unitPrice: z.string().nullable(),
  billingPeriod: z.string().nullable(),
  quantityDays: z.string().nullable(),
  /** quantityDays / days in month: the month's average quantity in the billing unit. */
  averageQuantity: z.string().nullable(),
  resourceDays: z.number().nullable(),
  amount: z.string().nullable(),
  priceStatus: z.enum(['ok', 'price_missing', 'period_unsupported']),
  reason: z.string().nullable(),
});
export type BillLine = z.infer<typeof billLineSchema>;

export const disputeSchema = z.object({
  id: z.string(),
  comment: z.string(),
  status: z.enum(['open', 'resolved']),
  authorOrgId: z.string().nullable(),
  createdAt: z.string(),
  resolution: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  attachments: z.array(z.object({ id: z.string(), fileName: z.string(), sm3: z.string(), sizeBytes: z.number() })),
});

export const billDetailSchema = billSchema.extend({
  daysInMonth: z.number(),
  lines: z.array(billLineSchema),
  disputes: z.array(disputeSchema),
  abilities: z.object({ confirm: z.boolean(), dispute: z.boolean(), lock: z.boolean(), resolve: z.boolean(), recompute: z.boolean(), adjust: z.boolean() }),
});
export type BillDetail = z.infer<typeof billDetailSchema>;

export const usageQuerySchema = z.strictObject({
  page: z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number).optional(),
});
export const usageRowSchema = z.object({
  day: z.string(),
  resourceId: z.string(),
  resourceName: z.string().nullable(),
  naturalKey: z.string().nullable(),
  resourceKind: z.string(),
  sourceKey: z.string(),
  sourceQuantity: z.string(),
  quantity: z.string(),
  billingUnit: z.string().nullable(),
  unitPrice: z.string().nullable(),
  priceListVersion: z.number().nullable(),
  /** quantity × unit price / days in month, unrounded (6 decimals): what the day adds to the line. */
  dayAmount: z.string().nullable(),
});
export const usageListSchema = z.object({ line: billLineSchema, daysInMonth: z.number(), items: z.array(usageRowSchema), total: z.number(), page: z.number(), pageSize: z.number() });

export const disputeBodySchema = z.strictObject({
  comment: z.string().trim().min(1).max(2000),
  attachments: z
    .array(z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().max(7_000_000) }))
    .max(5)
    .optional(),
});
export const resolveBodySchema = z.strictObject({ resolution: z.string().trim().min(1).max(2000) });
export const disputeParamsSchema = z.strictObject({ id: z.uuid(), disputeId: z.uuid() });
export const attachmentParamsSchema = z.strictObject({ id: z.uuid(), attachmentId: z.uuid() });

export const adjustmentBodySchema = z.strictObject({
  lockedBillId: z.uuid(),
  amount: amountText,
  reason: z.string().trim().min(1).max(500),
  systemNo: z.string().min(1).max(50).optional(),
  itemCode: z.string().min(1).max(20).optional(),
});
export const adjustmentResultSchema = z.object({ id: z.string(), targetMonth: z.string(), amount: z.string() });

export const overviewQuerySchema = z.strictObject({
  from: monthParam.optional(),
  to: monthParam.optional(),
  groupBy: z.enum(['node', 'provider', 'unit', 'system', 'item', 'month']).optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;
export const overviewSchema = z.object({
  groupBy: z.string(),
  months: z.array(z.string()),
  rows: z.array(z.object({ key: z.string(), label: z.string(), amounts: z.array(z.string()), total: z.string() })),
  totals: z.array(z.string()),
  total: z.string(),
});
export type Overview = z.infer<typeof overviewSchema>;

export const reconciliationSchema = z.object({
  billId: z.string(),
  month: z.string(),
  hostsBilled: z.number(),
  hostsMonitored: z.number(),
  differences: z.array(
    z.object({
      type: z.enum(['spec_mismatch', 'spec_missing', 'no_monitoring']),
      resourceId: z.string(),
      cloudHostId: z.string(),
      name: z.string(),
      field: z.string().nullable(),
      billed: z.string().nullable(),
      reported: z.string().nullable(),
      amount: z.string().nullable(),
      message: z.string(),
    }),
  ),
  total: z.string(),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;
