/** Pure rules of operations supervision: expected inspection slots, 7×24 duty coverage, staffing thresholds, drill obligations. */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Asia/Shanghai has no daylight saving time: local time is UTC+8 all year. */
const OFFSET_MS = 8 * HOUR_MS;

export interface PlanShape {
  frequency: 'daily' | 'weekly';
  timesPerDay: number;
  validFrom: Date;
  validTo: Date | null;
}

export interface Slot {
  start: Date;
  end: Date;
}

/** Local midnight (Asia/Shanghai) at or before an instant. */
export function localMidnight(at: Date): Date {
  return new Date(Math.floor((at.getTime() + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS);
}

/**
 * The slots a plan expects in [from, to): a daily plan divides each local day (00:00 Asia/Shanghai) into
 * `timesPerDay` equal windows (4 a day: 00–06, 06–12, 12–18, 18–24); a weekly plan has one slot per ISO week from
 * Monday 00:00. A slot counts when it starts at or after the plan's validity start and before its end.
 */
export function expectedSlots(plan: PlanShape, from: Date, to: Date): Slot[] {
  const lo = Math.max(from.getTime(), plan.validFrom.getTime());
  const hi = Math.min(to.getTime(), plan.validTo ? plan.validTo.getTime() : Number.POSITIVE_INFINITY);
  if (hi <= lo) return [];
  const slots: Slot[] = [];
  if (plan.frequency === 'daily') {
    const len = DAY_MS / plan.timesPerDay;
    for (let day = localMidnight(new Date(lo)).getTime(); day < hi; day += DAY_MS) {
      for (let i = 0; i < plan.timesPerDay; i++) {
        const s = day + Math.round(i * len);
        if (s >= lo && s < hi) slots.push({ start: new Date(s), end: new Date(day + Math.round((i + 1) * len)) });
      }
    }
  } else {
    const mid = localMidnight(new Date(lo));
    const weekday = (new Date(mid.getTime() + OFFSET_MS).getUTCDay() + 6) % 7; // 0 = Monday
    for (let w = mid.getTime() - weekday * DAY_MS; w < hi; w += 7 * DAY_MS) {
      if (w >= lo) slots.push({ start: new Date(w), end: new Date(w + 7 * DAY_MS) });
    }
  }
  return slots;
}

/** The slot of a plan that contains an instant, or null when the plan expects none then. */
export function slotAt(plan: PlanShape, at: Date): Slot | null {
  const probeFrom = new Date(at.getTime() - 7 * DAY_MS);
  const probeTo = new Date(at.getTime() + 1);
  const slot = expectedSlots(plan, probeFrom, probeTo).filter((s) => s.start.getTime() <= at.getTime() && at.getTime() < s.end.getTime()).pop();
  return slot ?? null;
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Gaps of [from, to) not covered by any of the intervals (7×24 duty coverage). */
export function coverageGaps(intervals: readonly Interval[], from: Date, to: Date): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > from && i.start < to).sort((a, b) => a.start.getTime() - b.start.getTime());
  const gaps: Interval[] = [];
  let cursor = from.getTime();
  for (const i of sorted) {
    if (i.start.getTime() > cursor) gaps.push({ start: new Date(cursor), end: new Date(Math.min(i.start.getTime(), to.getTime())) });
    cursor = Math.max(cursor, i.end.getTime());
    if (cursor >= to.getTime()) break;
  }
  if (cursor < to.getTime()) gaps.push({ start: new Date(cursor), end: to });
  return gaps;
}

/** Pairs of one person's shifts that overlap (a person cannot be on two shifts at once). */
export function overlappingShifts<T extends Interval & { person: string }>(shifts: readonly T[]): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  const byPerson = new Map<string, T[]>();
  for (const s of shifts) byPerson.set(s.person, [...(byPerson.get(s.person) ?? []), s]);
  for (const list of byPerson.values()) {
    const sorted = [...list].sort((a, b) => a.start.getTime() - b.start.getTime());
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      if (cur.start.getTime() < prev.end.getTime()) out.push([prev, cur]);
    }
  }
  return out;
}

/** Staffing thresholds per node (seed 004 §4.2): on-site daily staff, core staff, a security auditor post. */
export const STAFFING = { daily: 20, major: 30, core: 10 } as const;

export interface StaffingCheck {
  onsite: number;
  core: number;
  securityAuditor: boolean;
  requiredOnsite: number;
  requiredCore: number;
  problems: Array<'onsite_below_threshold' | 'core_below_threshold' | 'no_security_auditor'>;
}

/** Checks a node's active staff against the thresholds (30 on site during a major event / key-guarantee period). */
export function checkStaffing(staff: ReadonlyArray<{ placement: string; core: boolean; post: string }>, majorEvent = false): StaffingCheck {
  const onsite = staff.filter((s) => s.placement === 'onsite').length;
  const core = staff.filter((s) => s.core).length;
  const securityAuditor = staff.some((s) => s.post === 'security_auditor');
  const requiredOnsite = majorEvent ? STAFFING.major : STAFFING.daily;
  const problems: StaffingCheck['problems'] = [];
  if (onsite < requiredOnsite) problems.push('onsite_below_threshold');
  if (core < STAFFING.core) problems.push('core_below_threshold');
  if (!securityAuditor) problems.push('no_security_auditor');
  return { onsite, core, securityAuditor, requiredOnsite, requiredCore: STAFFING.core, problems };
}

/**
 * Drills an obligation requires over [from, to): provider drills 4 a year, platform drills 1 a year (pro rata by whole
 * started quarters, at least 1), management drills 2 a period (the range asked for is the period).
 */
export function requiredDrills(level: 'provider' | 'management' | 'platform', from: Date, to: Date): number {
  if (level === 'management') return 2;
  const days = Math.max(0, (to.getTime() - from.getTime()) / DAY_MS);
  const perYear = level === 'provider' ? 4 : 1;
  if (days >= 365) return Math.round((perYear * days) / 365);
  return Math.max(1, Math.ceil((perYear * days) / 365));
}

/** Certificates expiring within this many days are listed as expiring soon. */
export const CERTIFICATE_WARNING_DAYS = 60;

/** The parts of `a` not covered by any interval of `b` (both lists of disjoint intervals, any order). */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  let out: Interval[] = a.map((x) => ({ start: x.start, end: x.end }));
  for (const cut of b) {
    const next: Interval[] = [];
    for (const x of out) {
      if (cut.end <= x.start || cut.start >= x.end) {
        next.push(x);
        continue;
      }
      if (cut.start > x.start) next.push({ start: x.start, end: cut.start });
      if (cut.end < x.end) next.push({ start: cut.end, end: x.end });
    }
    out = next;
  }
  return out.sort((p, q) => p.start.getTime() - q.start.getTime());
}

/**
 * The coverage gaps a change of shifts creates in [from, to): gaps after the change that were not gaps before (a
 * gap the roster already had is not the swap's doing).
 */
export function newCoverageGaps(before: readonly Interval[], after: readonly Interval[], from: Date, to: Date): Interval[] {
  return subtractIntervals(coverageGaps(after, from, to), coverageGaps(before, from, to));
}

/**
 * Emergency-event targets (seed 000: 平均响应时间 ≤ 15 分钟，平均故障恢复时间 ≤ 30 分钟): response from the event's
 * occurrence, recovery from the occurrence too (the fault's whole duration).
 */
export const EMERGENCY_TARGETS = { responseMinutes: 15, recoveryMinutes: 30 } as const;

/** Whole minutes between two instants (rounded up: 15 min 1 s is 16 minutes, over a 15-minute target). */
export function minutesBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / 60_000);
}

export interface TrainingPeriod {
  /** First day (YYYY-MM-DD) of the two-month period: 01-01, 03-01, 05-01, 07-01, 09-01, 11-01. */
  start: string;
  /** The day after its last day. */
  end: string;
  held: number;
  /** met: a training was held; missed: the period ended without one; open: still running, none yet. */
  status: 'met' | 'missed' | 'open';
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The two-monthly emergency-response training obligation (seed 004 §4.1.2.6(3): 云服务商每 2 个月开展一次应急响应
 * 培训): calendar two-month periods (Jan–Feb, Mar–Apr, …) touched by the days [from, to), each needing at least one
 * training held in it. A period that has not ended by `today` and has none yet is `open`, not missed.
 */
export function trainingObligation(heldOn: readonly string[], from: string, to: string, today: string): { periods: TrainingPeriod[]; held: number; required: number; missed: number } {
  const periods: TrainingPeriod[] = [];
  if (to <= from) return { periods, held: 0, required: 0, missed: 0 };
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  m = m % 2 === 0 ? m - 1 : m;
  for (;;) {
    const start = `${y}-${pad(m)}-01`;
    if (start >= to) break;
    const ny = m + 2 > 12 ? y + 1 : y;
    const nm = m + 2 > 12 ? m + 2 - 12 : m + 2;
    const end = `${ny}-${pad(nm)}-01`;
    const held = heldOn.filter((d) => d >= start && d < end).length;
    periods.push({ start, end, held, status: held > 0 ? 'met' : end <= today ? 'missed' : 'open' });
    y = ny;
    m = nm;
  }
  return { periods, held: periods.reduce((s, p) => s + p.held, 0), required: periods.length, missed: periods.filter((p) => p.status === 'missed').length };
}

/** `day` (YYYY-MM-DD) plus `months` calendar months, clamped to the month's last day (11-30 + 3 months = 02-28). */
export function addMonths(day: string, months: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + months;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  const d = Math.min(Number(day.slice(8, 10)), last);
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The update window after a policy change (seed 004 §4.3.2.1: 3 个月内更新运营资质; 超过 6 个月 按照退出机制处理). */
export const POLICY_UPDATE_MONTHS = 3;
export const POLICY_EXIT_MONTHS = 6;

/**
 * A provider's state after a policy change announced on `announcedOn`: `updated` (within 3 months), `updated_late`,
 * `pending` (no update yet, within the window: new business suspended), `overdue` (window missed: still suspended, a
 * finding), `exit` (no update after 6 months: the exit threshold). `dueOn` / `exitOn` are the last days allowed.
 */
export function policyUpdateState(announcedOn: string, updatedOn: string | null, today: string): { state: 'updated' | 'updated_late' | 'pending' | 'overdue' | 'exit'; dueOn: string; exitOn: string; suspended: boolean } {
  const dueOn = addMonths(announcedOn, POLICY_UPDATE_MONTHS);
  const exitOn = addMonths(announcedOn, POLICY_EXIT_MONTHS);
  if (updatedOn) return { state: updatedOn <= dueOn ? 'updated' : 'updated_late', dueOn, exitOn, suspended: false };
  const state = today <= dueOn ? 'pending' : today <= exitOn ? 'overdue' : 'exit';
  return { state, dueOn, exitOn, suspended: true };
}
