/**
 * Pushed data of the interface tables: registry, record search and export, batches, retention. Plain typed requests
 * (the record search takes `f.<fieldName>` filters built from the registry, which a generated path type cannot name).
 */
import { ApiError, download, qs, request } from '../../api/client';
import { errorText } from '../../i18n';

export type FieldKind = 'text' | 'integer' | 'decimal' | 'date' | 'datetime';

export interface RegistryField {
  name: string;
  cn: string;
  format: string;
  printedFormat: string | null;
  required: boolean;
  kind: FieldKind;
  codeTable: string | null;
}

export interface RegistryTable {
  name: string;
  cn: string;
  category: string;
  period: 'PT5M' | 'P1D' | 'P1W';
  partitionUnit: 'day' | 'month';
  retentionDays: number;
  minRetentionDays: number;
  timeField: string | null;
  fields: RegistryField[];
}

export interface Registry {
  categories: Array<{ name: string; cn: string; tables: string[] }>;
  tables: RegistryTable[];
}

export interface RecordFilter {
  receivedFrom?: string;
  receivedTo?: string;
  recordFrom?: string;
  recordTo?: string;
  provider?: string;
  node?: string;
  batch?: string;
  q?: string;
  /** field name → value (sent as f.<name>=value) */
  fields?: Record<string, string>;
}

export interface IngestRecord {
  batchId: string;
  receivedAt: string;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  values: Record<string, string | null>;
}

export interface RecordList {
  table: string;
  items: IngestRecord[];
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
  receivedFrom: string;
  receivedTo: string;
}

export type BatchStatus = 'accepted' | 'partial' | 'rejected';

export interface Batch {
  id: string;
  table: string;
  tableCn: string | null;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  source: string;
  mode: string;
  contentType: string | null;
  idempotencyKey: string | null;
  receivedAt: string;
  recordCount: number;
  acceptedCount: number;
  rejectedCount: number;
  onTimeCount: number;
  status: BatchStatus;
}

export interface RecordError {
  index: number;
  field: string | null;
  value: string | null;
  rule: string;
  message: string;
}

export interface BatchFilter {
  provider?: string;
  node?: string;
  table?: string;
  status?: BatchStatus;
  source?: 'api' | 'syslog' | 'manual';
  from?: string;
  to?: string;
}

export interface RetentionTable {
  table: string;
  cn: string;
  category: string;
  categoryCn: string;
  partitionUnit: 'day' | 'month';
  retentionDays: number;
  minRetentionDays: number;
  minRule: string | null;
  partitionCount: number;
  rowEstimate: number;
  bytes: number;
  oldest: string | null;
  partitions: Array<{ name: string; from: string | null; to: string | null; rowEstimate: number | null; bytes: number }>;
}

function recordQuery(f: RecordFilter): Record<string, string | undefined> {
  const { fields, ...rest } = f;
  const out: Record<string, string | undefined> = { ...rest };
  for (const [k, v] of Object.entries(fields ?? {})) if (v !== '') out[`f.${k}`] = v;
  return out;
}

export const ingestKeys = {
  registry: ['ingest', 'registry'] as const,
  records: (table: string, f: RecordFilter, page: number, pageSize: number) => ['ingest', 'records', table, f, page, pageSize] as const,
  batches: (f: BatchFilter, page: number, pageSize: number) => ['ingest', 'batches', f, page, pageSize] as const,
  batch: (id: string) => ['ingest', 'batch', id] as const,
  retention: ['ingest', 'retention'] as const,
};

export type ExportKind = 'xlsx' | 'csv' | 'csv-gbk';

export const ingestApi = {
  registry: () => request<Registry>('GET', '/api/ingest/tables'),
  records: (table: string, f: RecordFilter, page: number, pageSize: number) =>
    request<RecordList>('GET', `/api/ingest/tables/${encodeURIComponent(table)}/records${qs({ ...recordQuery(f), page, pageSize })}`),
  /** Downloads the export for the same filters; the server names the file (表名-时间). */
  export: (table: string, f: RecordFilter, kind: ExportKind) =>
    download(
      `/api/ingest/tables/${encodeURIComponent(table)}/records/export${qs({ ...recordQuery(f), format: kind === 'xlsx' ? 'xlsx' : 'csv', charset: kind === 'csv-gbk' ? 'gbk' : undefined })}`,
      `${table}.${kind === 'xlsx' ? 'xlsx' : 'csv'}`,
    ),
  batches: (f: BatchFilter, page: number, pageSize: number) =>
    request<{ items: Batch[]; total: number; page: number; pageSize: number }>('GET', `/api/ingest/batches${qs({ ...f, page, pageSize })}`),
  batch: (id: string) => request<Batch & { errors: RecordError[] }>('GET', `/api/ingest/batches/${encodeURIComponent(id)}`),
  retention: () => request<{ items: RetentionTable[] }>('GET', '/api/ingest/retention'),
  setRetention: (table: string, retentionDays: number) => request<RetentionTable>('PUT', `/api/ingest/retention/${encodeURIComponent(table)}`, { retentionDays }),
};

/** Providers that run at least one cloud node (for filters), by name. */
export function providersOf(nodes: ReadonlyArray<{ provider: { id: string; name: string } | null }> | undefined): Array<{ id: string; name: string }> {
  const map = new Map<string, string>();
  for (const n of nodes ?? []) if (n.provider) map.set(n.provider.id, n.provider.name);
  return [...map].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/** Bytes as KB / MB / GB. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** The translated error, followed by each issue the server named (field and rule) when there are any. */
export function ingestErrorText(error: unknown): string {
  const base = errorText(error);
  if (!(error instanceof ApiError)) return base;
  const issues = (error.details as { issues?: Array<{ field: string; message: string }> } | null)?.issues;
  return Array.isArray(issues) && issues.length ? `${base}: ${issues.map((i) => i.message).join('; ')}` : base;
}
