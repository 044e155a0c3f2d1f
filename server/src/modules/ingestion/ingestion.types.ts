/** Contracts of the data interface shared by its parts (push API, syslog, credentials, inventory, data quality). */

/** Why one record (or one field of it) was refused: index in the batch (0-based), field, offending value, rule. */
export interface RecordError {
  index: number;
  /** The field, or null for an error of the whole record (not an object, unknown field, CSV row of wrong width …). */
  field: string | null;
  /** The offending value as received (truncated to 200 characters), or null. */
  value: string | null;
  /**
   * Rule broken: required | type | length | format | digits | decimals | date | datetime | ip | ipList | port | code |
   * unknown_field | not_object | csv_columns | encoding | own_provider | own_node …
   */
  rule: string;
  /** English sentence naming field and rule; the UI translates by `rule`. */
  message: string;
}

export type BatchMode = 'partial' | 'atomic';
export type BatchSource = 'api' | 'syslog' | 'manual';

export interface WriteBatchInput {
  providerOrgId: string;
  nodeId: string;
  /** Interface table name (InterfaceTable.name), e.g. `cloudHostMonitoring`. */
  table: string;
  source: BatchSource;
  credentialId?: string | null;
  idempotencyKey?: string | null;
  /** SM3 of the request body: a retried batch with the same key and body is answered from the stored result. */
  bodySm3?: string | null;
  contentType?: string | null;
  /** partial: store the valid records, report the others; atomic: all or nothing. */
  mode: BatchMode;
  /** Records as parsed (JSON values, or strings from CSV / syslog), keyed by the field names of the table. */
  records: ReadonlyArray<unknown>;
}

export interface BatchResult {
  batchId: string;
  table: string;
  status: 'accepted' | 'partial' | 'rejected';
  recordCount: number;
  accepted: number;
  rejected: number;
  errors: RecordError[];
  /** True when this answers a retried batch (same idempotency key and body) from the stored result. */
  replayed: boolean;
}

/** A batch just committed with accepted records (PushWriter.onStored). */
export interface StoredBatchNotice {
  batchId: string;
  table: string;
  providerOrgId: string;
  nodeId: string;
  accepted: number;
  receivedAt: Date;
}

/** Stores validated records of one interface table as one batch (COPY, one transaction). */
export interface IngestWriter {
  writeBatch(input: WriteBatchInput): Promise<BatchResult>;
}

/** The provider behind a signed request, after its credential and HMAC-SM3 signature were checked. */
export interface VerifiedProvider {
  credentialId: string;
  providerOrgId: string;
  /** Cloud nodes the credential is limited to, or null for every node the provider runs. */
  nodeIds: string[] | null;
}

export interface SignedRequestParts {
  method: string;
  /** Path and query exactly as received (request.url). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  ip: string | null;
}

/** Checks bearer token, timestamp skew, nonce replay and signature; throws AppError 401 naming what failed. */
export interface ProviderRequestVerifier {
  verify(parts: SignedRequestParts): Promise<VerifiedProvider>;
}
