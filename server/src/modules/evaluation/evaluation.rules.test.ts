import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_GRADES, SET_003, SET_004 } from './evaluation.indicators.js';
import { efficiencyOf, judgeHost, savingOf, scoreIndicator, standardSize, totalOf, validateFormula, validateIndicatorSet, type GroupHost, type HostSpec, type IndicatorResult, type Thresholds } from './evaluation.rules.js';
import type { HostUtilisation } from './evaluation.sources.js';
import { Dec } from '../../platform/money.js';

const T: Thresholds = { cpuTargetP95: 60, memTargetP95: 70, idleCpuP95: 5, oversizeCpuP95: 30, oversizeMemP95: 40, minHoursShare: 0.8 };
const W = { cpu: 35, memory: 35, idle: 15, oversized: 15 };
const util = (resourceId: string, cpuP95: number | null, memP95: number | null, hours = 720): HostUtilisation => ({
  resourceId, systemId: 's', unitOrgId: 'u', providerOrgId: 'p', nodeId: 'n', cpuP95, cpuAvg: cpuP95 === null ? null : cpuP95 / 2, memP95, memAvg: memP95 === null ? null : memP95 / 2, hoursWithData: hours, hoursInWindow: 720,
});
const spec = (resourceId: string, vcpu: number, memoryGb: number): HostSpec => ({ resourceId, name: resourceId, vcpu, memoryGb });

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('efficiency formula', () => {
  it('refuses weights that do not add up to 100, naming the sum', () => {
    const e = caught(() => validateFormula({ cpu: 40, memory: 35, idle: 15, oversized: 15 }, T));
    expect(e.code).toBe('evaluation.weights_sum');
    expect(e.message).toContain('105');
    expect(() => validateFormula(W, T)).not.toThrow();
    expect(() => validateFormula({ cpu: 33.3, memory: 33.3, idle: 33.4, oversized: 0 }, T)).not.toThrow();
    expect(caught(() => validateFormula({ cpu: -5, memory: 55, idle: 25, oversized: 25 }, T)).code).toBe('evaluation.invalid_weight');
    expect(caught(() => validateFormula(W, { ...T, idleCpuP95: 40 })).code).toBe('evaluation.invalid_threshold');
  });

  it('scores a unit on a hand-computed case', () => {
    // h1 4 vCPU/16 GB at p95 24%/30% → oversized; h2 2 vCPU/4 GB at 3%/50% → idle; h3 8 vCPU/32 GB at 66%/84% → fine.
    const hosts: GroupHost[] = [
      [spec('h1', 4, 16), util('h1', 24, 30)],
      [spec('h2', 2, 4), util('h2', 3, 50)],
      [spec('h3', 8, 32), util('h3', 66, 84)],
    ].map(([s, u]) => ({ spec: s as HostSpec, u: u as HostUtilisation, verdict: judgeHost(s as HostSpec, u as HostUtilisation, T) }));
    expect(hosts.map((h) => h.verdict.kind)).toEqual(['oversized', 'idle', 'ok']);
    const f = efficiencyOf(hosts, { weights: W, thresholds: T }, true);
    // CPU p95 weighted by vCPU: (4×24 + 2×3 + 8×66) / 14 = 630/14 = 45 → 45/60 = 75.
    // Memory p95 weighted by GB: (16×30 + 4×50 + 32×84) / 52 = 3368/52 = 64.769… → /70 = 92.527…
    // idle 1 of 3 → 66.666…; oversized 1 of 3 → 66.666…
    // score = .35×75 + .35×92.527… + .15×66.666… + .15×66.666… = 26.25 + 32.3846… + 10 + 10 = 78.6346… → 78.63
    expect(f).toMatchObject({ hosts: 3, judged: 3, cpuP95: '45.00', memP95: '64.77', idleHosts: 1, oversizedHosts: 1, components: { cpu: '75.00', memory: '92.53', idle: '66.67', oversized: '66.67' }, score: '78.63', missing: null });
  });

  it('says "no data source yet" instead of zero when utilisation is not wired, and no data when samples are too few', () => {
    const h: GroupHost[] = [{ spec: spec('h1', 4, 16), u: undefined, verdict: { kind: 'no_data', reason: 'no_samples' } }];
    expect(efficiencyOf(h, { weights: W, thresholds: T }, false)).toMatchObject({ score: null, missing: 'no_data_source', cpuP95: null, idleHosts: null });
    expect(judgeHost(spec('h1', 4, 16), util('h1', 2, 10, 500), T)).toEqual({ kind: 'no_data', reason: 'too_few_hours' });
    const few: GroupHost[] = [{ spec: spec('h1', 4, 16), u: util('h1', 2, 10, 500), verdict: judgeHost(spec('h1', 4, 16), util('h1', 2, 10, 500), T) }];
    expect(efficiencyOf(few, { weights: W, thresholds: T }, true)).toMatchObject({ score: null, missing: 'no_data', judged: 0 });
  });
});

describe('rightsizing', () => {
  it('advises 4 vCPU → 2 vCPU, 16 GB → 8 GB and prices it at the provider’s prices: 2 × 14.02 + 8 × 41.15 = 357.24 元/月', () => {
    const v = judgeHost(spec('h1', 4, 16), util('h1', 24, 30), T);
    // needed vCPU = 4 × 24 / 60 = 1.6 → 2; memory = 16 × 30 / 70 = 6.86 → 8
    expect(v).toEqual({ kind: 'oversized', proposedVcpu: 2, proposedMemoryGb: 8 });
    const s = savingOf(spec('h1', 4, 16), 2, 8, { vcpu: '14.02', memoryGb: '41.15' });
    expect(s).toEqual({ amount: '357.24', explanation: '4 vCPU → 2 vCPU，16 GB → 8 GB，每月节省 2 × 14.02 + 8 × 41.15 = 357.24 元' });
  });

  it('uses exact decimals at a provider’s discounted prices (0.1 + 0.2 style sums stay exact)', () => {
    // 85% of the caps: 11.917 → 11.92, 34.9775 → 34.98 (the price list stores 2 decimals)
    const s = savingOf(spec('h', 16, 64), 4, 16, { vcpu: '11.92', memoryGb: '34.98' });
    // 12 × 11.92 + 48 × 34.98 = 143.04 + 1679.04 = 1822.08
    expect(s.amount).toBe('1822.08');
    expect(savingOf(spec('h', 3, 7), 1, 7, { vcpu: '0.10', memoryGb: '0.20' }).amount).toBe('0.20');
  });

  it('keeps a dimension used above its oversize threshold and reports a missing price instead of guessing', () => {
    expect(judgeHost(spec('h', 8, 16), util('h', 45, 20), T)).toEqual({ kind: 'oversized', proposedVcpu: 8, proposedMemoryGb: 8 });
    expect(judgeHost(spec('h', 8, 16), util('h', 45, 55), T)).toEqual({ kind: 'ok' });
    expect(judgeHost(spec('h', 1, 1), util('h', 1, 5), T)).toEqual({ kind: 'idle', proposedVcpu: 1, proposedMemoryGb: 1 });
    const s = savingOf(spec('h', 8, 16), 8, 8, { vcpu: '14.02', memoryGb: null });
    expect(s.amount).toBeNull();
    expect(s.explanation).toContain('缺少');
    expect(standardSize(new Dec('0.2'))).toBe(1);
    expect(standardSize(new Dec('4'))).toBe(4);
    expect(standardSize(new Dec('4.01'))).toBe(8);
  });
});

describe('provider indicators', () => {
  it('scores each rule on hand-computed values', () => {
    expect(scoreIndicator({ type: 'ratio_at_least', target: 0.95 }, 0.97)).toBe('100.00');
    expect(scoreIndicator({ type: 'ratio_at_least', target: 0.95 }, 0.76)).toBe('80.00');
    expect(scoreIndicator({ type: 'minutes_at_most', target: 15 }, 12)).toBe('100.00');
    expect(scoreIndicator({ type: 'minutes_at_most', target: 15 }, 20)).toBe('75.00');
    expect(scoreIndicator({ type: 'rating_of_5' }, 4.5)).toBe('90.00');
    expect(scoreIndicator({ type: 'boolean' }, false)).toBe('0.00');
    expect(scoreIndicator({ type: 'manual', max: 10 }, 8.5)).toBe('85.00');
  });

  it('totals over the indicators with data, rescaled to their coverage, and grades', () => {
    const r = (weight: number, score: string | null): IndicatorResult => ({ code: String(weight), name: '', dimension: '', weight, source: 'sla', status: score === null ? 'no_data_source' : 'ok', value: null, score, evidence: '' });
    // (40 × 90 + 20 × 70) / 100 = 50 points over 60 covered → 83.33
    expect(totalOf([r(40, '90.00'), r(20, '70.00'), r(40, null)], DEFAULT_GRADES)).toEqual({ total: '83.33', coverage: '60', grade: '良好' });
    expect(totalOf([r(30, '95.00'), r(70, null)], DEFAULT_GRADES)).toEqual({ total: '95.00', coverage: '30', grade: null });
    expect(totalOf([r(100, null)], DEFAULT_GRADES)).toEqual({ total: null, coverage: '0', grade: null });
  });

  it('the seeded sets add up to 100 and a set that does not is refused', () => {
    expect(() => validateIndicatorSet(SET_004.dimensions, DEFAULT_GRADES)).not.toThrow();
    expect(() => validateIndicatorSet(SET_003.dimensions, DEFAULT_GRADES)).not.toThrow();
    expect(SET_004.dimensions.map((d) => d.name)).toEqual(['技术更新度', '平台安全度', '运维规范度', '业务专业度', '客户满意度']);
    expect(SET_003.dimensions.map((d) => d.name)).toEqual(['基础服务能力', '安全保障能力', '运维管理能力', '数据支撑能力', '用户服务能力']);
    const broken = structuredClone(SET_003.dimensions);
    broken[0]!.indicators[0]!.weight = 20;
    expect(caught(() => validateIndicatorSet(broken, DEFAULT_GRADES))).toMatchObject({ code: 'evaluation.weights_sum' });
    expect(caught(() => validateIndicatorSet(SET_003.dimensions, [{ grade: 'A', min: 60 }, { grade: 'B', min: 80 }]))).toMatchObject({ code: 'evaluation.invalid_grades' });
  });
});

describe('季评 quarter window and dimension scores', () => {
  it('a quarter is its three months, first to last day; anything else is refused naming the field', async () => {
    const { quarterWindow } = await import('./evaluation.service.js');
    expect(quarterWindow('2026-Q1')).toEqual({ months: ['2026-01', '2026-02', '2026-03'], first: '2026-01-01', last: '2026-03-31' });
    expect(quarterWindow('2024-Q4')).toEqual({ months: ['2024-10', '2024-11', '2024-12'], first: '2024-10-01', last: '2024-12-31' });
    expect(() => quarterWindow('2026-Q5', 'query.quarter')).toThrow(expect.objectContaining({ code: 'evaluation.invalid_quarter' }));
  });
  it('a dimension scores Σ weight × score ÷ Σ weight over its scored indicators; none scored → null (not 0)', async () => {
    const { dimensionScores } = await import('./evaluation.service.js');
    const r = (dimension: string, weight: number, score: string | null) => ({ code: `${dimension}${weight}`, name: 'x', dimension, weight, source: 'manual' as const, status: score === null ? ('not_scored' as const) : ('ok' as const), value: score, score, evidence: '' });
    const d = dimensionScores([r('A', 10, '80'), r('A', 30, '60'), r('A', 20, null), r('B', 5, null)]);
    // (10 × 80 + 30 × 60) ÷ 40 = 65
    expect(d.get('A')?.toFixed(2)).toBe('65.00');
    expect(d.get('B')).toBeNull();
  });
});
