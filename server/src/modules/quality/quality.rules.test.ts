import { describe, expect, it } from 'vitest';
import { INTERFACE_TABLES } from '../ingestion/index.js';
import {
  addDays,
  dayStart,
  daysBetween,
  elapsedSlots,
  figuresOf,
  isDay,
  isoWeek,
  isoWeekStart,
  methodOf,
  periodEnded,
  providerFigures,
  scoreOf,
  shanghaiDay,
} from './quality.rules.js';
import { Decimal } from 'decimal.js';

describe('calendar (Beijing time)', () => {
  it('a day starts at 00:00 +08:00', () => {
    expect(dayStart('2026-11-30').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(shanghaiDay(new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-11-29');
    expect(shanghaiDay(new Date('2026-11-29T16:00:00.000Z'))).toBe('2026-11-30');
  });

  it('validates dates', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-1-01')).toBe(false);
    expect(() => dayStart('2026-13-01')).toThrow(/not a date/);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(4);
  });

  it('prorates today to the finished 5-minute slots', () => {
    const day = '2026-11-30';
    const start = dayStart(day).getTime();
    expect(elapsedSlots(day, new Date(start - 1))).toBe(0);
    expect(elapsedSlots(day, new Date(start + 4 * 60_000 + 59_999))).toBe(0);
    expect(elapsedSlots(day, new Date(start + 5 * 60_000))).toBe(1);
    expect(elapsedSlots(day, new Date(start + 12 * 3600_000 + 7 * 60_000))).toBe(144 + 1);
    expect(elapsedSlots(day, new Date(start + 24 * 3600_000 - 1))).toBe(287);
    expect(elapsedSlots(day, new Date(start + 24 * 3600_000))).toBe(288);
    expect(elapsedSlots(day, new Date(start + 10 * 24 * 3600_000))).toBe(288);
  });

  it('ISO weeks across the year end', () => {
    // 2026-12-31 is a Thursday: its week (Mon 2026-12-28) is 2026-W53; 2027-01-01..03 belong to it too.
    expect(isoWeekStart('2026-12-31')).toBe('2026-12-28');
    expect(isoWeekStart('2027-01-03')).toBe('2026-12-28');
    expect(isoWeek('2027-01-03').label).toBe('2026-W53');
    expect(isoWeekStart('2027-01-04')).toBe('2027-01-04');
    expect(isoWeek('2027-01-04').label).toBe('2027-W01');
    // 2024-12-30 (Monday) starts 2025-W01.
    expect(isoWeek('2024-12-30').label).toBe('2025-W01');
    expect(isoWeek('2024-12-29').label).toBe('2024-W52');
    // 2021-01-03 (Sunday) is still 2020-W53.
    expect(isoWeek('2021-01-03').label).toBe('2020-W53');
    expect(isoWeekStart('2026-11-30')).toBe('2026-11-30');
    expect(isoWeekStart('2026-12-06')).toBe('2026-11-30');
  });

  it('a week has ended at the next Monday 00:00 Beijing time', () => {
    const nextMonday = dayStart('2027-01-04').getTime();
    expect(periodEnded('2026-12-28', 7, new Date(nextMonday - 1))).toBe(false);
    expect(periodEnded('2026-12-28', 7, new Date(nextMonday))).toBe(true);
  });
});

describe('ratios and score', () => {
  it('completeness is capped at 1', () => {
    const f = figuresOf({ expected: 288, received: 300, onTime: 10, accepted: 10, rejected: 0 });
    expect(f.completeness).toBe('1.0000');
    expect(f.score).toBe('100.00');
    expect(f.meetsTarget).toBe(true);
  });

  it('rounds half-up from the exact fractions', () => {
    // 547/576 = 0.949652…, 1/3 = 0.3333…, 2/3
    const f = figuresOf({ expected: 576, received: 547, onTime: 1, accepted: 3, rejected: 0 });
    expect(f.completeness).toBe('0.9497');
    expect(f.timeliness).toBe('0.3333');
    expect(f.validity).toBe('1.0000');
    expect(f.meetsTarget).toBe(false);
    // 100 × (0.6 × 547/576 + 0.2/3 + 0.2) = 83.645833… → 83.65
    expect(f.score).toBe('83.65');
    // exactly .xx5 rounds up: 0.6 × 1/8 × 100 = 7.5, + 0.2 × 0.00125 × 100 = 0.025 → 7.525 → 7.53
    expect(scoreOf(new Decimal('0.125'), new Decimal('0.00125'), new Decimal(0))).toBe('7.53');
    expect(figuresOf({ expected: 8, received: 1, onTime: 0, accepted: 0, rejected: 0 }).score).toBe('7.50');
  });

  it('95% exactly meets the target; just below does not', () => {
    expect(figuresOf({ expected: 20, received: 19, onTime: 0, accepted: 0, rejected: 0 }).meetsTarget).toBe(true);
    // 18999/20000 = 0.94995 rounds to 0.9500 for display but is below the target.
    const f = figuresOf({ expected: 20000, received: 18999, onTime: 0, accepted: 0, rejected: 0 });
    expect(f.completeness).toBe('0.9500');
    expect(f.meetsTarget).toBe(false);
  });

  it('undefined ratios: nothing due gives no score; nothing arrived counts 0', () => {
    const pending = figuresOf({ expected: 0, received: 0, onTime: 0, accepted: 0, rejected: 0 });
    expect(pending).toEqual({ completeness: null, timeliness: null, validity: null, score: null, meetsTarget: null });
    const missing = figuresOf({ expected: 288, received: 0, onTime: 0, accepted: 0, rejected: 0 });
    expect(missing).toEqual({ completeness: '0.0000', timeliness: null, validity: null, score: '0.00', meetsTarget: false });
    const allRejected = figuresOf({ expected: 1, received: 0, onTime: 0, accepted: 0, rejected: 5 });
    expect(allRejected.validity).toBe('0.0000');
    expect(allRejected.score).toBe('0.00');
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => figuresOf({ expected: '1.5', received: 0, onTime: 0, accepted: 0, rejected: 0 })).toThrow(/whole number/);
    expect(() => figuresOf({ expected: -1, received: 0, onTime: 0, accepted: 0, rejected: 0 })).toThrow(/whole number/);
  });

  it('a provider: mean completeness over tables, record shares for timeliness and validity', () => {
    const p = providerFigures([
      { table: 'cloudHostMonitoring', expected: '576', receivedCapped: '576', onTime: '500', accepted: '576', rejected: '24' },
      { table: 'assets', expected: '1', receivedCapped: '0', onTime: '0', accepted: '0', rejected: '0' },
      { table: 'tcp', expected: '0', receivedCapped: '0', onTime: '0', accepted: '0', rejected: '0' },
    ]);
    expect(p.tablesCounted).toBe(2);
    expect(p.completeness).toBe('0.5000');
    expect(p.timeliness).toBe('0.8681'); // 500/576
    expect(p.validity).toBe('0.9600'); // 576/600
    // 100 × (0.6 × 0.5 + 0.2 × 500/576 + 0.2 × 0.96) = 66.5611… → 66.56
    expect(p.score).toBe('66.56');
    expect(p.tablesBelowTarget).toEqual(['assets']);
    expect(providerFigures([]).score).toBeNull();
  });
});

describe('completeness method per table', () => {
  it('classifies every interface table', () => {
    const by = Object.fromEntries(INTERFACE_TABLES.map((t) => [t.name, methodOf(t)]));
    expect(Object.keys(by)).toHaveLength(35);
    expect(by.cloudHostMonitoring).toBe('host_samples');
    expect(by.temperatureHumiditySensor).toBe('device_samples');
    expect(by.appNetworkEgress).toBe('device_samples');
    expect(by.tcp).toBe('event_slots');
    expect(by.hostLog).toBe('event_slots');
    expect(by.opsMonitoring).toBe('event_slots');
    expect(by.cloudHostSpec).toBe('daily');
    expect(by.assets).toBe('weekly');
    expect(by.securityAttack).toBe('weekly');
  });
});
