/**
 * Standard data interface (数据接口标准): providers push the 35 interface tables (JSON, NDJSON, CSV in UTF-8 or GBK),
 * signed with HMAC-SM3; records are validated to their printed formats and stored in time-partitioned tables.
 */
export { INTERFACE_CATEGORIES, INTERFACE_TABLES } from './interface-tables.js';
export type { FieldRule, InterfaceCategory, InterfaceField, InterfaceTable } from './registry.types.js';
export * from './ingestion.types.js';
export { canonicalRequest, signRequest, signedHeaders, SIGNATURE_HEADERS, MAX_CLOCK_SKEW_SECONDS, NONCE_PATTERN } from './signature.js';
export { interfaceTable, listStoredBatches, readBatchRecords, countRecords, type StoredBatch } from './batch-records.js';
/** 接入凭证 (issue, list, revoke) and verification of signed provider requests; raw bodies for signed routes. */
export { ProviderCredentialService, type IssueCredentialInput, type IssuedCredential } from './credentials.service.js';
export { registerCredentialRoutes } from './credentials.routes.js';
export { registerCredentialJobs } from './poller.jobs.js';
export { useRawBody, rawBodyOf, signedRequestParts, BodyTooLargeError } from './raw-body.js';
/** Trigger mode (触发器: major changes and alarms), query-response mode (查询-响应: the poller), code tables (码表). */
export { ProviderEventService, validateEvents, parseBeijingDateTime, MAX_EVENTS_PER_PUSH } from './events.service.js';
export { registerProviderInterfaceRoutes } from './events.routes.js';
export { QueryPollerService, POLLER_TOKEN, type PollerOptions } from './poller.service.js';
export { registerPollerJobs } from './poller.jobs.js';
export { CodeTableService, codeTableCatalog } from './code-tables.service.js';
export { registerCodeTableRoutes } from './code-tables.routes.js';
/** Search and export of pushed records, the batches view, retention settings and the partition-dropping job. */
export { IngestRecordsService, registryTable, XLSX_MAX_ROWS, CSV_MAX_ROWS } from './records.service.js';
export { registerIngestRecordRoutes, registerIngestRetentionRoutes } from './records.routes.js';
export { IngestBatchesService } from './batches.service.js';
export { registerIngestBatchRoutes } from './batches.routes.js';
export { IngestRetentionService, MIN_RETENTION_RULES, type DropResult } from './retention.service.js';
export { registerIngestRetentionJobs, runIngestRetention, RETENTION_JOB } from './retention.jobs.js';
/** Validates and stores one batch of an interface table (COPY, one transaction): the push API and the syslog receiver. */
export { PushWriter } from './writer.js';
/** Push API: validation of records to the printed formats, parsing of bodies, storage with COPY (also for syslog). */
export { CodeCache, MAX_STORED_ERRORS } from './writer.js';
export { compiledTable, compileTable, validateRecords, sampleRecord, beijingDateTime, isOnTime, SEEDED_SAMPLE_CODES, EMPTY_CODES, ON_TIME_GRACE_MS } from './validator.js';
export type { CodeContext, CompiledTable, ValidatedRecord, ValidationResult } from './validator.js';
export { parseBody, bodyFormat, decodeBody, RecordParseError, MAX_RECORDS_PER_BATCH, type ParsedBody, type BodyFormat } from './parse.js';
export { PartitionCache, ensureUpcomingPartitions, partitionSuffix } from './partitions.js';
export { registerPushRoutes, batchResultSchema, MAX_PUSH_BODY_BYTES } from './push.routes.js';
export { registerIngestionJobs, prepareIngestPartitions, PARTITIONS_JOB } from './ingestion.jobs.js';
