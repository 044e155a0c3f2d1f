/** Shapes of the interface-table registry (interface-tables.ts). */

/** How a printed format is enforced. Lengths count characters (Unicode code points), not bytes. */
export type FieldRule =
  /** anX (exactly X characters) or anX..Y (X to Y). */
  | { kind: 'text'; min: number; max: number }
  /** n1..N: an unsigned integer of at most N digits. */
  | { kind: 'integer'; maxDigits: number }
  /** n1..N.D / n1..N,D: at most N digits before the decimal point and at most D after it. */
  | { kind: 'decimal'; intDigits: number; fracDigits: number }
  /** an10: a calendar date YYYY-MM-DD. */
  | { kind: 'date' }
  /** an19: YYYY-MM-DD HH:mm:ss, Beijing time (Asia/Shanghai). */
  | { kind: 'datetime' };

export interface InterfaceField {
  /** English name, the key in pushed records (JSON key, CSV header). */
  name: string;
  /** Column in the interface table. */
  column: string;
  /** 中文名称 as printed. */
  cn: string;
  /** 数据格式 exactly as the seed prints it (null where it prints none). */
  printedFormat: string | null;
  /** The format enforced. */
  format: string;
  rule: FieldRule;
  /** A record without it (absent, null or empty) is rejected with rule `required`. */
  required: boolean;
  /** True where the seed prints no format and this one was chosen (docs/ingestion.md). */
  formatChosen?: boolean;
  /** Extra check beyond the format: an IP address, a list of addresses / CIDRs / ranges, a port 0–65535. */
  semantic?: 'ip' | 'ipList' | 'port';
  /** The code table (码表) the value must be in: ingest_code_values, or the node's machine rooms for `machineRoom`. */
  codeTable?: string;
}

export type InterfaceCategoryName =
  | 'assetData'
  | 'environmentControlData'
  | 'networkProtocolData'
  | 'logData'
  | 'cloudPlatformData'
  | 'serviceData'
  | 'monitoringData';

export interface InterfaceCategory {
  name: string;
  cn: string;
  section: string;
}

export interface InterfaceTable {
  /** English name, used in the push URL: POST /api/ingest/v1/{name}. */
  name: string;
  cn: string;
  category: string;
  categoryCn: string;
  /** The partitioned PostgreSQL table. */
  sqlTable: string;
  /** 更新周期 as an ISO 8601 duration: PT5M (5 分钟), P1D (天), P1W (周). */
  period: 'PT5M' | 'P1D' | 'P1W';
  partitionUnit: 'day' | 'month';
  /** Default retention in days (ingest_tables.retention_days holds the configured value). */
  retentionDays: number;
  /** The field holding the record's own time, stored in record_time; null: the arrival time stands for it. */
  timeField: string | null;
  fields: InterfaceField[];
}
