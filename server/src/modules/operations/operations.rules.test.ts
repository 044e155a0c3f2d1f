import { describe, expect, it } from 'vitest';
import { checkStaffing, coverageGaps, expectedSlots, overlappingShifts, requiredDrills, slotAt, minutesBetween, trainingObligation, addMonths, policyUpdateState } from './operations.rules.js';

const d = (s: string) => new Date(s);

describe('expected inspection slots (Asia/Shanghai)', () => {
  it('divides a local day into equal slots from 00:00 Beijing time', () => {
    const slots = expectedSlots({ frequency: 'daily', timesPerDay: 4, validFrom: d('2026-01-01T00:00:00+08:00'), validTo: null }, d('2026-03-02T00:00:00+08:00'), d('2026-03-03T00:00:00+08:00'));
    expect(slots.map((s) => s.start.toISOString())).toEqual(['2026-03-01T16:00:00.000Z', '2026-03-01T22:00:00.000Z', '2026-03-02T04:00:00.000Z', '2026-03-02T10:00:00.000Z']);
    expect(slots[3]!.end.toISOString()).toBe('2026-03-02T16:00:00.000Z');
  });
  it('weekly plans have one slot per ISO week from Monday 00:00, within the validity', () => {
    const plan = { frequency: 'weekly' as const, timesPerDay: 1, validFrom: d('2026-03-04T00:00:00+08:00'), validTo: d('2026-03-30T00:00:00+08:00') };
    const slots = expectedSlots(plan, d('2026-03-01T00:00:00+08:00'), d('2026-04-30T00:00:00+08:00'));
    // 2026-03-09, 16, 23 are Mondays; 03-02 starts before validFrom; 03-30 is the validity end.
    expect(slots.map((s) => s.start.toISOString())).toEqual(['2026-03-08T16:00:00.000Z', '2026-03-15T16:00:00.000Z', '2026-03-22T16:00:00.000Z']);
    expect(slotAt(plan, d('2026-03-18T10:00:00+08:00'))!.start.toISOString()).toBe('2026-03-15T16:00:00.000Z');
    expect(slotAt(plan, d('2026-04-18T10:00:00+08:00'))).toBeNull();
  });
  it('finds the slot of an instant (3 a day: 00–08, 08–16, 16–24)', () => {
    const s = slotAt({ frequency: 'daily', timesPerDay: 3, validFrom: d('2026-01-01T00:00:00+08:00'), validTo: null }, d('2026-05-05T15:59:00+08:00'))!;
    expect([s.start.toISOString(), s.end.toISOString()]).toEqual(['2026-05-05T00:00:00.000Z', '2026-05-05T08:00:00.000Z']);
  });
});

describe('duty coverage', () => {
  const from = d('2026-01-01T00:00:00Z');
  const to = d('2026-01-02T00:00:00Z');
  const at = (h: number) => new Date(from.getTime() + h * 3_600_000);
  it('reports each uncovered interval', () => {
    expect(coverageGaps([{ start: at(1), end: at(8) }, { start: at(6), end: at(12) }, { start: at(14), end: at(20) }], from, to)).toEqual([
      { start: at(0), end: at(1) },
      { start: at(12), end: at(14) },
      { start: at(20), end: at(24) },
    ]);
    expect(coverageGaps([{ start: at(-2), end: at(30) }], from, to)).toEqual([]);
  });
  it('finds overlapping shifts of one person only', () => {
    const shifts = [
      { person: 'a', start: at(0), end: at(8) },
      { person: 'b', start: at(4), end: at(12) },
      { person: 'a', start: at(7), end: at(9) },
      { person: 'a', start: at(9), end: at(10) },
    ];
    expect(overlappingShifts(shifts)).toEqual([[shifts[0], shifts[2]]]);
  });
});

describe('thresholds and obligations', () => {
  it('checks on-site, core and security-auditor staffing (30 on site in key periods)', () => {
    const staff = Array.from({ length: 22 }, (_, i) => ({ placement: 'onsite', core: i < 10, post: i === 0 ? 'security_auditor' : 'ops_engineer' }));
    expect(checkStaffing(staff).problems).toEqual([]);
    expect(checkStaffing(staff, true).problems).toEqual(['onsite_below_threshold']);
    expect(checkStaffing(staff.slice(1)).problems).toEqual(['core_below_threshold', 'no_security_auditor']);
  });
  it('requires provider drills 4 a year (pro rata, at least 1), platform 1, management 2 a period', () => {
    const y = { from: d('2026-01-01T00:00:00+08:00'), to: d('2027-01-01T00:00:00+08:00') };
    expect(requiredDrills('provider', y.from, y.to)).toBe(4);
    expect(requiredDrills('platform', y.from, y.to)).toBe(1);
    expect(requiredDrills('management', y.from, y.to)).toBe(2);
    expect(requiredDrills('provider', y.from, d('2026-07-01T00:00:00+08:00'))).toBe(2);
    expect(requiredDrills('provider', y.from, d('2026-01-10T00:00:00+08:00'))).toBe(1);
  });
});

describe('coverage gaps a swap creates', () => {
  it('subtracts the gaps the roster already had', async () => {
    const { newCoverageGaps } = await import('./operations.rules.js');
    const before = [{ start: d('2026-01-01T00:00:00Z'), end: d('2026-01-01T08:00:00Z') }, { start: d('2026-01-01T10:00:00Z'), end: d('2026-01-01T24:00:00Z') }];
    const after = [{ start: d('2026-01-01T00:00:00Z'), end: d('2026-01-01T06:00:00Z') }, { start: d('2026-01-01T10:00:00Z'), end: d('2026-01-01T24:00:00Z') }];
    // 08–10 was already a gap; only 06–08 is new.
    expect(newCoverageGaps(before, after, d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'))).toEqual([{ start: d('2026-01-01T06:00:00Z'), end: d('2026-01-01T08:00:00Z') }]);
    expect(newCoverageGaps(before, before, d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'))).toEqual([]);
  });
});

describe('two-monthly emergency-response training (每 2 个月一次)', () => {
  it('counts calendar two-month periods touched by the range; ended ones without training are missed, the running one open', () => {
    const r = trainingObligation(['2026-01-20', '2026-04-30', '2026-05-01'], '2026-02-15', '2026-07-01', '2026-06-10');
    expect(r.periods.map((p) => [p.start, p.end, p.held, p.status])).toEqual([
      ['2026-01-01', '2026-03-01', 1, 'met'],
      ['2026-03-01', '2026-05-01', 1, 'met'],
      ['2026-05-01', '2026-07-01', 1, 'met'],
    ]);
    const s = trainingObligation(['2026-12-31'], '2026-09-01', '2027-03-01', '2027-01-15');
    expect(s.periods.map((p) => p.status)).toEqual(['missed', 'met', 'open']);
    expect(s).toMatchObject({ held: 1, required: 3, missed: 1 });
    expect(s.periods[2]).toMatchObject({ start: '2027-01-01', end: '2027-03-01' });
    expect(trainingObligation([], '2026-03-01', '2026-03-01', '2026-03-01').required).toBe(0);
  });
  it('rounds response minutes up', () => {
    expect(minutesBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:15:00Z'))).toBe(15);
    expect(minutesBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:15:01Z'))).toBe(16);
  });
});

describe('qualification update after a policy change (3 months; exit after 6)', () => {
  it('adds calendar months clamped to the month end', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
  });
  it('pending within 3 months, overdue until 6, then exit; updates in time or late lift the suspension', () => {
    expect(policyUpdateState('2026-01-15', null, '2026-04-15')).toMatchObject({ state: 'pending', dueOn: '2026-04-15', exitOn: '2026-07-15', suspended: true });
    expect(policyUpdateState('2026-01-15', null, '2026-04-16').state).toBe('overdue');
    expect(policyUpdateState('2026-01-15', null, '2026-07-15').state).toBe('overdue');
    expect(policyUpdateState('2026-01-15', null, '2026-07-16').state).toBe('exit');
    expect(policyUpdateState('2026-01-15', '2026-04-15', '2026-09-01')).toMatchObject({ state: 'updated', suspended: false });
    expect(policyUpdateState('2026-01-15', '2026-05-01', '2026-09-01')).toMatchObject({ state: 'updated_late', suspended: false });
  });
});
