/**
 * Time-weighted availability (按时间加权的可用率), pure. A probe's history is a run of state intervals; an entity (a
 * system, or a host probe without a system) is down while any of its probes is down, unknown while none is down and any
 * is unknown, up while any is up, and in maintenance only when all of its probes are. Maintenance (计划性维护) is cut
 * out of the measured time; unknown time is reported apart and never counted as up.
 * SLI = up / (up + down) of the measured time, null when nothing was measured.
 */
export type State = 'up' | 'down' | 'unknown' | 'maintenance';
export interface Span {
  state: State;
  start: number;
  end: number;
}
export interface Window {
  start: number;
  end: number;
}

const RANK: Record<State, number> = { maintenance: 0, up: 1, unknown: 2, down: 3 };

/** Clips `spans` to [from, to) and fills gaps with 'unknown' (no data is not up). */
export function clipAndFill(spans: Span[], from: number, to: number): Span[] {
  const sorted = spans.filter((s) => s.end > from && s.start < to).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  let t = from;
  for (const s of sorted) {
    const a = Math.max(s.start, t);
    const b = Math.min(s.end, to);
    if (a > t) out.push({ state: 'unknown', start: t, end: a });
    if (b > a) out.push({ state: s.state, start: a, end: b });
    t = Math.max(t, b);
  }
  if (t < to) out.push({ state: 'unknown', start: t, end: to });
  return out;
}

/** Marks the parts of `spans` inside any maintenance window as 'maintenance' (a down inside a window is excused). */
export function applyMaintenance(spans: Span[], windows: Window[]): Span[] {
  if (!windows.length) return spans;
  const ws = [...windows].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of spans) {
    let t = s.start;
    for (const w of ws) {
      if (w.end <= t || w.start >= s.end) continue;
      if (w.start > t) out.push({ state: s.state, start: t, end: w.start });
      const e = Math.min(w.end, s.end);
      out.push({ state: 'maintenance', start: Math.max(t, w.start), end: e });
      t = e;
    }
    if (t < s.end) out.push({ state: s.state, start: t, end: s.end });
  }
  return out;
}

/** Merges several probes' (filled, same-range) timelines into the entity's by the priority down > unknown > up > maintenance. */
export function mergeTimelines(timelines: Span[][], from: number, to: number): Span[] {
  if (timelines.length === 0) return [{ state: 'unknown', start: from, end: to }];
  if (timelines.length === 1) return timelines[0]!;
  const cuts = new Set<number>([from, to]);
  for (const tl of timelines) for (const s of tl) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].filter((p) => p >= from && p <= to).sort((a, b) => a - b);
  const idx = timelines.map(() => 0);
  const out: Span[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let best: State = 'maintenance';
    timelines.forEach((tl, k) => {
      while (idx[k]! < tl.length && tl[idx[k]!]!.end <= a) idx[k]!++;
      const s = tl[idx[k]!];
      const st: State = s && s.start <= a ? s.state : 'unknown';
      if (RANK[st] > RANK[best]) best = st;
    });
    const last = out[out.length - 1];
    if (last && last.state === best && last.end === a) last.end = b;
    else out.push({ state: best, start: a, end: b });
  }
  return out;
}

export interface Figures {
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
  /** Longest continuous down span (ms). Down spans separated only by maintenance or unknown are separate. */
  longestDownMs: number;
  /** Number of down spans (interruptions). */
  interruptions: number;
  sli: number | null;
}

/**
 * Sums a timeline. `weigh(start, end)` gives the counted duration of a span (clock time for 24×7; the calendar's office
 * time for a working-time schedule); default clock time.
 */
export function figures(spans: Span[], weigh: (a: number, b: number) => number = (a, b) => b - a): Figures {
  const f: Figures = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0, longestDownMs: 0, interruptions: 0, sli: null };
  let run = 0;
  let prevEnd = -1;
  for (const s of spans) {
    const d = weigh(s.start, s.end);
    if (s.state === 'up') f.upMs += d;
    else if (s.state === 'down') f.downMs += d;
    else if (s.state === 'unknown') f.unknownMs += d;
    else f.maintenanceMs += d;
    if (s.state === 'down') {
      if (prevEnd === s.start && run > 0) run += d;
      else {
        run = d;
        if (d > 0) f.interruptions++;
      }
      f.longestDownMs = Math.max(f.longestDownMs, run);
    } else run = 0;
    prevEnd = s.end;
  }
  const measured = f.upMs + f.downMs;
  f.sli = measured > 0 ? f.upMs / measured : null;
  return f;
}

/** Sums several entities' figures (provider / unit scope: entity-minutes); the longest interruption is the maximum. */
export function sumFigures(list: Figures[]): Figures {
  const f: Figures = { upMs: 0, downMs: 0, unknownMs: 0, maintenanceMs: 0, longestDownMs: 0, interruptions: 0, sli: null };
  for (const x of list) {
    f.upMs += x.upMs;
    f.downMs += x.downMs;
    f.unknownMs += x.unknownMs;
    f.maintenanceMs += x.maintenanceMs;
    f.interruptions += x.interruptions;
    f.longestDownMs = Math.max(f.longestDownMs, x.longestDownMs);
  }
  const measured = f.upMs + f.downMs;
  f.sli = measured > 0 ? f.upMs / measured : null;
  return f;
}

/** A ratio as a 4- or 6-decimal string, truncated (never rounded up into compliance): 0.99989 → '0.9998'. */
export function ratioText(r: number | null, digits = 6): string | null {
  if (r === null) return null;
  const f = 10 ** digits;
  return (Math.floor(r * f + 1e-9) / f).toFixed(digits);
}

export interface Verdict {
  met: boolean | null;
  /** Allowed downtime over the objective's whole period minus the downtime so far (minutes), null without measurement. */
  budgetLeftMinutes: number | null;
  /** The downtime rate so far would exhaust the budget before the period ends. */
  burnWarning: boolean;
  reasons: string[];
}

/**
 * Judges an objective: SLI ≥ target, no interruption longer than maxInterruption (the orders' 4 h), and the period's
 * fault time within the yearly limit when one is set. `periodMs`: the objective period's full schedulable time;
 * `elapsedMs`: the part of it elapsed so far; `periodDownMs`: downtime in the period so far.
 */
export function judge(o: { target: number; maxInterruptionMinutes: number | null; maxYearlyFaultMinutes: number | null }, month: Figures, period: { periodMs: number; elapsedMs: number; periodDownMs: number; periodMeasuredMs: number }): Verdict {
  const reasons: string[] = [];
  const budgetMs = (1 - o.target) * period.periodMs;
  const budgetLeftMinutes = period.periodMeasuredMs > 0 ? Math.floor((budgetMs - period.periodDownMs) / 60_000) : null;
  const burnWarning = period.elapsedMs > 0 && period.periodDownMs > 0 && (period.periodDownMs / period.elapsedMs) * period.periodMs > budgetMs;
  if (month.sli === null) return { met: null, budgetLeftMinutes, burnWarning, reasons: ['本月无测量数据'] };
  let met = true;
  if (month.sli < o.target) {
    met = false;
    reasons.push('可用率低于目标');
  }
  if (o.maxInterruptionMinutes !== null && month.longestDownMs > o.maxInterruptionMinutes * 60_000) {
    met = false;
    reasons.push(`单次中断超过 ${o.maxInterruptionMinutes} 分钟`);
  }
  if (o.maxYearlyFaultMinutes !== null && period.periodDownMs > o.maxYearlyFaultMinutes * 60_000) {
    met = false;
    reasons.push(`累计故障时间超过 ${o.maxYearlyFaultMinutes} 分钟`);
  }
  return { met, budgetLeftMinutes, burnWarning, reasons };
}

/** [start, end) of the month 'YYYY-MM' in Asia/Shanghai, as epoch ms. */
export function monthRange(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1) - 8 * 3_600_000, to: Date.UTC(y, m, 1) - 8 * 3_600_000 };
}

/** The objective period (month, quarter, year) containing the month. */
export function periodRange(month: string, period: 'month' | 'quarter' | 'year'): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const startMonth = period === 'month' ? m : period === 'quarter' ? Math.floor((m - 1) / 3) * 3 + 1 : 1;
  const months = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  return { from: Date.UTC(y, startMonth - 1, 1) - 8 * 3_600_000, to: Date.UTC(y, startMonth - 1 + months, 1) - 8 * 3_600_000 };
}
