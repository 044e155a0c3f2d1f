/**
 * Working time on the Chinese statutory calendar (pure rules). All local reasoning is in Asia/Shanghai, which has
 * been UTC+08:00 all year since 1991 (no daylight saving): local time = UTC + 8 h exactly, so the functions shift by
 * a fixed offset instead of going through Intl time-zone tables. Inputs and outputs are instants (`Date`).
 *
 * A day is a working day when it is marked 'workday' (调休上班日), or it is Monday–Friday and not marked 'holiday'.
 */

export type CalendarDayKind = 'holiday' | 'workday';

/** The calendar exceptions, keyed by local date `YYYY-MM-DD`. */
export type CalendarDays = ReadonlyMap<string, CalendarDayKind>;

/**
 * When time counts. `office`: only inside the windows (minutes after local midnight, [from, to)) of working days.
 * `clock`: every minute of every day (24×7), for 4-hour resource adjustments, which the seeds count in clock hours.
 */
export type WorkingSchedule = { mode: 'office'; windows: ReadonlyArray<readonly [number, number]> } | { mode: 'clock' };

/** 09:00–12:00 and 13:30–18:00: 7.5 working hours a day, the usual hours of agencies in the city. */
export const OFFICE_HOURS: WorkingSchedule = { mode: 'office', windows: [[9 * 60, 12 * 60], [13 * 60 + 30, 18 * 60]] };
export const CLOCK_HOURS: WorkingSchedule = { mode: 'clock' };

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Ten years: a longer computation means a broken input, not a deadline. */
const MAX_DAYS = 3660;

/** Builds a schedule from day windows written `HH:MM-HH:MM`, e.g. `['09:00-12:00', '13:30-18:00']`. */
export function officeSchedule(windows: readonly string[]): WorkingSchedule {
  const parsed = windows.map((w) => {
    const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(w);
    if (!m) throw new RangeError(`working window "${w}" is not HH:MM-HH:MM`);
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    if (to > 24 * 60 || from >= to) throw new RangeError(`working window "${w}" must end after it starts, by 24:00`);
    return [from, to] as const;
  });
  parsed.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i]![0] < parsed[i - 1]![1]) throw new RangeError('working windows overlap');
  }
  if (!parsed.length) throw new RangeError('a schedule needs at least one working window');
  return { mode: 'office', windows: parsed };
}

/** Minutes of working time in one working day of the schedule (1440 for the clock). */
export function dayLengthMinutes(schedule: WorkingSchedule): number {
  return schedule.mode === 'clock' ? 24 * 60 : schedule.windows.reduce((s, [a, b]) => s + (b - a), 0);
}

/** The local (Asia/Shanghai) date of an instant, `YYYY-MM-DD`. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of local midnight starting `day` (`YYYY-MM-DD`). */
export function startOfLocalDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** A local wall-clock time as an instant: `shanghai('2025-01-24', '10:00')`. */
export function shanghai(day: string, time = '00:00'): Date {
  return new Date(Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}+08:00`));
}

const dayIndex = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayFromIndex = (i: number): string => new Date(i * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isWorkingDay(cal: CalendarDays, day: string): boolean {
  const kind = cal.get(day);
  if (kind === 'workday') return true;
  if (kind === 'holiday') return false;
  return isoWeekday(day) <= 5;
}

/** The n-th working day after `day` (n ≥ 1), or `day` itself when n = 0 and it is a working day. */
export function nthWorkingDayAfter(cal: CalendarDays, day: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  let i = dayIndex(day);
  if (n === 0) {
    for (let k = 0; k <= MAX_DAYS; k++, i++) if (isWorkingDay(cal, dayFromIndex(i))) return dayFromIndex(i);
    throw new RangeError('no working day within ten years');
  }
  let left = n;
  for (let k = 0; k <= MAX_DAYS; k++) {
    i++;
    if (isWorkingDay(cal, dayFromIndex(i)) && --left === 0) return dayFromIndex(i);
  }
  throw new RangeError('no working day within ten years');
}

/** Working intervals of one local day as [startMs, endMs) instants. */
function intervalsOfDay(cal: CalendarDays, dIdx: number, schedule: WorkingSchedule): Array<[number, number]> {
  const midnight = dIdx * DAY_MS - OFFSET_MS;
  if (schedule.mode === 'clock') return [[midnight, midnight + DAY_MS]];
  if (!isWorkingDay(cal, dayFromIndex(dIdx))) return [];
  return schedule.windows.map(([a, b]) => [midnight + a * MINUTE_MS, midnight + b * MINUTE_MS]);
}

const localDayIndexOf = (ms: number): number => Math.floor((ms + OFFSET_MS) / DAY_MS);

/**
 * The instant when `durationMs` of working time has passed after `start`. Started outside working time, the clock
 * starts at the next working window; a duration that ends exactly at the close of a window ends there (18:00), not at
 * the next opening.
 */
export function addWorkingTime(cal: CalendarDays, start: Date, durationMs: number, schedule: WorkingSchedule = OFFICE_HOURS): Date {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError('the duration must be a non-negative number');
  if (schedule.mode === 'clock') return new Date(start.getTime() + durationMs);
  let left = durationMs;
  const t0 = start.getTime();
  const first = localDayIndexOf(t0);
  for (let d = first; d <= first + MAX_DAYS; d++) {
    for (const [a, b] of intervalsOfDay(cal, d, schedule)) {
      const from = Math.max(a, t0);
      if (from >= b) continue;
      if (left === 0) return new Date(from);
      if (from + left <= b) return new Date(from + left);
      left -= b - from;
    }
  }
  throw new RangeError('the deadline lies more than ten years ahead');
}

export function addWorkingHours(cal: CalendarDays, start: Date, hours: number, schedule: WorkingSchedule = OFFICE_HOURS): Date {
  return addWorkingTime(cal, start, Math.round(hours * 3_600_000), schedule);
}

/**
 * `days` working days after `start`: `days` × the length of a working day of working time. Started inside working
 * hours this is the same clock time on the `days`-th working day after (Friday 10:00 + 3 → the third working day,
 * 10:00); started outside, the count begins at the next opening, so the deadline is the close of the last day.
 * In clock mode a day is 24 hours of any day.
 */
export function addWorkingDays(cal: CalendarDays, start: Date, days: number, schedule: WorkingSchedule = OFFICE_HOURS): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a non-negative integer');
  return addWorkingTime(cal, start, days * dayLengthMinutes(schedule) * MINUTE_MS, schedule);
}

/** Working time between two instants in milliseconds; negative when `b` is before `a`. */
export function workingTimeBetween(cal: CalendarDays, a: Date, b: Date, schedule: WorkingSchedule = OFFICE_HOURS): number {
  if (b.getTime() < a.getTime()) return -workingTimeBetween(cal, b, a, schedule);
  if (schedule.mode === 'clock') return b.getTime() - a.getTime();
  const ta = a.getTime();
  const tb = b.getTime();
  let total = 0;
  const last = localDayIndexOf(tb);
  for (let d = localDayIndexOf(ta); d <= last; d++) {
    for (const [x, y] of intervalsOfDay(cal, d, schedule)) {
      const from = Math.max(x, ta);
      const to = Math.min(y, tb);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/** A deadline rule of a workflow step or a work order. */
export type DeadlineRule = { workingDays: number } | { workingHours: number } | { clockHours: number };

/** The due instant of a deadline rule started at `start`. */
export function dueAt(cal: CalendarDays, start: Date, rule: DeadlineRule, schedule: WorkingSchedule = OFFICE_HOURS): Date {
  if ('workingDays' in rule) return addWorkingDays(cal, start, rule.workingDays, schedule);
  if ('workingHours' in rule) return addWorkingHours(cal, start, rule.workingHours, schedule);
  return addWorkingHours(cal, start, rule.clockHours, CLOCK_HOURS);
}
