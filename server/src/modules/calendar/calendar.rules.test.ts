import { describe, expect, it } from 'vitest';
import { officialCalendar, officialDays } from './calendar.official.js';
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingTime,
  CLOCK_HOURS,
  dueAt,
  isWorkingDay,
  localDate,
  nthWorkingDayAfter,
  officeSchedule,
  shanghai,
  workingTimeBetween,
} from './calendar.rules.js';

const cal = officialCalendar();
const H = 3_600_000;
const iso = (d: Date) => d.toISOString();

describe('official calendar data', () => {
  it('holds the 2025 and 2026 arrangements of the State Council', () => {
    const days = officialDays();
    const by = (year: string, kind: string) => days.filter((d) => d.day.startsWith(year) && d.kind === kind).length;
    // 2025: 1 + 8 + 3 + 5 + 3 + 8 holiday days; 5 make-up working days.
    expect(by('2025', 'holiday')).toBe(28);
    expect(by('2025', 'workday')).toBe(5);
    // 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 holiday days; 6 make-up working days.
    expect(by('2026', 'holiday')).toBe(33);
    expect(by('2026', 'workday')).toBe(6);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2025-01-26', true, 'Sunday made a working day before 春节 2025'],
    ['2025-01-27', true, 'Monday before 除夕'],
    ['2025-01-28', false, '除夕 2025'],
    ['2025-02-04', false, 'last day of 春节 2025 (a Tuesday)'],
    ['2025-02-05', true, 'first working day after 春节 2025'],
    ['2025-02-08', true, 'Saturday made a working day after 春节 2025'],
    ['2025-02-09', false, 'ordinary Sunday'],
    ['2025-03-01', false, 'ordinary Saturday'],
    ['2025-03-05', true, 'ordinary Wednesday'],
    ['2025-10-08', false, 'last day of 国庆节、中秋节 2025 (a Wednesday)'],
    ['2025-10-11', true, 'Saturday made a working day after 国庆 2025'],
    ['2026-01-04', true, 'Sunday made a working day after 元旦 2026'],
    ['2026-02-23', false, '正月初七 2026 (a Monday)'],
    ['2026-02-28', true, 'Saturday made a working day after 春节 2026'],
    ['2026-09-25', false, '中秋节 2026 (a Friday)'],
    ['2026-10-08', true, 'Thursday after 国庆 2026 (the holiday ends on the 7th)'],
    ['2027-01-01', true, 'a year not yet arranged: only weekends are off'],
  ])('%s → %s (%s)', (day, expected) => {
    expect(isWorkingDay(cal, day)).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  it('3 working days from the Friday before 春节 2025 count the Sunday make-up day and skip the holiday', () => {
    // Fri 24 Jan → Sun 26 (调休上班) = 1, Mon 27 = 2, 28 Jan–4 Feb off, Wed 5 Feb = 3.
    expect(iso(addWorkingDays(cal, shanghai('2025-01-24', '10:00'), 3))).toBe(iso(shanghai('2025-02-05', '10:00')));
    expect(nthWorkingDayAfter(cal, '2025-01-24', 3)).toBe('2025-02-05');
  });

  it('3 working days from the Friday before 国庆 2025 end before the holiday thanks to the Sunday make-up day', () => {
    expect(iso(addWorkingDays(cal, shanghai('2025-09-26', '10:00'), 3))).toBe(iso(shanghai('2025-09-30', '10:00')));
  });

  it('crosses 国庆节、中秋节 2025 (8 days) and lands on the Saturday make-up day', () => {
    expect(iso(addWorkingDays(cal, shanghai('2025-09-30', '15:00'), 2))).toBe(iso(shanghai('2025-10-10', '15:00')));
    expect(iso(addWorkingDays(cal, shanghai('2025-10-10', '15:00'), 1))).toBe(iso(shanghai('2025-10-11', '15:00')));
  });

  it('crosses 春节 2026 after the Saturday make-up day', () => {
    // Fri 13 Feb → Sat 14 (调休上班) = 1, 15–23 Feb off, Tue 24 = 2, Wed 25 = 3.
    expect(iso(addWorkingDays(cal, shanghai('2026-02-13', '10:00'), 3))).toBe(iso(shanghai('2026-02-25', '10:00')));
  });

  it('crosses 元旦 2026 onto the Sunday make-up day', () => {
    expect(iso(addWorkingDays(cal, shanghai('2025-12-31', '10:00'), 1))).toBe(iso(shanghai('2026-01-04', '10:00')));
  });

  it('started on a rest day, counts from the next opening and ends at the close', () => {
    expect(iso(addWorkingDays(cal, shanghai('2025-03-01', '11:00'), 1))).toBe(iso(shanghai('2025-03-03', '18:00')));
    // Submitted during 春节 2025: the three days are 5, 6 and 7 Feb.
    expect(iso(addWorkingDays(cal, shanghai('2025-01-30', '09:30'), 3))).toBe(iso(shanghai('2025-02-07', '18:00')));
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addWorkingDays(cal, new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, new Date(), 1.5)).toThrow(RangeError);
  });
});

describe('addWorkingHours', () => {
  it('skips the lunch break', () => {
    expect(iso(addWorkingHours(cal, shanghai('2025-03-05', '11:00'), 2))).toBe(iso(shanghai('2025-03-05', '14:30')));
  });

  it('ends at the close of a window rather than at the next opening', () => {
    expect(iso(addWorkingHours(cal, shanghai('2025-03-05', '16:00'), 2))).toBe(iso(shanghai('2025-03-05', '18:00')));
  });

  it('carries over a weekend', () => {
    expect(iso(addWorkingHours(cal, shanghai('2025-03-07', '17:00'), 2))).toBe(iso(shanghai('2025-03-10', '10:00')));
    expect(iso(addWorkingHours(cal, shanghai('2025-03-07', '18:30'), 3))).toBe(iso(shanghai('2025-03-10', '12:00')));
  });

  it('carries over 国庆 2026 onto the Saturday make-up day', () => {
    // Wed 30 Sep 2026 17:00 + 2 h: 1 h that day, 1–7 Oct off, Thu 8 Oct 09:00 + 1 h.
    expect(iso(addWorkingHours(cal, shanghai('2026-09-30', '17:00'), 2))).toBe(iso(shanghai('2026-10-08', '10:00')));
    // Fri 9 Oct 17:30 + 1 h: half an hour that day, Sat 10 Oct (调休上班) 09:00 + 0.5 h.
    expect(iso(addWorkingHours(cal, shanghai('2026-10-09', '17:30'), 1))).toBe(iso(shanghai('2026-10-10', '09:30')));
  });

  it('counts 24×7 in clock mode, holidays included (4-hour resource adjustments)', () => {
    expect(iso(addWorkingHours(cal, shanghai('2025-01-28', '22:00'), 4, CLOCK_HOURS))).toBe(iso(shanghai('2025-01-29', '02:00')));
    expect(iso(dueAt(cal, shanghai('2025-01-28', '22:00'), { clockHours: 2 }))).toBe(iso(shanghai('2025-01-29', '00:00')));
  });

  it('uses a configured day window', () => {
    const s = officeSchedule(['08:30-17:30']);
    // Fri 26 Sep 2025 16:30 + 2 h: 1 h that day, Sun 28 Sep (调休上班) 08:30 + 1 h.
    expect(iso(addWorkingHours(cal, shanghai('2025-09-26', '16:30'), 2, s))).toBe(iso(shanghai('2025-09-28', '09:30')));
    // One working day of this schedule is 9 hours.
    expect(iso(addWorkingDays(cal, shanghai('2025-09-26', '16:30'), 1, s))).toBe(iso(shanghai('2025-09-28', '16:30')));
  });

  it('refuses malformed windows', () => {
    expect(() => officeSchedule(['9:00-12:00'])).toThrow(/HH:MM/);
    expect(() => officeSchedule(['12:00-09:00'])).toThrow(/end after/);
    expect(() => officeSchedule(['09:00-12:00', '11:00-13:00'])).toThrow(/overlap/);
    expect(() => officeSchedule([])).toThrow(/at least one/);
  });
});

describe('workingTimeBetween', () => {
  it('counts 3 working days (22.5 h) across 春节 2025', () => {
    expect(workingTimeBetween(cal, shanghai('2025-01-24', '10:00'), shanghai('2025-02-05', '10:00'))).toBe(22.5 * H);
  });

  it('is negative backwards and excludes lunch', () => {
    expect(workingTimeBetween(cal, shanghai('2025-03-05', '14:30'), shanghai('2025-03-05', '11:00'))).toBe(-2 * H);
  });

  it('is zero inside a holiday and clock time in clock mode', () => {
    expect(workingTimeBetween(cal, shanghai('2025-10-01', '09:00'), shanghai('2025-10-08', '18:00'))).toBe(0);
    expect(workingTimeBetween(cal, shanghai('2025-10-01', '09:00'), shanghai('2025-10-02', '09:00'), CLOCK_HOURS)).toBe(24 * H);
  });

  it('is the inverse of addWorkingTime', () => {
    const starts = ['2025-01-24T10:17', '2025-01-27T17:59', '2025-09-27T03:00', '2026-02-13T12:30', '2026-09-30T23:59'];
    for (const s of starts) {
      for (const minutes of [1, 30, 90, 450, 451, 2000, 10_000]) {
        const start = new Date(`${s}:00+08:00`);
        const end = addWorkingTime(cal, start, minutes * 60_000);
        expect(workingTimeBetween(cal, start, end)).toBe(minutes * 60_000);
      }
    }
  });
});

describe('Asia/Shanghai dates', () => {
  it('takes the local date, not the UTC date', () => {
    // 00:30 on 28 Jan 2025 in Beijing is 16:30 UTC on the 27th.
    const at = new Date('2025-01-27T16:30:00Z');
    expect(localDate(at)).toBe('2025-01-28');
    expect(isWorkingDay(cal, localDate(at))).toBe(false);
    // 08:00 UTC on 27 Jan is 16:00 in Beijing: 2 h of work left that day, then the holiday.
    expect(iso(addWorkingHours(cal, new Date('2025-01-27T08:00:00Z'), 3))).toBe(iso(shanghai('2025-02-05', '10:00')));
  });
});
