import { addWorkingTime, CLOCK_HOURS, OFFICE_HOURS, workingTimeBetween, type CalendarDays, type WorkingSchedule } from '../calendar/index.js';

/** Ticket kinds (工单类型) the seeds name. */
export const TICKET_KINDS = ['fault', 'event', 'service_request', 'resource_change', 'security_policy', 'consultation', 'complaint', 'rectification', 'hazard'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];
export const KIND_CN: Record<TicketKind, string> = {
  fault: '故障', event: '事件', service_request: '服务请求', resource_change: '资源变更', security_policy: '安全策略',
  consultation: '入云咨询', complaint: '投诉', rectification: '整改通知', hazard: '安全隐患通知单',
};
export const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof STATUSES)[number];
export const STATUS_CN: Record<TicketStatus, string> = {
  new: '新建', assigned: '已派单', in_progress: '处理中', pending: '挂起', resolved: '已解决', closed: '已关闭', cancelled: '已取消',
};
export const CHANNELS = ['portal', 'phone', 'email', 'alert', 'outage', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CLOCKS = ['response', 'onsite', 'restore', 'resolution'] as const;
export type ClockName = (typeof CLOCKS)[number];
export const CLOCK_CN: Record<ClockName, string> = { response: '响应', onsite: '到场', restore: '恢复', resolution: '解决' };
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

/**
 * The lifecycle (状态机): new → assigned → in progress → pending → resolved → closed; reopened (resolved → in progress),
 * cancelled (before work starts); escalated is a flag, not a state. Merged duplicates are closed with merged_into_id.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['assigned', 'in_progress', 'cancelled', 'closed'],
  assigned: ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'cancelled', 'closed'],
  in_progress: ['new', 'assigned', 'pending', 'resolved', 'closed'],
  pending: ['in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};
export const canTransition = (from: TicketStatus, to: TicketStatus): boolean => TRANSITIONS[from].includes(to);

/** Priority (优先级, 1 紧急 … 4 低) from impact × urgency (each 1 high … 3 low): the ITIL matrix. */
export function priorityOf(impact: number, urgency: number): 1 | 2 | 3 | 4 {
  return Math.min(4, Math.max(1, impact + urgency - 1)) as 1 | 2 | 3 | 4;
}

/** Source severity → impact and urgency of an automatic ticket (紧急 → P1, 重要 → P2, 一般 → P3, 提示 → P4). */
export const SEVERITY_IMPACT: Record<'info' | 'minor' | 'major' | 'critical', { impact: number; urgency: number }> = {
  critical: { impact: 1, urgency: 1 }, major: { impact: 1, urgency: 2 }, minor: { impact: 2, urgency: 2 }, info: { impact: 3, urgency: 3 },
};

export interface EventGrade { code: string; name: string; rank: number; minSystems: number; minDurationMinutes: number; priority: number }
/** 事件定级: the highest level whose impact scope (systems affected) and duration thresholds are both met. */
export function gradeEvent(grades: readonly EventGrade[], systemsAffected: number, durationMinutes: number): EventGrade | null {
  const met = grades.filter((g) => systemsAffected >= g.minSystems && durationMinutes >= g.minDurationMinutes);
  return met.sort((a, b) => b.rank - a.rank)[0] ?? null;
}

export interface TargetRow { clock: ClockName; minutes: number; schedule: 'clock' | 'office'; contractId: string | null; providerId: string | null }
export type Targets = Partial<Record<ClockName, { minutes: number; schedule: 'clock' | 'office' }>>;

/**
 * The targets of a ticket: per clock the shortest applicable row wins (general, the ticket's provider, its contracts),
 * as in iTop. In a key-guarantee period (重保) every target is halved (rounded up, at least 1 minute).
 */
export function chooseTargets(rows: readonly TargetRow[], keyPeriod: boolean): Targets {
  const out: Targets = {};
  for (const r of rows) {
    const cur = out[r.clock];
    if (!cur || r.minutes < cur.minutes) out[r.clock] = { minutes: r.minutes, schedule: r.schedule };
  }
  if (keyPeriod) for (const c of CLOCKS) { const t = out[c]; if (t) t.minutes = Math.max(1, Math.ceil(t.minutes / 2)); }
  return out;
}

export interface Pause { from: string; to: string | null }
export interface ClockInput { openedAt: Date; stoppedAt: Date | null; pauses: readonly Pause[]; target: { minutes: number; schedule: 'clock' | 'office' } }
export interface ClockState {
  targetMinutes: number;
  schedule: 'clock' | 'office';
  /** Counted minutes so far (working minutes in office mode), pauses excluded. */
  elapsedMinutes: number;
  /** elapsed / target, e.g. 0.8. */
  fraction: number;
  state: 'running' | 'paused' | 'met' | 'breached';
  /** When the target is (or was) reached at the current pace; null while paused. */
  dueAt: Date | null;
  warning: boolean;
}

const MIN = 60_000;
export const scheduleOf = (s: 'clock' | 'office'): WorkingSchedule => (s === 'clock' ? CLOCK_HOURS : OFFICE_HOURS);

/** Counted time between `a` and `b` minus the counted time of the pauses inside it (milliseconds). */
export function countedMs(cal: CalendarDays, a: Date, b: Date, pauses: readonly Pause[], schedule: WorkingSchedule, now: Date): number {
  if (b <= a) return 0;
  let total = workingTimeBetween(cal, a, b, schedule);
  for (const p of pauses) {
    const from = new Date(Math.max(Date.parse(p.from), a.getTime()));
    const to = new Date(Math.min(p.to ? Date.parse(p.to) : now.getTime(), b.getTime()));
    if (to > from) total -= workingTimeBetween(cal, from, to, schedule);
  }
  return Math.max(0, total);
}

/**
 * One SLA clock computed from the ticket's history: counted from the opening to its stop (first action, on site,
 * restore, resolution) or `now`, in 24×7 or working time of the business calendar (holidays, make-up days), not
 * counting pauses (pending). Warning at 75 %, breach at 100 %.
 */
export function clockState(cal: CalendarDays, input: ClockInput, now: Date): ClockState {
  const schedule = scheduleOf(input.target.schedule);
  const end = input.stoppedAt ?? now;
  const ms = countedMs(cal, input.openedAt, end, input.pauses, schedule, now);
  const targetMs = input.target.minutes * MIN;
  const fraction = ms / targetMs;
  const paused = !input.stoppedAt && input.pauses.some((p) => p.to === null);
  let dueAt: Date | null = null;
  if (!input.stoppedAt && !paused) dueAt = ms >= targetMs ? new Date(now.getTime() - (ms - targetMs)) : addWorkingTime(cal, now, targetMs - ms, schedule);
  const state: ClockState['state'] = input.stoppedAt ? (ms <= targetMs ? 'met' : 'breached') : ms >= targetMs ? 'breached' : paused ? 'paused' : 'running';
  return {
    targetMinutes: input.target.minutes,
    schedule: input.target.schedule,
    elapsedMinutes: Math.round((ms / MIN) * 10) / 10,
    fraction: Math.round(fraction * 10_000) / 10_000,
    state,
    dueAt,
    warning: !input.stoppedAt && fraction >= WARNING_AT && fraction < 1,
  };
}
export const WARNING_AT = 0.75;
/** Escalation steps (升级): 75 % the duty engineer, 100 % the provider manager, 150 % the management unit. */
export const ESCALATION_STEPS = [
  { stage: 'warning', at: 0.75 },
  { stage: 'breach', at: 1 },
  { stage: 'management', at: 1.5 },
] as const;
export type EscalationStage = (typeof ESCALATION_STEPS)[number]['stage'];

/** Which escalation steps a clock has reached (never for a clock already stopped in time). */
export function stagesReached(s: ClockState, stopped: boolean): EscalationStage[] {
  if (stopped) return [];
  return ESCALATION_STEPS.filter((x) => s.fraction >= x.at).map((x) => x.stage);
}

/** Countdown colour of the provider queue: green, yellow (≥ 75 %), red (breached), grey (paused / stopped). */
export function countdownColour(s: ClockState | null): 'green' | 'yellow' | 'red' | 'grey' {
  if (!s) return 'grey';
  if (s.state === 'breached') return 'red';
  if (s.state === 'paused' || s.state === 'met') return 'grey';
  return s.fraction >= WARNING_AT ? 'yellow' : 'green';
}

/** The clock's stop instant on the ticket. */
export function stopOf(t: { respondedAt: Date | null; onsiteAt: Date | null; restoredAt: Date | null; resolvedAt: Date | null; closedAt: Date | null }, c: ClockName): Date | null {
  switch (c) {
    case 'response': return t.respondedAt ?? t.resolvedAt ?? t.closedAt;
    case 'onsite': return t.onsiteAt ?? t.restoredAt ?? t.resolvedAt ?? t.closedAt;
    case 'restore': return t.restoredAt ?? t.resolvedAt ?? t.closedAt;
    case 'resolution': return t.resolvedAt ?? t.closedAt;
  }
}
