import { describe, expect, it } from 'vitest';
import { plannedWindowCovers } from './monitoring.service.js';
import { METRIC_BY_NAME, addDays, checkInstant, checkValue, decide, dedupePoints, percentile, timeLeft } from './monitoring.metrics.js';

describe('metric rules', () => {
  it('refuses a percentage above 100 and a negative rate, accepts 0 and 100', () => {
    const cpu = METRIC_BY_NAME.get('cpu')!;
    expect(checkValue(cpu, '100.5', 3)).toMatchObject({ index: 3, field: 'cpuUsage', rule: 'percent_0_100' });
    expect(checkValue(cpu, '100', 3)).toBeNull();
    expect(checkValue(cpu, '0', 3)).toBeNull();
    expect(checkValue(METRIC_BY_NAME.get('net_up')!, '-1', 0)).toMatchObject({ rule: 'non_negative' });
  });
  it('refuses instants more than 10 minutes ahead or older than the retention', () => {
    const now = Date.UTC(2026, 11, 6, 12);
    expect(checkInstant(now + 11 * 60_000, now, 30, 0, 'monitoredAt', 'x')).toMatchObject({ rule: 'not_future' });
    expect(checkInstant(now + 9 * 60_000, now, 30, 0, 'monitoredAt', 'x')).toBeNull();
    expect(checkInstant(now - 31 * 86_400_000, now, 30, 0, 'monitoredAt', 'x')).toMatchObject({ rule: 'within_retention' });
  });
  it('keeps the last of duplicate points of one batch', () => {
    const d = dedupePoints([{ seriesKey: 'a', metric: 1, at: 1, value: 1 }, { seriesKey: 'a', metric: 1, at: 1, value: 2 }, { seriesKey: 'a', metric: 2, at: 1, value: 3 }]);
    expect(d).toEqual([{ seriesKey: 'a', metric: 1, at: 1, value: 2 }, { seriesKey: 'a', metric: 2, at: 1, value: 3 }]);
  });
  it('percentile_cont like PostgreSQL', () => {
    expect(percentile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 10);
    expect(percentile([], 0.95)).toBeNull();
  });
  it('timeleft on a rising line, null on a flat one, 0 when already above', () => {
    const pts = [0, 1, 2, 3].map((h) => ({ x: h * 3_600_000, y: 50 + 10 * h }));
    expect(timeLeft(pts, 95, 3 * 3_600_000)! / 3_600_000).toBeCloseTo(1.5, 6);
    expect(timeLeft([0, 1, 2].map((h) => ({ x: h, y: 50 })), 95, 2)).toBeNull();
    expect(timeLeft(pts, 60, 3 * 3_600_000)).toBe(0);
  });
  it('hysteresis: fire above the threshold, clear at or under the recovery, hold between', () => {
    const rule = { kind: 'threshold' as const, op: 'gt' as const, threshold: 90, recovery: 80, horizonHours: null };
    expect(decide(rule, 95, false)).toBe('fire');
    expect(decide(rule, 85, true)).toBe('hold');
    expect(decide(rule, 80, true)).toBe('clear');
    expect(decide(rule, null, true)).toBe('hold');
    const fc = { kind: 'forecast' as const, op: 'gt' as const, threshold: 95, recovery: 336, horizonHours: 168 };
    expect(decide(fc, 100, false)).toBe('fire');
    expect(decide(fc, 200, true)).toBe('hold');
    expect(decide(fc, null, true)).toBe('clear');
  });
  it('natural days across a month end', () => {
    expect(addDays('2026-11-28', 7)).toBe('2026-12-05');
  });
});

describe('planned work windows', () => {
  const w = { changeId: 'c', title: 't', providerOrgId: 'p1' as string | null, nodeId: null as string | null, systemIds: [] as string[], hostIds: [] as string[], startsAt: new Date(0), endsAt: new Date(1) };
  const s = { provider_org_id: 'p1', node_id: 'n1', system_id: 's1', resource_id: 'h1' };
  it('covers the hosts and systems it names, else its node, else its provider; nothing named covers nothing', () => {
    expect(plannedWindowCovers({ ...w, hostIds: ['h1'] }, s)).toBe(true);
    expect(plannedWindowCovers({ ...w, hostIds: ['h2'] }, s)).toBe(false);
    expect(plannedWindowCovers({ ...w, systemIds: ['s1'], nodeId: 'n2' }, s)).toBe(true);
    expect(plannedWindowCovers({ ...w, hostIds: ['h1'], providerOrgId: 'p2' }, s)).toBe(false);
    expect(plannedWindowCovers({ ...w, nodeId: 'n1' }, s)).toBe(true);
    expect(plannedWindowCovers({ ...w, nodeId: 'n2' }, s)).toBe(false);
    expect(plannedWindowCovers(w, s)).toBe(true);
    expect(plannedWindowCovers({ ...w, providerOrgId: null }, s)).toBe(false);
  });
});
