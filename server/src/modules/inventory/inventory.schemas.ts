import { z } from 'zod';
import { QUANTITY_KEYS, RESOURCE_KINDS } from './inventory.kinds.js';

export const RESOURCE_FLAGS = ['unowned', 'node_mismatch', 'system_retired', 'stale'] as const;
export const SYSTEM_FLAGS = ['system_mismatch', 'unregistered_system'] as const;
export const FLAG_TYPES = [...RESOURCE_FLAGS, ...SYSTEM_FLAGS] as const;
export type ResourceFlag = (typeof RESOURCE_FLAGS)[number];
export type FlagType = (typeof FLAG_TYPES)[number];

const pageParam = z.string().regex(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number').transform(Number);
const pageSizeParam = z.string().regex(/^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$/, 'a whole number from 1 to 200').transform(Number);
const dateParam = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'a calendar date (no 2 月 30 日)');

export const resourceFilterSchema = z.strictObject({
  kind: z.enum(RESOURCE_KINDS).optional(),
  nodeId: z.uuid().optional(),
  providerOrgId: z.uuid().optional(),
  unitOrgId: z.uuid().optional(),
  /** 信息系统编号 as reported (exact). */
  systemNo: z.string().min(1).max(50).optional(),
  status: z.enum(['active', 'deleted']).optional(),
  flag: z.enum(RESOURCE_FLAGS).optional(),
  /** Name, identifier (natural key) or system number contains. */
  q: z.string().min(1).max(100).optional(),
});
export type ResourceFilter = z.infer<typeof resourceFilterSchema>;

export const RESOURCE_SORTS = ['name', 'kind', 'createdDate', 'lastSeenAt', 'changedAt', 'systemNo'] as const;
export const resourceListQuerySchema = resourceFilterSchema.extend({
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
  sort: z.enum(RESOURCE_SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});
export type ResourceListQuery = z.infer<typeof resourceListQuerySchema>;

const quantitiesSchema = z.record(z.string(), z.string());
const named = z.object({ id: z.uuid(), name: z.string().nullable() });

export const resourceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(RESOURCE_KINDS),
  provider: named,
  node: named,
  naturalKey: z.string(),
  systemNo: z.string().nullable(),
  /** The registered information system the number matches (null: none, or not visible to the caller). */
  system: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  unit: named.nullable(),
  name: z.string(),
  attributes: z.record(z.string(), z.string().nullable()),
  quantities: quantitiesSchema,
  createdDate: z.string().nullable(),
  deletedDate: z.string().nullable(),
  status: z.enum(['active', 'deleted']),
  flags: z.array(z.enum(RESOURCE_FLAGS)),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  changedAt: z.string(),
});
export type Resource = z.infer<typeof resourceSchema>;

export const resourceListSchema = z.object({ items: z.array(resourceSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const resourceChangeSchema = z.object({
  id: z.string(),
  action: z.enum(['created', 'changed', 'deleted']),
  before: z.record(z.string(), z.string().nullable()),
  after: z.record(z.string(), z.string().nullable()),
  changedAt: z.string(),
  batchId: z.string(),
});
export type ResourceChange = z.infer<typeof resourceChangeSchema>;
export const resourceDetailSchema = resourceSchema.extend({
  changes: z.array(resourceChangeSchema),
  /** 中文名称 of each reported field (the interface table's registry). */
  fieldLabels: z.record(z.string(), z.string()),
});
export type ResourceDetail = z.infer<typeof resourceDetailSchema>;

export const idParamsSchema = z.strictObject({ id: z.uuid() });

export const CAPACITY_RESOURCES = ['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'bandwidthMbps'] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];

const capacityLine = z.object({
  /** 总量 reported by the provider (云平台规格数据). */
  total: z.string(),
  /** 分配量 reported by the provider. */
  allocatedReported: z.string(),
  /** Sum of the active inventory resources. */
  allocatedInventory: z.string(),
  freeReported: z.string(),
  freeInventory: z.string(),
});
export const summaryGroupSchema = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  counts: z.record(z.string(), z.number().int()),
  total: z.number().int(),
  quantities: quantitiesSchema,
  /** Per resource (cpuCores, memoryGb …): null for units, or where no 云平台规格数据 was reported. */
  capacity: z.record(z.string(), capacityLine).nullable(),
});
export type SummaryGroup = z.infer<typeof summaryGroupSchema>;
export const summaryQuerySchema = z.strictObject({
  groupBy: z.enum(['node', 'provider', 'unit']).optional(),
  nodeId: z.uuid().optional(),
  providerOrgId: z.uuid().optional(),
  unitOrgId: z.uuid().optional(),
});
export type SummaryQuery = z.infer<typeof summaryQuerySchema>;
export const summarySchema = z.object({
  groupBy: z.enum(['node', 'provider', 'unit']),
  totals: summaryGroupSchema,
  groups: z.array(summaryGroupSchema),
  flags: z.record(z.string(), z.number().int()),
  quantityKeys: z.array(z.enum(QUANTITY_KEYS)),
});
export type Summary = z.infer<typeof summarySchema>;

export const trendsQuerySchema = z.strictObject({
  from: dateParam.optional(),
  to: dateParam.optional(),
  kind: z.enum(RESOURCE_KINDS).optional(),
  nodeId: z.uuid().optional(),
  providerOrgId: z.uuid().optional(),
  unitOrgId: z.uuid().optional(),
});
export type TrendsQuery = z.infer<typeof trendsQuerySchema>;
export const trendsSchema = z.object({
  items: z.array(z.object({ day: z.string(), count: z.number().int(), counts: z.record(z.string(), z.number().int()), quantities: quantitiesSchema, live: z.boolean() })),
});
export type Trends = z.infer<typeof trendsSchema>;

export const flagsQuerySchema = z.strictObject({
  type: z.enum(FLAG_TYPES).optional(),
  nodeId: z.uuid().optional(),
  providerOrgId: z.uuid().optional(),
  unitOrgId: z.uuid().optional(),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type FlagsQuery = z.infer<typeof flagsQuerySchema>;
export const flagSchema = z.object({
  type: z.enum(FLAG_TYPES),
  provider: named,
  node: named,
  systemNo: z.string().nullable(),
  system: z.object({ id: z.uuid(), name: z.string().nullable() }).nullable(),
  unit: named.nullable(),
  resource: z.object({ id: z.uuid(), kind: z.enum(RESOURCE_KINDS), name: z.string() }).nullable(),
  /** What differs: reported vs registered, per field (system_mismatch, node_mismatch). */
  details: z.array(z.object({ field: z.string(), reported: z.string().nullable(), registered: z.string().nullable() })),
  lastSeenAt: z.string(),
});
export type Flag = z.infer<typeof flagSchema>;
export const flagListSchema = z.object({
  items: z.array(flagSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
});
export type FlagList = z.infer<typeof flagListSchema>;

export const applyResultSchema = z.object({
  batches: z.number().int(),
  created: z.number().int(),
  changed: z.number().int(),
  deleted: z.number().int(),
  systems: z.number().int(),
  capacity: z.number().int(),
  expired: z.number().int(),
  relinked: z.number().int(),
});
export type ApplyResult = z.infer<typeof applyResultSchema>;
