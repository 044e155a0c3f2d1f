/**
 * The metrics of the store (names, codes, units, which pushed table and field they come from) and the pure rules:
 * per-record checks of pushed points, deduplication of a batch's points, percentiles and the linear fit of forecasts.
 */

export type SeriesKind = 'host' | 'system' | 'env';

export interface MetricInfo {
  code: number;
  name: string;
  kind: SeriesKind;
  /** '%' metrics are refused above 100 or below 0. */
  unit: '%' | 'Mbps' | 'MB/s' | '℃' | '%RH' | 'min' | 'state';
  cn: string;
  en: string;
  table: string;
  field: string;
  /** A state read from text fields (0 normal / 1 abnormal): the value as a string, null when the text is not known. */
  derive?: (r: Readonly<Record<string, string | null | undefined>>) => string | null;
}

const NORMAL_TEXT = new Set(['正常', '无', '无告警', '无故障', 'normal', 'ok']);
/** 0 when every named field reads as normal (正常/无告警/…), 1 when any does not; null when all are empty. */
const abnormal = (...fields: string[]) => (r: Readonly<Record<string, string | null | undefined>>): string | null => {
  const vals = fields.map((f) => r[f]?.trim()).filter((v): v is string => !!v);
  if (vals.length === 0) return null;
  return vals.some((v) => !NORMAL_TEXT.has(v.toLowerCase())) ? '1' : '0';
};
/** UPS 供电状态: 1 on battery (电池供电/电池逆变), 0 on mains (市电/旁路); null for a text naming neither. */
export function upsOnBattery(r: Readonly<Record<string, string | null | undefined>>): string | null {
  const v = r['upsPowerSupplyStatus']?.trim() ?? '';
  if (v.includes('电池')) return '1';
  if (v.includes('市电') || v.includes('旁路')) return '0';
  return null;
}

export const METRICS: readonly MetricInfo[] = [
  { code: 1, name: 'cpu', kind: 'host', unit: '%', cn: 'CPU 使用率', en: 'CPU usage', table: 'cloudHostMonitoring', field: 'cpuUsage' },
  { code: 2, name: 'memory', kind: 'host', unit: '%', cn: '内存使用率', en: 'Memory usage', table: 'cloudHostMonitoring', field: 'memoryUsage' },
  { code: 3, name: 'disk_standard', kind: 'host', unit: '%', cn: '普通存储使用率', en: 'Standard storage usage', table: 'cloudHostMonitoring', field: 'standardStorageUsage' },
  { code: 4, name: 'disk_highperf', kind: 'host', unit: '%', cn: '高性能存储使用率', en: 'High-performance storage usage', table: 'cloudHostMonitoring', field: 'highPerfStorageUsage' },
  { code: 5, name: 'disk_static', kind: 'host', unit: '%', cn: '静态存储使用率', en: 'Static storage usage', table: 'cloudHostMonitoring', field: 'staticStorageUsage' },
  { code: 6, name: 'disk_video_local', kind: 'host', unit: '%', cn: '本地视频存储使用率', en: 'Local video storage usage', table: 'cloudHostMonitoring', field: 'localVideoStorageUsage' },
  { code: 7, name: 'disk_video_offsite', kind: 'host', unit: '%', cn: '异地视频使用率', en: 'Off-site video usage', table: 'cloudHostMonitoring', field: 'offsiteVideoUsage' },
  { code: 8, name: 'disk_write', kind: 'host', unit: 'MB/s', cn: '磁盘写峰值', en: 'Disk write peak', table: 'cloudHostMonitoring', field: 'diskWritePeak' },
  { code: 9, name: 'disk_read', kind: 'host', unit: 'MB/s', cn: '磁盘读峰值', en: 'Disk read peak', table: 'cloudHostMonitoring', field: 'diskReadPeak' },
  { code: 10, name: 'net_up', kind: 'host', unit: 'Mbps', cn: '带宽上行峰值', en: 'Network up peak', table: 'cloudHostMonitoring', field: 'bandwidthUpPeak' },
  { code: 11, name: 'net_down', kind: 'host', unit: 'Mbps', cn: '带宽下行峰值', en: 'Network down peak', table: 'cloudHostMonitoring', field: 'bandwidthDownPeak' },
  { code: 20, name: 'egress_up', kind: 'system', unit: 'Mbps', cn: '出口上行峰值', en: 'Egress up peak', table: 'appNetworkEgress', field: 'bandwidthUpPeak' },
  { code: 21, name: 'egress_down', kind: 'system', unit: 'Mbps', cn: '出口下行峰值', en: 'Egress down peak', table: 'appNetworkEgress', field: 'bandwidthDownPeak' },
  // Link usage: the larger of up/down peak against the bandwidth of the provider's links of that network type
  // (主链路带宽 of 云平台网络接入 IP 数据, Mbps); no bandwidth reported → no usage point (a gap, never a guess).
  { code: 22, name: 'egress_usage', kind: 'system', unit: '%', cn: '出口链路使用率', en: 'Egress link usage', table: 'appNetworkEgress', field: 'linkUsage' },
  { code: 30, name: 'temperature', kind: 'env', unit: '℃', cn: '温度', en: 'Temperature', table: 'temperatureHumiditySensor', field: 'temperature' },
  { code: 31, name: 'humidity', kind: 'env', unit: '%RH', cn: '湿度', en: 'Humidity', table: 'temperatureHumiditySensor', field: 'humidity' },
  { code: 32, name: 'ups_on_battery', kind: 'env', unit: 'state', cn: 'UPS 电池供电', en: 'UPS on battery', table: 'ups', field: 'upsPowerSupplyStatus', derive: upsOnBattery },
  { code: 33, name: 'ups_battery_capacity', kind: 'env', unit: '%', cn: 'UPS 电池剩余容量', en: 'UPS battery capacity', table: 'ups', field: 'batteryRemainingCapacity' },
  { code: 34, name: 'ups_backup_time', kind: 'env', unit: 'min', cn: 'UPS 电池后备时间', en: 'UPS battery backup time', table: 'ups', field: 'batteryBackupTime' },
  { code: 35, name: 'ups_alarm', kind: 'env', unit: 'state', cn: 'UPS 告警', en: 'UPS alarm', table: 'ups', field: 'batteryAlarmStatus', derive: abnormal('mainsInputAlarmStatus', 'batteryAlarmStatus') },
  { code: 36, name: 'generator_fault', kind: 'env', unit: 'state', cn: '发电机故障', en: 'Generator fault', table: 'generator', field: 'faultStatus', derive: abnormal('faultStatus') },
  { code: 37, name: 'generator_fuel', kind: 'env', unit: '%', cn: '发电机油位', en: 'Generator fuel level', table: 'generator', field: 'fuelLevel' },
  { code: 38, name: 'battery_backup_time', kind: 'env', unit: 'min', cn: '蓄电池后备时间', en: 'Battery backup time', table: 'aduBatteryMonitor', field: 'backupTime' },
];

export const METRIC_BY_NAME = new Map(METRICS.map((m) => [m.name, m]));
export const METRIC_BY_CODE = new Map(METRICS.map((m) => [m.code, m]));
/** The pushed tables the store reads. */
export const MONITORED_TABLES = [...new Set(METRICS.map((m) => m.table))];
/** 云平台网络接入 IP 数据: the links' bandwidth (for egress usage), kept by the store, no points of its own. */
export const LINK_TABLE = 'platformNetworkAccessIp';
/** Every pushed table the store processes. */
export const STORE_TABLES = [...MONITORED_TABLES, LINK_TABLE];
/** Link usage from the egress peaks (Mbps) and the links' bandwidth (Mbps); null without a positive bandwidth. */
export function linkUsage(upMbps: number, downMbps: number, bandwidthMbps: number | undefined): number | null {
  if (!bandwidthMbps || !(bandwidthMbps > 0)) return null;
  return (Math.max(upMbps, downMbps) / bandwidthMbps) * 100;
}

/** Points may be at most this far in the future (clock skew of a provider). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
export const SLOT_MS = 5 * 60_000;
export const HOUR_MS = 3_600_000;
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export interface Point {
  seriesKey: string;
  metric: number;
  at: number;
  value: number;
}

export interface Refusal {
  index: number;
  field: string;
  rule: string;
  value: string | null;
  message: string;
}

/**
 * Checks one metric value of a record: a number, a percentage within 0–100, a non-negative rate. Returns the refusal
 * or null when the value is fine.
 */
export function checkValue(m: MetricInfo, raw: string, index: number): Refusal | null {
  const v = Number(raw);
  if (!Number.isFinite(v)) return { index, field: m.field, rule: 'number', value: raw, message: `${m.cn} is not a number` };
  if (m.unit === '%' && (v < 0 || v > 100)) return { index, field: m.field, rule: 'percent_0_100', value: raw, message: `${m.cn} must be between 0 and 100` };
  if ((m.unit === 'Mbps' || m.unit === 'MB/s' || m.unit === '%RH' || m.unit === 'min') && v < 0) return { index, field: m.field, rule: 'non_negative', value: raw, message: `${m.cn} must not be negative` };
  return null;
}

/** Checks a point's instant against now: not more than 10 minutes ahead, not older than the raw retention. */
export function checkInstant(at: number, now: number, retentionDays: number, index: number, field: string, raw: string | null): Refusal | null {
  if (at > now + FUTURE_TOLERANCE_MS) return { index, field, rule: 'not_future', value: raw, message: 'The time is more than 10 minutes in the future' };
  if (at < now - retentionDays * 86_400_000) return { index, field, rule: 'within_retention', value: raw, message: `The time is older than the raw retention (${retentionDays} days)` };
  return null;
}

/** The last value wins per (series, metric, instant): one batch may name a point twice (ON CONFLICT touches a row once). */
export function dedupePoints(points: readonly Point[]): Point[] {
  const out = new Map<string, Point>();
  for (const p of points) out.set(`${p.seriesKey}|${p.metric}|${p.at}`, p);
  return [...out.values()];
}

/** Start of the hour (UTC instants: an hour is the same in Beijing). */
export const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export const beijingDay = (at: number) => new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Continuous percentile (as PostgreSQL's percentile_cont) of the values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Least-squares line through (x, y); null with fewer than 2 distinct x. */
export function linearFit(points: ReadonlyArray<{ x: number; y: number }>): { slope: number; intercept: number } | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  if (den === 0) return null;
  const slope = num / den;
  return { slope, intercept: my - slope * mx };
}

/**
 * Time left (ms from `now`) until the fitted line crosses `threshold` (Zabbix's timeleft()): 0 when already above,
 * null when the trend never gets there (flat or falling).
 */
export function timeLeft(points: ReadonlyArray<{ x: number; y: number }>, threshold: number, now: number): number | null {
  const fit = linearFit(points);
  if (!fit) return null;
  const current = fit.slope * now + fit.intercept;
  if (current >= threshold) return 0;
  if (fit.slope <= 0) return null;
  return (threshold - fit.intercept) / fit.slope - now;
}

/** Adds natural days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type Severity = 'info' | 'minor' | 'major' | 'critical';
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];
export const SEVERITY_CN: Record<Severity, string> = { info: '提示', minor: '一般', major: '重要', critical: '紧急' };

export type RuleKind = 'threshold' | 'no_data' | 'forecast' | 'rate';

export interface RuleState {
  kind: RuleKind;
  op: 'gt' | 'lt';
  threshold: number | null;
  recovery: number | null;
  horizonHours: number | null;
}

/**
 * The decision for one object: 'fire' when the condition holds, 'clear' when the recovery condition holds
 * (hysteresis: between the two an open alert stays open and none opens), 'hold' otherwise.
 * `value` is the rule's figure: the window average (threshold), minutes since the last point (no_data), hours until
 * the threshold (forecast; null = never), the change over the window (rate).
 */
export function decide(rule: RuleState, value: number | null, open: boolean): 'fire' | 'clear' | 'hold' {
  if (rule.kind === 'forecast') {
    const horizon = rule.horizonHours ?? 168;
    const recoveryHorizon = rule.recovery ?? horizon;
    if (value !== null && value < horizon) return 'fire';
    if (value === null || value >= recoveryHorizon) return 'clear';
    return open ? 'hold' : 'hold';
  }
  if (value === null) return 'hold';
  const t = rule.threshold ?? 0;
  const r = rule.recovery ?? t;
  if (rule.op === 'gt') {
    if (value > t) return 'fire';
    return value <= r ? 'clear' : 'hold';
  }
  if (value < t) return 'fire';
  return value >= r ? 'clear' : 'hold';
}
