/**
 * Pure rules of data quality (数据质量): how each interface table's completeness is counted, the ratios, the score and
 * the calendar (Beijing-time days, 5-minute slots, ISO weeks). Definitions: docs/data-quality.md.
 */
import { Decimal } from 'decimal.js';
import type { InterfaceTable } from '../ingestion/index.js';

/** Exact decimal arithmetic (never floats), rounding half-up. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export const SLOT_MS = 5 * 60 * 1000;
export const SLOTS_PER_DAY = 288;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Beijing time is UTC+8 all year (no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The completeness target: 95% (数据完整性达到 95%). */
export const COMPLETENESS_TARGET = '0.95';
export const WEIGHTS = { completeness: '0.6', timeliness: '0.2', validity: '0.2' } as const;

export type CompletenessMethod = 'host_samples' | 'device_samples' | 'event_slots' | 'daily' | 'weekly';

/**
 * Columns that identify one device (or system) of a 5-minute table whose every device reports every 5 minutes.
 * Tables not listed here and not host metrics are event-like: completeness is the share of 5-minute slots with a record.
 */
export const DEVICE_KEYS: Readonly<Record<string, readonly string[]>> = {
  temperatureHumiditySensor: ['machine_room', 'location'],
  generator: ['generator_id'],
  aduBatteryMonitor: ['device_id'],
  ups: ['machine_room', 'location'],
  collector: ['machine_room', 'location'],
  rowPowerCabinet: ['machine_room', 'rack_number'],
  powerMeter: ['machine_room', 'location'],
  appNetworkEgress: ['system_id'],
};

/** The host-metrics table: one sample per active cloud host (from cloudHostSpec) per 5 minutes. */
export const HOST_METRICS_TABLE = 'cloudHostMonitoring';
export const HOST_SPEC_TABLE = 'cloudHostSpec';

export function methodOf(table: Pick<InterfaceTable, 'name' | 'period'>): CompletenessMethod {
  if (table.period === 'P1W') return 'weekly';
  if (table.period === 'P1D') return 'daily';
  if (table.name === HOST_METRICS_TABLE) return 'host_samples';
  if (DEVICE_KEYS[table.name]) return 'device_samples';
  return 'event_slots';
}

// ---- calendar -------------------------------------------------------------------------------------------------------

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `text` a real calendar date YYYY-MM-DD? */
export function isDay(text: string): boolean {
  const m = DAY_TEXT.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function dayUtcMs(day: string): number {
  if (!isDay(day)) throw new RangeError(`"${day}" is not a date YYYY-MM-DD`);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function dayFromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The instant a Beijing-time day starts (00:00 +08:00). */
export function dayStart(day: string): Date {
  return new Date(dayUtcMs(day) - SHANGHAI_OFFSET_MS);
}

export function addDays(day: string, n: number): string {
  return dayFromUtcMs(dayUtcMs(day) + n * DAY_MS);
}

/** The Beijing-time calendar day of an instant. */
export function shanghaiDay(at: Date): string {
  return dayFromUtcMs(at.getTime() + SHANGHAI_OFFSET_MS);
}

/** Days from `from` to `to`, both included (0 when to < from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayUtcMs(to) - dayUtcMs(from)) / DAY_MS) + 1;
}

/** Monday of the ISO week (Monday to Sunday) holding `day`. */
export function isoWeekStart(day: string): string {
  const ms = dayUtcMs(day);
  const isoDow = ((new Date(ms).getUTCDay() + 6) % 7) + 1; // 1 = Monday … 7 = Sunday
  return dayFromUtcMs(ms - (isoDow - 1) * DAY_MS);
}

/** ISO week-numbering year and week of a day: 2026-12-31 → 2026-W53, 2027-01-04 → 2027-W01, 2024-12-30 → 2025-W01. */
export function isoWeek(day: string): { year: number; week: number; label: string } {
  const monday = dayUtcMs(isoWeekStart(day));
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const week1Monday = dayUtcMs(isoWeekStart(dayFromUtcMs(jan4)));
  const week = Math.round((monday - week1Monday) / (7 * DAY_MS)) + 1;
  return { year, week, label: `${year}-W${String(week).padStart(2, '0')}` };
}

/**
 * Finished 5-minute slots of a Beijing-time day at `now`: 288 for a past day, 0 for a future one, and for today the
 * slots that have ended (00:00–00:05 counts once it is 00:05). This prorates today's expectation.
 */
export function elapsedSlots(day: string, now: Date): number {
  const start = dayStart(day).getTime();
  const slots = Math.floor((now.getTime() - start) / SLOT_MS);
  return Math.min(SLOTS_PER_DAY, Math.max(0, slots));
}

/** Has the period [start, start + days) ended at `now`? */
export function periodEnded(startDay: string, days: number, now: Date): boolean {
  return dayStart(addDays(startDay, days)).getTime() <= now.getTime();
}

// ---- ratios and score -----------------------------------------------------------------------------------------------

export interface QualityCounts {
  expected: bigint | number | string;
  received: bigint | number | string;
  onTime: bigint | number | string;
  accepted: bigint | number | string;
  rejected: bigint | number | string;
}

export interface QualityFigures {
  /** Ratios as text with 4 decimals (0.9549), null when undefined. */
  completeness: string | null;
  timeliness: string | null;
  validity: string | null;
  /** 0–100 with 2 decimals, null when nothing was due (completeness undefined). */
  score: string | null;
  meetsTarget: boolean | null;
}

function dec(v: bigint | number | string): Decimal {
  const d = new D(typeof v === 'bigint' ? v.toString() : v);
  if (!d.isInteger() || d.isNegative()) throw new RangeError(`count ${String(v)} is not a whole number ≥ 0`);
  return d;
}

/** num / den capped at 1, exact; null when den is 0. */
export function exactRatio(num: Decimal, den: Decimal): Decimal | null {
  if (den.isZero()) return null;
  const r = num.dividedBy(den);
  return r.greaterThan(1) ? new D(1) : r;
}

export function roundRatio(r: Decimal | null): string | null {
  return r === null ? null : r.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

/**
 * score = 100 × (0.6 × completeness + 0.2 × timeliness + 0.2 × validity) from the exact ratios, half-up to 0.01.
 * A missing timeliness or validity (nothing arrived) counts 0; no score while completeness is undefined.
 */
export function scoreOf(completeness: Decimal | null, timeliness: Decimal | null, validity: Decimal | null): string | null {
  if (completeness === null) return null;
  const zero = new D(0);
  const raw = completeness
    .times(WEIGHTS.completeness)
    .plus((timeliness ?? zero).times(WEIGHTS.timeliness))
    .plus((validity ?? zero).times(WEIGHTS.validity))
    .times(100);
  return raw.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** Exact ratios of a set of counts. */
export function ratiosOf(c: QualityCounts): { completeness: Decimal | null; timeliness: Decimal | null; validity: Decimal | null } {
  const expected = dec(c.expected);
  const received = dec(c.received);
  const accepted = dec(c.accepted);
  return {
    completeness: exactRatio(received, expected),
    timeliness: exactRatio(dec(c.onTime), accepted),
    validity: exactRatio(accepted, accepted.plus(dec(c.rejected))),
  };
}

export function meetsTarget(completeness: Decimal | null): boolean | null {
  return completeness === null ? null : completeness.greaterThanOrEqualTo(COMPLETENESS_TARGET);
}

/** Ratios, score and target of one row. */
export function figuresOf(c: QualityCounts): QualityFigures {
  const r = ratiosOf(c);
  return {
    completeness: roundRatio(r.completeness),
    timeliness: roundRatio(r.timeliness),
    validity: roundRatio(r.validity),
    score: scoreOf(r.completeness, r.timeliness, r.validity),
    meetsTarget: meetsTarget(r.completeness),
  };
}

/** Per-table sums over a period (received already capped at expected row by row). */
export interface TableSums {
  table: string;
  expected: string;
  receivedCapped: string;
  onTime: string;
  accepted: string;
  rejected: string;
}

export interface ProviderFigures extends QualityFigures {
  tablesBelowTarget: string[];
  tablesCounted: number;
}

/**
 * A provider over a period: completeness is the unweighted mean of its tables' completeness (a table's is Σ received /
 * Σ expected over its rows; host samples and a daily flag are not comparable units); timeliness and validity are record
 * shares over all tables (Σ on time / Σ accepted, Σ accepted / Σ (accepted + rejected)). Tables with nothing due are
 * left out.
 */
export function providerFigures(tables: readonly TableSums[]): ProviderFigures {
  const below: string[] = [];
  let completenessSum = new D(0);
  let counted = 0;
  let onTime = new D(0);
  let accepted = new D(0);
  let rejected = new D(0);
  for (const t of tables) {
    onTime = onTime.plus(dec(t.onTime));
    accepted = accepted.plus(dec(t.accepted));
    rejected = rejected.plus(dec(t.rejected));
    const c = exactRatio(dec(t.receivedCapped), dec(t.expected));
    if (c === null) continue;
    counted += 1;
    completenessSum = completenessSum.plus(c);
    if (!c.greaterThanOrEqualTo(COMPLETENESS_TARGET)) below.push(t.table);
  }
  const completeness = counted === 0 ? null : completenessSum.dividedBy(counted);
  const timeliness = exactRatio(onTime, accepted);
  const validity = exactRatio(accepted, accepted.plus(rejected));
  return {
    completeness: roundRatio(completeness),
    timeliness: roundRatio(timeliness),
    validity: roundRatio(validity),
    score: scoreOf(completeness, timeliness, validity),
    meetsTarget: meetsTarget(completeness),
    tablesBelowTarget: below,
    tablesCounted: counted,
  };
}

/** Figures of one table over a period from its sums. */
export function tableFigures(t: TableSums): QualityFigures {
  return figuresOf({ expected: t.expected, received: t.receivedCapped, onTime: t.onTime, accepted: t.accepted, rejected: t.rejected });
}
