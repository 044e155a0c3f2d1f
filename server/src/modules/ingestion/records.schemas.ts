import { z } from 'zod';

/** Query strings arrive as text: digits only, no silent coercion. */
const pageParam = z.string().regex(/^[1-9][0-9]{0,4}$/, 'must be a whole number between 1 and 99999').transform(Number);
const pageSizeParam = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number between 1 and 200')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200'));
const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with a time zone, e.g. 2026-01-31T08:00:00+08:00' });
const uuid = z.uuid({ message: 'must be a UUID' });
const bigintId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a batch number (digits)');

export const tableParamsSchema = z.strictObject({ table: z.string().min(1).max(60).describe('interface table name, e.g. cloudHostMonitoring') });
export const batchParamsSchema = z.strictObject({ id: bigintId });

// ---- registry ----------------------------------------------------------------------------------------------------

export const registryFieldSchema = z.object({
  name: z.string(),
  cn: z.string(),
  format: z.string(),
  printedFormat: z.string().nullable(),
  required: z.boolean(),
  kind: z.enum(['text', 'integer', 'decimal', 'date', 'datetime']).describe('how the value is stored and filtered'),
  codeTable: z.string().nullable(),
});
export const registryTableSchema = z.object({
  name: z.string(),
  cn: z.string(),
  category: z.string(),
  period: z.enum(['PT5M', 'P1D', 'P1W']),
  partitionUnit: z.enum(['day', 'month']),
  retentionDays: z.number().int().describe('the configured retention (ingest_tables.retention_days)'),
  minRetentionDays: z.number().int(),
  timeField: z.string().nullable(),
  fields: z.array(registryFieldSchema),
});
export const registrySchema = z.object({
  categories: z.array(z.object({ name: z.string(), cn: z.string(), tables: z.array(z.string()) })),
  tables: z.array(registryTableSchema),
});
export type RegistryTable = z.infer<typeof registryTableSchema>;

// ---- records -----------------------------------------------------------------------------------------------------

/**
 * Filters shared by search and export. Besides these, `f.<fieldName>=value` filters a field of the table by equality;
 * the field name and the value are checked against the registry by the service (unknown keys are refused there).
 */
const recordFilterShape = {
  receivedFrom: isoTime.optional().describe('received at or after (default: 24 hours before receivedTo)'),
  receivedTo: isoTime.optional().describe('received before (default: now)'),
  recordFrom: isoTime.optional().describe("the record's own time (record_time) at or after"),
  recordTo: isoTime.optional().describe("the record's own time before"),
  provider: uuid.optional().describe('provider organisation id'),
  node: uuid.optional().describe('cloud node id'),
  batch: bigintId.optional().describe('batch id'),
  q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional().describe('text in any text field (case-insensitive)'),
};
const fieldFilterValue = z.string().max(400, 'must be at most 400 characters');

export const recordFilterSchema = z.object(recordFilterShape).catchall(fieldFilterValue);
export type RecordFilterQuery = z.infer<typeof recordFilterSchema>;

export const recordListQuerySchema = z
  .object({ ...recordFilterShape, page: pageParam.optional(), pageSize: pageSizeParam.optional() })
  .catchall(fieldFilterValue);
export type RecordListQuery = z.infer<typeof recordListQuerySchema>;

export const recordExportQuerySchema = z
  .object({
    ...recordFilterShape,
    format: z.enum(['xlsx', 'csv'], { message: 'must be xlsx or csv' }),
    charset: z.enum(['utf-8', 'gbk'], { message: 'must be utf-8 or gbk' }).optional().describe('CSV only: utf-8 (with BOM, default) or gbk'),
  })
  .catchall(fieldFilterValue);
export type RecordExportQuery = z.infer<typeof recordExportQuerySchema>;

export const recordSchema = z.object({
  batchId: z.string(),
  receivedAt: z.string(),
  providerOrgId: z.string(),
  providerName: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  values: z.record(z.string(), z.string().nullable()).describe('field name → value as text (times YYYY-MM-DD HH:mm:ss Beijing time)'),
});
export type IngestRecord = z.infer<typeof recordSchema>;

export const recordListSchema = z.object({
  table: z.string(),
  items: z.array(recordSchema),
  total: z.number().int(),
  /** True when more rows match than were counted (the count stops at 100,000). */
  totalCapped: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
  receivedFrom: z.string(),
  receivedTo: z.string(),
});

// ---- batches -----------------------------------------------------------------------------------------------------

export const batchStatusSchema = z.enum(['accepted', 'partial', 'rejected']);
export const batchListQuerySchema = z.strictObject({
  provider: uuid.optional(),
  node: uuid.optional(),
  table: z.string().min(1).max(60).optional(),
  status: batchStatusSchema.optional(),
  source: z.enum(['api', 'syslog', 'manual']).optional(),
  from: isoTime.optional().describe('received at or after'),
  to: isoTime.optional().describe('received before'),
  page: pageParam.optional(),
  pageSize: pageSizeParam.optional(),
});
export type BatchListQuery = z.infer<typeof batchListQuerySchema>;

export const recordErrorSchema = z.object({
  index: z.number().int(),
  field: z.string().nullable(),
  value: z.string().nullable(),
  rule: z.string(),
  message: z.string(),
});

export const batchSchema = z.object({
  id: z.string(),
  table: z.string(),
  tableCn: z.string().nullable(),
  providerOrgId: z.string(),
  providerName: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  source: z.string(),
  mode: z.string(),
  contentType: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  receivedAt: z.string(),
  recordCount: z.number().int(),
  acceptedCount: z.number().int(),
  rejectedCount: z.number().int(),
  onTimeCount: z.number().int(),
  status: batchStatusSchema,
});
export const batchListSchema = z.object({ items: z.array(batchSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const batchDetailSchema = batchSchema.extend({
  errors: z.array(recordErrorSchema).describe('per-record errors as stored (the first 1,000)'),
});
export type Batch = z.infer<typeof batchSchema>;
export type BatchDetail = z.infer<typeof batchDetailSchema>;

// ---- retention ---------------------------------------------------------------------------------------------------

export const partitionSchema = z.object({
  name: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rowEstimate: z.number().int().nullable().describe('pg_class.reltuples; null until the partition was analysed'),
  bytes: z.number().int(),
});
export const retentionTableSchema = z.object({
  table: z.string(),
  cn: z.string(),
  category: z.string(),
  categoryCn: z.string(),
  partitionUnit: z.enum(['day', 'month']),
  retentionDays: z.number().int(),
  minRetentionDays: z.number().int(),
  minRule: z.string().nullable().describe('why the minimum applies (network protocol ≥ 31 days, logs ≥ 183 days)'),
  partitionCount: z.number().int(),
  rowEstimate: z.number().int(),
  bytes: z.number().int(),
  oldest: z.string().nullable(),
  partitions: z.array(partitionSchema),
});
export const retentionListSchema = z.object({ items: z.array(retentionTableSchema) });
export const retentionUpdateSchema = z.strictObject({
  retentionDays: z.number({ message: 'must be a whole number of days' }).int('must be a whole number of days').min(1, 'must be at least 1').max(3660, 'must be at most 3660 (10 years)'),
});
export type RetentionTable = z.infer<typeof retentionTableSchema>;
