import { z } from 'zod';

export const idParamsSchema = z.strictObject({ id: z.uuid() });
const amountSchema = z.string().regex(/^\d{1,14}(\.\d+)?$/, 'an amount in 元 written as text, e.g. "485254.06"');
const billingPeriodSchema = z.enum(['month', 'year', 'occurrence', 'message', 'certificate_year', 'one_off']);

export const estimateLineInputSchema = z.strictObject({
  /** A catalog item code, or … */
  itemCode: z.string().max(20).nullable().optional(),
  /** … the item as ordered (free text, mapped to the catalog by exact text, alias or subcategory). */
  itemText: z.string().max(500).nullable().optional(),
  category: z.string().max(100).nullable().optional(),
  subcategory: z.string().max(100).nullable().optional(),
  /** Quantity as text (`"8505"`, `"2.5"`): never a float. */
  quantity: z.string().min(1).max(30),
  /** The unit as the agency writes it (`GB`, `Mbps`, `核`, `1 IP（内网）`); empty = the item's billing unit. */
  unit: z.string().max(30).nullable().optional(),
  /** Service months (期限); null for one-off and per-message lines. */
  months: z.number().int().min(0).max(120).nullable().optional(),
});
export type EstimateLineInputBody = z.infer<typeof estimateLineInputSchema>;

export const estimateInputSchema = z.strictObject({
  /** The user unit the estimate belongs to; defaults to the caller's own unit. */
  unitId: z.uuid().optional(),
  title: z.string().min(1).max(200),
  /** Catalog version; defaults to the one in force today. */
  catalogVersionId: z.uuid().optional(),
  /** An approved price list; null or absent = the catalog's maximum prices. */
  priceListId: z.uuid().nullable().optional(),
  budget: amountSchema.nullable().optional(),
  ceiling: amountSchema.nullable().optional(),
  /** Payment milestones in percent (`["50","16.67","33.33"]`), adding up to 100. */
  milestonePercents: z.array(z.string().regex(/^\d{1,3}(\.\d{1,4})?$/)).max(12).optional(),
  lines: z.array(estimateLineInputSchema).min(1).max(1000),
  /** Save the valid lines and report the others in `skipped` (default: any invalid line rejects the whole estimate). */
  validRowsOnly: z.boolean().optional(),
});
export type EstimateInput = z.infer<typeof estimateInputSchema>;

const pricedLineSchema = z.object({
  index: z.number().int(),
  input: z.object({
    itemCode: z.string().nullable().optional(),
    itemText: z.string().nullable().optional(),
    category: z.string().nullable().optional(),
    subcategory: z.string().nullable().optional(),
    quantity: z.string(),
    unit: z.string().nullable().optional(),
    months: z.number().nullable().optional(),
  }),
  mapping: z.object({ itemCode: z.string(), itemText: z.string(), method: z.enum(['code', 'item_text', 'alias', 'subcategory']) }).nullable(),
  candidates: z.array(z.string()),
  conversion: z.object({ from: z.string(), to: z.string(), quantity: z.string(), ratio: z.string(), explanation: z.string(), nonIntegral: z.boolean() }).nullable(),
  unitPrice: z.string().nullable(),
  billingPeriod: billingPeriodSchema.nullable(),
  monthlyAmount: z.string().nullable(),
  amount: z.string().nullable(),
  problem: z.string().nullable(),
  reason: z.string().nullable(),
  /** Parameters of the reason, so a client can word it in its own language (key: estimates.reason.<problem>). */
  reasonParams: z.record(z.string(), z.string()).nullable().optional(),
  warnings: z.array(z.string()),
  /** The warnings as codes with parameters (text_differs, non_integral). */
  warningCodes: z.array(z.object({ code: z.enum(['text_differs', 'non_integral']), params: z.record(z.string(), z.string()) })).optional(),
});

const limitSchema = z.object({ amount: z.string(), overrun: z.boolean(), difference: z.string() }).nullable();

export const estimateResultSchema = z
  .object({
    lines: z.array(pricedLineSchema),
    monthlyTotal: z.string(),
    total: z.string(),
    totalUppercase: z.string(),
    pricedCount: z.number().int(),
    unpricedCount: z.number().int(),
    baselineIncluded: z.array(z.object({ code: z.string(), name: z.string() })),
    budget: limitSchema,
    ceiling: limitSchema,
    milestones: z.array(z.object({ percent: z.string(), amount: z.string(), uppercase: z.string() })),
  })
  .meta({ id: 'EstimateResult' });

export const estimateSchema = z
  .object({
    id: z.uuid(),
    unitId: z.uuid(),
    title: z.string(),
    catalogVersionId: z.uuid(),
    priceListId: z.uuid().nullable(),
    budget: z.string().nullable(),
    ceiling: z.string().nullable(),
    milestonePercents: z.array(z.string()),
    status: z.enum(['draft']),
    updatedAt: z.string(),
  })
  .meta({ id: 'Estimate' });
export type Estimate = z.infer<typeof estimateSchema>;

export const estimateDetailSchema = estimateSchema
  .extend({
    lines: z.array(estimateLineInputSchema),
    result: estimateResultSchema,
    abilities: z.object({ edit: z.boolean(), delete: z.boolean() }),
    /** Rows left out because `validRowsOnly` was asked for, with field and rule. */
    skipped: z.array(z.object({ field: z.string(), rule: z.string(), message: z.string(), value: z.unknown().optional() })).optional(),
  })
  .meta({ id: 'EstimateDetail' });
export type EstimateDetail = z.infer<typeof estimateDetailSchema>;

/** An estimate imported from an .xlsx in the layout of the procurement tables (base64 of the file). */
export const estimateImportSchema = estimateInputSchema.omit({ lines: true }).extend({
  file: z.string().min(1).max(12_000_000).regex(/^[A-Za-z0-9+/=\r\n]+$/, 'base64'),
});
export type EstimateImport = z.infer<typeof estimateImportSchema>;
