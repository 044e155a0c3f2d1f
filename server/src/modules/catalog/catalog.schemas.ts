import { z } from 'zod';

export const idParamsSchema = z.strictObject({ id: z.uuid() });
export const itemParamsSchema = z.strictObject({ id: z.uuid(), code: z.string().regex(/^[0-9A-Za-z_-]{1,20}$/) });

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** A decimal written as text (never a float): digits, optional fraction. Decimal places are checked by the service. */
export const decimalTextSchema = z.string().regex(/^\d{1,12}(\.\d+)?$/, 'a non-negative decimal number written as text, e.g. "41.15"');
export const billingPeriodSchema = z.enum(['month', 'year', 'occurrence', 'message', 'certificate_year', 'one_off']);
export const itemKindSchema = z.enum(['basic', 'baseline', 'extension']);

export const catalogItemSchema = z
  .object({
    code: z.string(),
    kind: itemKindSchema,
    category: z.string(),
    subcategory: z.string().nullable(),
    item: z.string(),
    englishName: z.string().nullable(),
    billingUnitText: z.string().nullable(),
    billingUnit: z.object({ factor: z.string(), symbol: z.string(), dimension: z.string() }).nullable(),
    billingPeriod: billingPeriodSchema.nullable(),
    pricePeriodText: z.string().nullable(),
    maxUnitPrice: z.string().nullable(),
    weight: z.string().nullable(),
    remark: z.string().nullable(),
    aliases: z.array(z.string()),
    status: z.enum(['active', 'retired']),
  })
  .meta({ id: 'CatalogItem' });
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const catalogVersionSchema = z
  .object({
    id: z.uuid(),
    versionNo: z.number().int(),
    name: z.string(),
    status: z.enum(['draft', 'published', 'retired']),
    effectiveFrom: z.string().nullable(),
    effectiveTo: z.string().nullable(),
    frameworkPeriod: z.string().nullable(),
    basedOnId: z.uuid().nullable(),
    source: z.string().nullable(),
    publishedAt: z.string().nullable(),
  })
  .meta({ id: 'CatalogVersion' });
export type CatalogVersion = z.infer<typeof catalogVersionSchema>;

export const catalogVersionDetailSchema = catalogVersionSchema
  .extend({
    items: z.array(catalogItemSchema),
    /** Σ(maximum price × weight) over the active basic items, 4 decimals (79.0430 for seed 004). */
    weightedMaxPrice: z.string().nullable(),
    abilities: z.object({ edit: z.boolean(), publish: z.boolean(), copy: z.boolean() }),
  })
  .meta({ id: 'CatalogVersionDetail' });
export type CatalogVersionDetail = z.infer<typeof catalogVersionDetailSchema>;

export const newCatalogVersionSchema = z.strictObject({
  basedOnId: z.uuid(),
  name: z.string().min(1).max(100),
  effectiveFrom: dateSchema.nullable().optional(),
  effectiveTo: dateSchema.nullable().optional(),
  frameworkPeriod: z.string().max(200).nullable().optional(),
});
export type NewCatalogVersion = z.infer<typeof newCatalogVersionSchema>;

export const catalogItemInputSchema = z.strictObject({
  kind: itemKindSchema,
  category: z.string().min(1).max(100),
  subcategory: z.string().max(100).nullable().optional(),
  item: z.string().min(1).max(500),
  englishName: z.string().max(200).nullable().optional(),
  billingUnitText: z.string().min(1).max(30).nullable().optional(),
  billingPeriod: billingPeriodSchema.nullable().optional(),
  pricePeriodText: z.string().max(20).nullable().optional(),
  maxUnitPrice: decimalTextSchema.nullable().optional(),
  /** Weight as a percentage text (`16`, `2.5`), stored as a fraction. */
  weightPercent: decimalTextSchema.nullable().optional(),
  remark: z.string().max(500).nullable().optional(),
  aliases: z.array(z.string().min(1).max(200)).max(20).optional(),
});
export type CatalogItemInput = z.infer<typeof catalogItemInputSchema>;

// Price lists
export const priceItemInputSchema = z.strictObject({
  itemCode: z.string().regex(/^[0-9A-Za-z_-]{1,20}$/),
  unitPrice: decimalTextSchema,
  /** Extension items: the provider's own billing unit and period; basic items use the catalog's. */
  billingUnitText: z.string().min(1).max(30).optional(),
  billingPeriod: billingPeriodSchema.optional(),
});
export const newPriceListSchema = z.strictObject({
  /** The provider; defaults to the caller's organisation. */
  providerId: z.uuid().optional(),
  catalogVersionId: z.uuid(),
  effectiveFrom: dateSchema,
  effectiveTo: dateSchema.nullable().optional(),
  note: z.string().max(500).nullable().optional(),
  items: z.array(priceItemInputSchema).min(1).max(500),
});
export type NewPriceList = z.infer<typeof newPriceListSchema>;
export const priceListUpdateSchema = newPriceListSchema.omit({ providerId: true, catalogVersionId: true });
export type PriceListUpdate = z.infer<typeof priceListUpdateSchema>;
export const catalogVersionPatchSchema = z.strictObject({
  name: z.string().min(1).max(100).optional(),
  effectiveFrom: dateSchema.nullable().optional(),
  effectiveTo: dateSchema.nullable().optional(),
  frameworkPeriod: z.string().max(200).nullable().optional(),
});
export type CatalogVersionPatch = z.infer<typeof catalogVersionPatchSchema>;
export const priceListDecisionSchema = z.strictObject({ comment: z.string().max(500).nullable().optional() });

export const priceListSchema = z
  .object({
    id: z.uuid(),
    provider: z.object({ id: z.uuid(), name: z.string() }),
    catalogVersionId: z.uuid(),
    versionNo: z.number().int(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    status: z.enum(['draft', 'submitted', 'approved', 'rejected']),
    note: z.string().nullable(),
    decisionComment: z.string().nullable(),
  })
  .meta({ id: 'PriceList' });
export type PriceList = z.infer<typeof priceListSchema>;

export const priceListDetailSchema = priceListSchema
  .extend({
    items: z.array(z.object({ itemCode: z.string(), unitPrice: z.string(), billingUnitText: z.string(), billingPeriod: billingPeriodSchema })),
    /** Σ(price × weight) over the basic items, 4 decimals; null while a basic item has no price. */
    weightedPrice: z.string().nullable(),
    abilities: z.object({ submit: z.boolean(), approve: z.boolean() }),
  })
  .meta({ id: 'PriceListDetail' });
export type PriceListDetail = z.infer<typeof priceListDetailSchema>;
