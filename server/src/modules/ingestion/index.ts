/**
 * Standard data interface (数据接口标准): providers push the 35 interface tables (JSON, NDJSON, CSV in UTF-8 or GBK),
 * signed with HMAC-SM3; records are validated to their printed formats and stored in time-partitioned tables.
 */
export { INTERFACE_CATEGORIES, INTERFACE_TABLES } from './interface-tables.js';
export type { FieldRule, InterfaceCategory, InterfaceField, InterfaceTable } from './registry.types.js';
export * from './ingestion.types.js';
export { canonicalRequest, signRequest, signedHeaders, SIGNATURE_HEADERS, MAX_CLOCK_SKEW_SECONDS, NONCE_PATTERN } from './signature.js';
export { interfaceTable, listStoredBatches, readBatchRecords, type StoredBatch } from './batch-records.js';
