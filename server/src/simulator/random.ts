/** Deterministic randomness and Beijing-time formatting for the provider simulator. */

/** FNV-1a 32-bit hash of the parts, for per-entity seeds independent of iteration order. */
export function hash32(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) with helpers. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  static of(...parts: Array<string | number>): Rng {
    return new Rng(hash32(...parts));
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Gaussian-ish noise in about [-1, 1]. */
  noise(): number {
    return (this.next() + this.next() + this.next() - 1.5) / 1.5;
  }
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8, no daylight saving). */
export function beijingDateTime(at: Date | number): string {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** `YYYY-MM-DD` in Beijing time. */
export function beijingDate(at: Date | number): string {
  return beijingDateTime(at).slice(0, 10);
}

/** Hour of day in Beijing time, fractional (0 ≤ h < 24). */
export function beijingHour(at: Date | number): number {
  const ms = ((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS) % 86_400_000;
  return ms / 3600_000;
}

/** Day of week in Beijing time, 0 = Monday … 6 = Sunday. */
export function beijingWeekday(at: Date | number): number {
  const days = Math.floor(((typeof at === 'number' ? at : at.getTime()) + BEIJING_OFFSET_MS) / 86_400_000);
  return (days + 3) % 7; // 1970-01-01 was a Thursday
}

export const SLOT_MS = 5 * 60_000;
export const DAY_MS = 86_400_000;

/** Start of the 5-minute slot containing `ms`. */
export function slotStart(ms: number): number {
  return Math.floor(ms / SLOT_MS) * SLOT_MS;
}

/** Start of the Beijing day containing `ms` (as a UTC instant). */
export function beijingDayStart(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** Start of the Beijing week (Monday 00:00) containing `ms`. */
export function beijingWeekStart(ms: number): number {
  return beijingDayStart(ms) - beijingWeekday(ms) * DAY_MS;
}

/** Fixed-point decimal string, clamped to [min, max]. */
export function dec(value: number, decimals: number, min = 0, max = Number.MAX_SAFE_INTEGER): string {
  const v = Math.min(max, Math.max(min, value));
  return v.toFixed(decimals);
}
