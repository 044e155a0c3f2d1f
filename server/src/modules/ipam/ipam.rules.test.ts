import { describe, expect, it } from 'vitest';
import { officialCalendar, shanghai } from '../calendar/index.js';
import { parseRange } from './ip.js';
import { deadlineState, poolModel, reviewDueAt, sumUtilisation, unavailable, utilisation, workingDaysLeft } from './ipam.rules.js';

const cal = officialCalendar();

describe('review deadline (3 working days, official 2025/2026 calendar)', () => {
  it('skips the Spring Festival and counts the make-up Saturday', () => {
    expect(reviewDueAt(cal, shanghai('2026-02-13', '10:00'))).toEqual(shanghai('2026-02-25', '10:00'));
    // Submitted during 国庆: the clock starts Thursday 10-09 09:00; Saturday 10-11 (调休上班) is the third day.
    expect(reviewDueAt(cal, shanghai('2025-10-03', '15:00'))).toEqual(shanghai('2025-10-11', '18:00'));
    // Friday after office hours: Monday to Wednesday, closing time.
    expect(reviewDueAt(cal, shanghai('2026-03-06', '19:00'))).toEqual(shanghai('2026-03-11', '18:00'));
  });

  it('due soon at one working day or less, overdue from the due instant', () => {
    const due = shanghai('2026-02-25', '10:00');
    expect(deadlineState(cal, shanghai('2026-02-20', '10:00'), due)).toBe('ok');
    expect(workingDaysLeft(cal, shanghai('2026-02-20', '10:00'), due)).toBe(1.1);
    expect(deadlineState(cal, shanghai('2026-02-24', '10:00'), due)).toBe('due_soon');
    expect(deadlineState(cal, shanghai('2026-02-25', '09:59'), due)).toBe('due_soon');
    expect(deadlineState(cal, due, due)).toBe('overdue');
    expect(workingDaysLeft(cal, shanghai('2026-02-26', '10:00'), due)).toBe(-1);
  });
});

describe('pool arithmetic', () => {
  it('reserved, gateway, network and broadcast; utilisation as exact strings', () => {
    const m = poolModel('10.0.0.0/24', '10.0.0.1', [{ from: '10.0.0.2', to: '10.0.0.9' }, { from: '10.0.0.200' }]);
    expect(utilisation(m, [])).toEqual({ total: '256', reserved: '12', allocated: '0', free: '244', percent: '0.00' });
    expect(utilisation(m, [parseRange('10.0.0.16/28'), parseRange('10.0.0.10-10.0.0.13')])).toEqual({ total: '256', reserved: '12', allocated: '20', free: '224', percent: '8.20' });
    expect(unavailable(m, 'subnet')).toHaveLength(3);
    expect(unavailable(m, 'addresses')).toHaveLength(5);
    // A /31 or /32 has no network / broadcast address to hold back.
    expect(utilisation(poolModel('10.0.0.0/31', null, []), []).reserved).toBe('0');
    const v6 = poolModel('2001:db8::/64', '2001:db8::1', []);
    expect(utilisation(v6, [parseRange('2001:db8::8000:0:0:0/65')])).toEqual({ total: (1n << 64n).toString(), reserved: '1', allocated: (1n << 63n).toString(), free: ((1n << 63n) - 1n).toString(), percent: '50.00' });
    expect(sumUtilisation([utilisation(m, []), utilisation(poolModel('10.0.1.0/24', null, []), [parseRange('10.0.1.1-10.0.1.254')])])).toEqual({ total: '512', reserved: '14', allocated: '254', free: '244', percent: '51.00' });
  });
});
