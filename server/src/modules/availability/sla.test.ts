import { describe, expect, it } from 'vitest';
import { applyMaintenance, clipAndFill, figures, judge, mergeTimelines, monthRange, periodRange, ratioText, type Span } from './sla.js';

const H = 3_600_000;
const M = 60_000;

describe('time-weighted availability', () => {
  it('counts time, not beats; gaps are unknown, never up', () => {
    const spans: Span[] = [
      { state: 'up', start: 0, end: 10 * H },
      { state: 'down', start: 10 * H, end: 11 * H },
      { state: 'up', start: 12 * H, end: 24 * H },
    ];
    const f = figures(clipAndFill(spans, 0, 24 * H));
    expect(f.upMs).toBe(22 * H);
    expect(f.downMs).toBe(1 * H);
    expect(f.unknownMs).toBe(1 * H);
    expect(f.sli).toBeCloseTo(22 / 23, 10);
    expect(f.interruptions).toBe(1);
  });

  it('excludes maintenance: a down inside the window does not count', () => {
    const spans = clipAndFill([{ state: 'up', start: 0, end: 2 * H }, { state: 'down', start: 2 * H, end: 5 * H }, { state: 'up', start: 5 * H, end: 10 * H }], 0, 10 * H);
    const f = figures(applyMaintenance(spans, [{ start: 2 * H, end: 4 * H }]));
    expect(f.maintenanceMs).toBe(2 * H);
    expect(f.downMs).toBe(1 * H);
    expect(f.sli).toBeCloseTo(7 / 8, 10);
  });

  it('no measurement gives a null SLI, not 0 or 1', () => {
    const f = figures(clipAndFill([], 0, H));
    expect(f.sli).toBeNull();
    expect(f.unknownMs).toBe(H);
  });

  it('merges probes of one system: down wins, unknown before up', () => {
    const a = clipAndFill([{ state: 'up', start: 0, end: 10 * H }], 0, 10 * H);
    const b = clipAndFill([{ state: 'up', start: 0, end: 3 * H }, { state: 'down', start: 3 * H, end: 4 * H }, { state: 'up', start: 4 * H, end: 8 * H }], 0, 10 * H);
    const f = figures(mergeTimelines([a, b], 0, 10 * H));
    expect(f.downMs).toBe(H);
    expect(f.unknownMs).toBe(2 * H);
    expect(f.upMs).toBe(7 * H);
  });

  it('the longest interruption is one continuous down span', () => {
    const f = figures([
      { state: 'down', start: 0, end: 3 * H },
      { state: 'up', start: 3 * H, end: 4 * H },
      { state: 'down', start: 4 * H, end: 6 * H },
    ]);
    expect(f.longestDownMs).toBe(3 * H);
    expect(f.interruptions).toBe(2);
  });
});

describe('objective verdicts', () => {
  const year = periodRange('2026-03', 'year');
  const yearMs = year.to - year.from;
  it('an interruption over 4 h breaks the objective even when the SLI is above target', () => {
    const month = figures([{ state: 'up', start: 0, end: 30 * 24 * H }, { state: 'down', start: 30 * 24 * H, end: 30 * 24 * H + 4 * H + M }]);
    expect(month.sli!).toBeGreaterThan(0.99);
    const v = judge({ target: 0.99, maxInterruptionMinutes: 240, maxYearlyFaultMinutes: null }, month, { periodMs: yearMs, elapsedMs: yearMs / 4, periodDownMs: month.downMs, periodMeasuredMs: month.upMs + month.downMs });
    expect(v.met).toBe(false);
    expect(v.reasons.join()).toContain('240');
  });
  it('exactly 4 h is within the limit', () => {
    const month = figures([{ state: 'up', start: 0, end: 30 * 24 * H }, { state: 'down', start: 30 * 24 * H, end: 30 * 24 * H + 4 * H }]);
    const v = judge({ target: 0.99, maxInterruptionMinutes: 240, maxYearlyFaultMinutes: null }, month, { periodMs: yearMs, elapsedMs: yearMs / 4, periodDownMs: month.downMs, periodMeasuredMs: 1 });
    expect(v.met).toBe(true);
  });
  it('the yearly fault limit (≤ 4 h a year) adds up over months', () => {
    const month = figures([{ state: 'up', start: 0, end: 30 * 24 * H }, { state: 'down', start: 30 * 24 * H, end: 30 * 24 * H + 60 * M }]);
    const v = judge({ target: 0.999, maxInterruptionMinutes: 240, maxYearlyFaultMinutes: 240 }, month, { periodMs: yearMs, elapsedMs: yearMs / 2, periodDownMs: 241 * M, periodMeasuredMs: 1 });
    expect(v.met).toBe(false);
    expect(v.budgetLeftMinutes).toBe(Math.floor((0.001 * yearMs - 241 * M) / M));
  });
  it('99.9 % a year allows about 525 minutes; the burn rate warns early', () => {
    const v = judge({ target: 0.999, maxInterruptionMinutes: null, maxYearlyFaultMinutes: null }, figures([{ state: 'up', start: 0, end: H }]), { periodMs: yearMs, elapsedMs: yearMs / 12, periodDownMs: 60 * M, periodMeasuredMs: 1 });
    expect(v.budgetLeftMinutes).toBe(Math.floor((0.001 * yearMs) / M) - 60);
    expect(v.burnWarning).toBe(true);
  });
  it('an unmeasured month is null', () => {
    const v = judge({ target: 0.999, maxInterruptionMinutes: 240, maxYearlyFaultMinutes: null }, figures([{ state: 'unknown', start: 0, end: H }]), { periodMs: yearMs, elapsedMs: 1, periodDownMs: 0, periodMeasuredMs: 0 });
    expect(v.met).toBeNull();
    expect(v.budgetLeftMinutes).toBeNull();
  });
});

describe('helpers', () => {
  it('truncates ratios', () => expect(ratioText(0.99989, 4)).toBe('0.9998'));
  it('months in Asia/Shanghai', () => {
    expect(new Date(monthRange('2026-01').from).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(new Date(periodRange('2026-05', 'quarter').from).toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });
});
