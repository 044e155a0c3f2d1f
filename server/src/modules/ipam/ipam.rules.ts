/**
 * Pool arithmetic on top of ip.ts (pure): what in a pool is never allocated, utilisation, and the review deadline.
 */
import { addWorkingDays, OFFICE_HOURS, workingTimeBetween, type CalendarDays } from '../calendar/index.js';
import {
  cidrRange,
  cidrSize,
  clipRanges,
  countAddresses,
  mergeRanges,
  parseAddress,
  parseCidr,
  percentText,
  type Cidr,
  type Range,
} from './ip.js';
import type { ReservedRange, Utilisation } from './ipam.schemas.js';

/** Review within 3 working days of submission (requirements §b.6: 3 个工作日内审核). */
export const REVIEW_WORKING_DAYS = 3;
/** One working day of office hours (09:00–12:00, 13:30–18:00): 7.5 h. */
export const WORKING_DAY_MS = OFFICE_HOURS.mode === 'office' ? OFFICE_HOURS.windows.reduce((s, [a, b]) => s + (b - a), 0) * 60_000 : 86_400_000;

export function reviewDueAt(cal: CalendarDays, submittedAt: Date): Date {
  return addWorkingDays(cal, submittedAt, REVIEW_WORKING_DAYS);
}

/** Working days left until `due` (negative when past), to one decimal; the warnings use the exact time. */
export function workingDaysLeft(cal: CalendarDays, now: Date, due: Date): number {
  return Math.round((workingTimeBetween(cal, now, due) / WORKING_DAY_MS) * 10) / 10;
}

export type DeadlineState = 'ok' | 'due_soon' | 'overdue';
/** `due_soon` when one working day or less is left, `overdue` from the due instant on. */
export function deadlineState(cal: CalendarDays, now: Date, due: Date): DeadlineState {
  if (now.getTime() >= due.getTime()) return 'overdue';
  return workingTimeBetween(cal, now, due) <= WORKING_DAY_MS ? 'due_soon' : 'ok';
}

export interface PoolModel {
  cidr: Cidr;
  /** The configured reserved ranges and the gateway. */
  reserved: Range[];
  /** IPv4 blocks of /30 or larger: the network and broadcast addresses (not given out as host addresses). */
  networkBroadcast: Range[];
}

export function poolModel(cidrText: string, gateway: string | null, reserved: readonly ReservedRange[]): PoolModel {
  const cidr = parseCidr(cidrText);
  const ranges: Range[] = reserved.map((r) => {
    const a = parseAddress(r.from);
    const b = r.to ? parseAddress(r.to) : a;
    return { family: a.family, first: a.value, last: b.value };
  });
  if (gateway) {
    const g = parseAddress(gateway);
    ranges.push({ family: g.family, first: g.value, last: g.value });
  }
  const whole = cidrRange(cidr);
  const nb: Range[] = cidr.family === 4 && cidr.prefix <= 30 ? [{ family: 4, first: whole.first, last: whole.first }, { family: 4, first: whole.last, last: whole.last }] : [];
  return { cidr, reserved: clipRanges(ranges, whole), networkBroadcast: nb };
}

/**
 * Ranges a new allocation must avoid besides the active allocations: reserved ranges and gateway always; for runs of
 * addresses also the IPv4 network and broadcast addresses (a subnet carved out of the pool has its own).
 */
export function unavailable(m: PoolModel, kind: 'subnet' | 'addresses'): Range[] {
  return kind === 'addresses' ? [...m.reserved, ...m.networkBroadcast] : [...m.reserved];
}

export function utilisation(m: PoolModel, allocated: readonly Range[]): Utilisation {
  const whole = cidrRange(m.cidr);
  const total = cidrSize(m.cidr);
  const reservedRanges = mergeRanges([...m.reserved, ...m.networkBroadcast]);
  const reserved = countAddresses(reservedRanges);
  const alloc = countAddresses(clipRanges(allocated, whole));
  const used = countAddresses([...reservedRanges, ...clipRanges(allocated, whole)]);
  return {
    total: total.toString(),
    reserved: reserved.toString(),
    allocated: alloc.toString(),
    free: (total - used).toString(),
    percent: percentText(alloc, total - reserved),
  };
}

/** Sums utilisation figures (decimal strings) of several pools of one family. */
export function sumUtilisation(items: readonly Utilisation[]): Utilisation {
  const s = (k: keyof Utilisation) => items.reduce((acc, u) => acc + BigInt(u[k]), 0n);
  const total = s('total');
  const reserved = s('reserved');
  const allocated = s('allocated');
  return { total: total.toString(), reserved: reserved.toString(), allocated: allocated.toString(), free: s('free').toString(), percent: percentText(allocated, total - reserved) };
}
