import { AppError, type FieldIssue } from '../../platform/errors.js';
import { Dec, roundYuan } from '../../platform/money.js';
import type { HostUtilisation } from './evaluation.sources.js';

// ---- efficiency formula -------------------------------------------------------------------------------------------

export const WEIGHT_KEYS = ['cpu', 'memory', 'idle', 'oversized'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];
export type Weights = Record<WeightKey, number>;

export interface Thresholds {
  /** p95 CPU (%) a host is sized for: at or above it the CPU component is 100. */
  cpuTargetP95: number;
  memTargetP95: number;
  /** p95 CPU below this (%) → idle host (闲置). */
  idleCpuP95: number;
  /** p95 below these (%) → the dimension is oversized (配置过高) and a smaller size is advised. */
  oversizeCpuP95: number;
  oversizeMemP95: number;
  /** Share of the window's hours with samples needed to judge a host (0–1). */
  minHoursShare: number;
}

export interface Formula {
  version: number;
  weights: Weights;
  thresholds: Thresholds;
  note: string | null;
  createdAt: string;
}

/** Weights are whole or decimal percents ≥ 0 adding up to exactly 100; thresholds within 0–100 (share 0–1). */
export function validateFormula(weights: Weights, thresholds: Thresholds): void {
  const issues: FieldIssue[] = [];
  let total = new Dec(0);
  for (const k of WEIGHT_KEYS) {
    const w = weights[k];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 100) issues.push({ field: `body.weights.${k}`, rule: 'range_0_100', message: 'a weight from 0 to 100', value: w });
    else total = total.plus(String(w));
  }
  if (issues.length) throw new AppError('validation', 'evaluation.invalid_weight', 'Each weight is a number from 0 to 100', { issues });
  if (!total.equals(100)) {
    throw new AppError('validation', 'evaluation.weights_sum', `The weights add up to ${total.toString()}, not 100`, {
      issues: [{ field: 'body.weights', rule: 'sum_100', message: `the weights add up to ${total.toString()}; they must add up to 100`, value: total.toString() }],
    });
  }
  for (const k of ['cpuTargetP95', 'memTargetP95', 'idleCpuP95', 'oversizeCpuP95', 'oversizeMemP95'] as const) {
    const v = thresholds[k];
    if (typeof v !== 'number' || !(v > 0 && v <= 100)) issues.push({ field: `body.thresholds.${k}`, rule: 'range_0_100', message: 'a percentage above 0, at most 100', value: v });
  }
  if (!(thresholds.minHoursShare >= 0 && thresholds.minHoursShare <= 1)) issues.push({ field: 'body.thresholds.minHoursShare', rule: 'range_0_1', message: 'a share from 0 to 1', value: thresholds.minHoursShare });
  if (thresholds.idleCpuP95 >= thresholds.oversizeCpuP95) issues.push({ field: 'body.thresholds.idleCpuP95', rule: 'below_oversize', message: 'the idle threshold is below the oversize threshold', value: thresholds.idleCpuP95 });
  if (issues.length) throw new AppError('validation', 'evaluation.invalid_threshold', 'Some thresholds are out of range', { issues });
}

/** The formula as text, shown on the page and in the report. */
export function formulaText(f: Pick<Formula, 'weights' | 'thresholds'>): string {
  const w = f.weights;
  const t = f.thresholds;
  return (
    `效率得分 = ${w.cpu}% × CPU 利用分 + ${w.memory}% × 内存利用分 + ${w.idle}% × (1 − 闲置主机占比) × 100 + ${w.oversized}% × (1 − 配置过高主机占比) × 100；` +
    `CPU 利用分 = min(100, 按 vCPU 加权的 CPU p95 ÷ ${t.cpuTargetP95}% × 100)，内存利用分 = min(100, 按内存加权的内存 p95 ÷ ${t.memTargetP95}% × 100)；` +
    `闲置：CPU p95 < ${t.idleCpuP95}%；配置过高：CPU p95 < ${t.oversizeCpuP95}% 或内存 p95 < ${t.oversizeMemP95}%；样本小时数不足窗口 ${Math.round(t.minHoursShare * 100)}% 的主机不参与评分。`
  );
}

// ---- rightsizing --------------------------------------------------------------------------------------------------

export interface HostSpec {
  resourceId: string;
  name: string;
  vcpu: number;
  memoryGb: number;
}

export type HostVerdict =
  | { kind: 'no_data'; reason: 'no_samples' | 'too_few_hours' }
  | { kind: 'ok' }
  | { kind: 'idle' | 'oversized'; proposedVcpu: number; proposedMemoryGb: number };

/** The smallest standard size (1, 2, 4, 8 …) at or above `needed`, at least 1. */
export function standardSize(needed: Dec): number {
  let s = 1;
  while (new Dec(s).lessThan(needed)) s *= 2;
  return s;
}

/** A dimension's size for its p95 to reach the target: current × p95 ÷ target rounded up to a standard size. */
function sizeFor(current: number, p95: number | null, target: number, oversizeBelow: number): number {
  if (p95 === null || p95 >= oversizeBelow) return current;
  const needed = new Dec(current).times(String(p95)).dividedBy(String(target));
  return Math.min(current, standardSize(needed));
}

/** Judges one host over the evidence window: idle, oversized (with the advised size), fine, or not enough data. */
export function judgeHost(spec: HostSpec, u: HostUtilisation | undefined, t: Thresholds): HostVerdict {
  if (!u || (u.cpuP95 === null && u.memP95 === null)) return { kind: 'no_data', reason: 'no_samples' };
  if (u.hoursInWindow <= 0 || u.hoursWithData / u.hoursInWindow < t.minHoursShare) return { kind: 'no_data', reason: 'too_few_hours' };
  const proposedVcpu = sizeFor(spec.vcpu, u.cpuP95, t.cpuTargetP95, t.oversizeCpuP95);
  const proposedMemoryGb = sizeFor(spec.memoryGb, u.memP95, t.memTargetP95, t.oversizeMemP95);
  const idle = u.cpuP95 !== null && u.cpuP95 < t.idleCpuP95;
  if (proposedVcpu >= spec.vcpu && proposedMemoryGb >= spec.memoryGb) return idle ? { kind: 'idle', proposedVcpu: spec.vcpu, proposedMemoryGb: spec.memoryGb } : { kind: 'ok' };
  return { kind: idle ? 'idle' : 'oversized', proposedVcpu, proposedMemoryGb };
}

export interface PriceOf { vcpu: string | null; memoryGb: string | null }

export interface Saving {
  /** null when a needed price is missing from the provider's list (reported, never guessed). */
  amount: string | null;
  explanation: string;
}

/**
 * Monthly saving of a resize at the provider's prices (catalog 1001 vCPU per core, 1002 memory per GB, 元/月):
 * "4 vCPU → 2 vCPU，16 GB → 8 GB，每月节省 2 × 14.02 + 8 × 41.15 = 357.24 元". Exact decimals, half-up to 0.01 元.
 */
export function savingOf(spec: HostSpec, proposedVcpu: number, proposedMemoryGb: number, price: PriceOf): Saving {
  const parts: string[] = [];
  const terms: string[] = [];
  let total = new Dec(0);
  let missing = false;
  const dim = (cur: number, next: number, unit: string, p: string | null, label: string) => {
    if (next >= cur) return;
    parts.push(`${cur} ${unit} → ${next} ${unit}`);
    if (p === null) {
      missing = true;
      terms.push(`${cur - next} × (${label}无价格)`);
      return;
    }
    terms.push(`${cur - next} × ${new Dec(p).toFixed(2)}`);
    total = total.plus(new Dec(cur - next).times(p));
  };
  dim(spec.vcpu, proposedVcpu, 'vCPU', price.vcpu, 'vCPU');
  dim(spec.memoryGb, proposedMemoryGb, 'GB', price.memoryGb, '内存');
  if (!parts.length) return { amount: '0.00', explanation: '配置与使用相符，无需调整' };
  if (missing) return { amount: null, explanation: `${parts.join('，')}；该云服务商价格清单缺少对应计价项，无法计算节省金额` };
  const amount = roundYuan(total).toFixed(2);
  return { amount, explanation: `${parts.join('，')}，每月节省 ${terms.join(' + ')} = ${amount} 元` };
}

// ---- efficiency score of a group of hosts -------------------------------------------------------------------------

export interface GroupHost { spec: HostSpec; u: HostUtilisation | undefined; verdict: HostVerdict }

export interface EfficiencyFigures {
  hosts: number;
  judged: number;
  cpuP95: string | null;
  cpuAvg: string | null;
  memP95: string | null;
  memAvg: string | null;
  idleHosts: number | null;
  oversizedHosts: number | null;
  components: Record<WeightKey, string | null>;
  score: string | null;
  /** Why the score is null: no utilisation source wired, or no host with enough data. */
  missing: 'no_data_source' | 'no_data' | null;
}

const weighted = (hosts: GroupHost[], pick: (u: HostUtilisation) => number | null, weight: (s: HostSpec) => number): Dec | null => {
  let num = new Dec(0);
  let den = new Dec(0);
  for (const h of hosts) {
    const v = h.u ? pick(h.u) : null;
    const w = weight(h.spec);
    if (v === null || w <= 0) continue;
    num = num.plus(new Dec(String(v)).times(w));
    den = den.plus(w);
  }
  return den.isZero() ? null : num.dividedBy(den);
};

/** Efficiency figures and score (0–100, 2 decimals) of a unit's or a system's hosts with the month's formula. */
export function efficiencyOf(hosts: GroupHost[], f: Pick<Formula, 'weights' | 'thresholds'>, sourceWired: boolean): EfficiencyFigures {
  const none: Record<WeightKey, string | null> = { cpu: null, memory: null, idle: null, oversized: null };
  if (!sourceWired) return { hosts: hosts.length, judged: 0, cpuP95: null, cpuAvg: null, memP95: null, memAvg: null, idleHosts: null, oversizedHosts: null, components: none, score: null, missing: 'no_data_source' };
  const judged = hosts.filter((h) => h.verdict.kind !== 'no_data');
  const cpuP95 = weighted(judged, (u) => u.cpuP95, (s) => s.vcpu);
  const cpuAvg = weighted(judged, (u) => u.cpuAvg, (s) => s.vcpu);
  const memP95 = weighted(judged, (u) => u.memP95, (s) => s.memoryGb);
  const memAvg = weighted(judged, (u) => u.memAvg, (s) => s.memoryGb);
  const idle = judged.filter((h) => h.verdict.kind === 'idle').length;
  const oversized = judged.filter((h) => h.verdict.kind === 'oversized').length;
  const fmt = (d: Dec | null) => (d === null ? null : d.toDecimalPlaces(2).toFixed(2));
  const base = { hosts: hosts.length, judged: judged.length, cpuP95: fmt(cpuP95), cpuAvg: fmt(cpuAvg), memP95: fmt(memP95), memAvg: fmt(memAvg), idleHosts: idle, oversizedHosts: oversized };
  if (!judged.length || cpuP95 === null || memP95 === null) return { ...base, components: none, score: null, missing: 'no_data' };
  const cap = (d: Dec) => Dec.min(100, d);
  const comp = {
    cpu: cap(cpuP95.dividedBy(String(f.thresholds.cpuTargetP95)).times(100)),
    memory: cap(memP95.dividedBy(String(f.thresholds.memTargetP95)).times(100)),
    idle: new Dec(1).minus(new Dec(idle).dividedBy(judged.length)).times(100),
    oversized: new Dec(1).minus(new Dec(oversized).dividedBy(judged.length)).times(100),
  };
  let score = new Dec(0);
  for (const k of WEIGHT_KEYS) score = score.plus(comp[k].times(String(f.weights[k])).dividedBy(100));
  return {
    ...base,
    components: { cpu: fmt(comp.cpu), memory: fmt(comp.memory), idle: fmt(comp.idle), oversized: fmt(comp.oversized) },
    score: score.toDecimalPlaces(2).toFixed(2),
    missing: null,
  };
}

// ---- provider indicators ------------------------------------------------------------------------------------------

export const INDICATOR_SOURCES = [
  'data_quality', 'sla', 'ticket_response', 'ticket_recovery', 'satisfaction', 'vuln_on_time', 'capacity_on_time', 'drills', 'qualifications', 'inspections', 'manual',
] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

/**
 * Scoring rules (0–100 per indicator):
 * - `ratio_at_least`: value is a ratio 0–1; 100 at or above `target`, else 100 × value ÷ target.
 * - `minutes_at_most`: value in minutes; 100 at or below `target`, else 100 × target ÷ value.
 * - `rating_of_5`: value is an average rating 1–5; 100 × value ÷ 5.
 * - `boolean`: 100 when true, 0 when false.
 * - `manual`: a supervision officer's score from 0 to `max`, scaled to 100 × score ÷ max.
 */
export type ScoringRule =
  | { type: 'ratio_at_least'; target: number }
  | { type: 'minutes_at_most'; target: number }
  | { type: 'rating_of_5' }
  | { type: 'boolean' }
  | { type: 'manual'; max: number };

export interface IndicatorDef { code: string; name: string; weight: number; source: IndicatorSource; rule: ScoringRule; description?: string }
export interface DimensionDef { code: string; name: string; indicators: IndicatorDef[] }
export interface GradeDef { grade: string; min: number }

/** Indicator weights are points of 100: all of a set's indicators add up to exactly 100; codes unique. */
export function validateIndicatorSet(dimensions: DimensionDef[], grades: GradeDef[]): void {
  const issues: FieldIssue[] = [];
  const codes = new Set<string>();
  let total = new Dec(0);
  dimensions.forEach((d, i) => {
    if (!d.indicators.length) issues.push({ field: `body.dimensions[${i}].indicators`, rule: 'min_1', message: 'a dimension has at least one indicator' });
    d.indicators.forEach((ind, j) => {
      if (codes.has(ind.code)) issues.push({ field: `body.dimensions[${i}].indicators[${j}].code`, rule: 'unique', message: 'indicator codes are unique in a set', value: ind.code });
      codes.add(ind.code);
      if (!(ind.weight > 0 && ind.weight <= 100)) issues.push({ field: `body.dimensions[${i}].indicators[${j}].weight`, rule: 'range_0_100', message: 'a weight above 0, at most 100', value: ind.weight });
      else total = total.plus(String(ind.weight));
      if (ind.source === 'manual' && ind.rule.type !== 'manual') issues.push({ field: `body.dimensions[${i}].indicators[${j}].rule`, rule: 'manual_rule', message: 'a manual indicator has the manual rule', value: ind.rule.type });
      if (ind.source !== 'manual' && ind.rule.type === 'manual') issues.push({ field: `body.dimensions[${i}].indicators[${j}].rule`, rule: 'data_rule', message: 'a data-driven indicator needs a data rule', value: ind.rule.type });
    });
  });
  if (issues.length) throw new AppError('validation', 'evaluation.invalid_indicators', 'Some indicators are invalid', { issues });
  if (!total.equals(100)) {
    throw new AppError('validation', 'evaluation.weights_sum', `The indicator weights add up to ${total.toString()}, not 100`, {
      issues: [{ field: 'body.dimensions', rule: 'sum_100', message: `the indicator weights add up to ${total.toString()}; they must add up to 100`, value: total.toString() }],
    });
  }
  const mins = grades.map((g) => g.min);
  if (!grades.length || mins.some((m, i) => !(m >= 0 && m <= 100) || (i > 0 && m >= mins[i - 1]!))) {
    throw new AppError('validation', 'evaluation.invalid_grades', 'Grades go best first with falling minimum scores from 100 to 0', { issues: [{ field: 'body.grades', rule: 'descending', message: 'best grade first, minimums falling, within 0–100' }] });
  }
}

/** Score 0–100 (2 decimals) of one indicator's value under its rule. */
export function scoreIndicator(rule: ScoringRule, value: number | boolean): string {
  let s: Dec;
  switch (rule.type) {
    case 'ratio_at_least':
      s = Number(value) >= rule.target ? new Dec(100) : new Dec(String(Number(value))).dividedBy(String(rule.target)).times(100);
      break;
    case 'minutes_at_most':
      s = Number(value) <= rule.target ? new Dec(100) : new Dec(String(rule.target)).dividedBy(String(Number(value))).times(100);
      break;
    case 'rating_of_5':
      s = new Dec(String(Number(value))).dividedBy(5).times(100);
      break;
    case 'boolean':
      s = new Dec(value ? 100 : 0);
      break;
    case 'manual':
      s = new Dec(String(Number(value))).dividedBy(String(rule.max)).times(100);
      break;
  }
  return Dec.max(0, Dec.min(100, s)).toDecimalPlaces(2).toFixed(2);
}

export interface IndicatorResult {
  code: string;
  name: string;
  dimension: string;
  weight: number;
  source: IndicatorSource;
  status: 'ok' | 'no_data_source' | 'no_data' | 'not_scored';
  value: string | null;
  score: string | null;
  evidence: string;
}

/**
 * Total of a provider: Σ weight × score ÷ 100 over the indicators that have a score, rescaled to the weight they
 * cover (`coverage`, points of 100) so a missing source lowers coverage, not the score. No grade below 50 points of
 * coverage.
 */
export function totalOf(results: IndicatorResult[], grades: GradeDef[]): { total: string | null; coverage: string; grade: string | null } {
  let covered = new Dec(0);
  let sum = new Dec(0);
  for (const r of results) {
    if (r.score === null) continue;
    covered = covered.plus(String(r.weight));
    sum = sum.plus(new Dec(String(r.weight)).times(r.score).dividedBy(100));
  }
  if (covered.isZero()) return { total: null, coverage: '0', grade: null };
  const total = sum.times(100).dividedBy(covered).toDecimalPlaces(2);
  const grade = covered.lessThan(50) ? null : (grades.find((g) => total.greaterThanOrEqualTo(g.min))?.grade ?? null);
  return { total: total.toFixed(2), coverage: covered.toString(), grade };
}
