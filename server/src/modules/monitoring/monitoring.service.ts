import { sql } from 'kysely';
import { systemContext, type RequestContext } from '../../platform/context.js';
import { withTx, type Db, type Tx } from '../../platform/db/database.js';
import { AppError, notFound, validationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { recordAudit } from '../audit/index.js';
import { NotificationService, isKeyPeriod } from '../notifications/index.js';
import type { InventoryService } from '../inventory/index.js';
import {
  HOUR_MS,
  METRICS,
  METRIC_BY_CODE,
  METRIC_BY_NAME,
  SEVERITY_CN,
  addDays,
  beijingDay,
  decide,
  linearFit,
  timeLeft,
  type RuleKind,
  type Severity,
} from './monitoring.metrics.js';
import { windowParts, type MetricStore } from './monitoring.store.js';
import { PlatformMetrics } from './monitoring.prom.js';
import { TemporaryExpansions, type ExpansionInput, type ExpansionState } from './monitoring.expansions.js';

/** Utilisation of one host over a window, from the hourly rollups (the rightsizing input of the evaluation). */
export interface HostUtilisation {
  /** Inventory resource id of the cloud host. */
  resourceId: string;
  systemId: string | null;
  unitOrgId: string | null;
  providerOrgId: string | null;
  nodeId: string | null;
  /** Percent 0–100: the 95th percentile of the hourly averages in the window; null without data. */
  cpuP95: number | null;
  /** Percent 0–100: the sample-weighted average in the window; null without data. */
  cpuAvg: number | null;
  memP95: number | null;
  memAvg: number | null;
  /** Hours of the window with at least one CPU or memory point. */
  hoursWithData: number;
  /** Whole hours in [from, to). */
  hoursInWindow: number;
}

export interface CapacityWarningSummary {
  providerOrgId: string;
  /** Warnings opened in [from, to). */
  opened: number;
  /** Of those, closed by an expansion on or before their deadline. */
  closedInTime: number;
  /** Of those, past their deadline without expansion (still open after it, or expanded late). */
  overdue: number;
}

export type ScopeKind = 'all' | 'host' | 'system' | 'unit' | 'provider' | 'node';
export type Range = '1h' | '24h' | '7d' | '30d' | '90d' | '1y';
const RANGE_MS: Record<Range, number> = { '1h': HOUR_MS, '24h': 24 * HOUR_MS, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000, '1y': 365 * 86_400_000 };
/** Resolution per chart range: raw up to a day, hourly up to a month, daily beyond. */
export const RESOLUTION: Record<Range, 'raw' | 'hourly' | 'daily'> = { '1h': 'raw', '24h': 'raw', '7d': 'hourly', '30d': 'hourly', '90d': 'daily', '1y': 'daily' };

export interface RuleInput {
  name: string;
  kind: RuleKind;
  metric: string;
  op?: 'gt' | 'lt';
  threshold?: number | null;
  recovery?: number | null;
  windowMinutes?: number;
  horizonHours?: number | null;
  severity: Severity;
  scopeKind: ScopeKind;
  scopeId?: string | null;
  keyPeriodOnly?: boolean;
  escalateAfterMinutes?: number | null;
  enabled?: boolean;
}

export interface Rule extends Required<Omit<RuleInput, 'scopeId' | 'threshold' | 'recovery' | 'horizonHours' | 'escalateAfterMinutes'>> {
  id: string;
  scopeId: string | null;
  threshold: number | null;
  recovery: number | null;
  horizonHours: number | null;
  escalateAfterMinutes: number | null;
  isGlobal: boolean;
  expression: string;
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  ruleKind: RuleKind;
  metric: string;
  severity: Severity;
  status: 'firing' | 'acknowledged' | 'resolved';
  seriesId: string;
  objectLabel: string;
  resourceId: string | null;
  systemId: string | null;
  systemName: string | null;
  unitOrgId: string | null;
  unitName: string | null;
  providerOrgId: string;
  providerName: string | null;
  nodeId: string;
  nodeName: string | null;
  value: number | null;
  message: string;
  startedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackComment: string | null;
  resolvedAt: string | null;
  durationSeconds: number | null;
  /** Fired while its object was flapping: notifications and ticket held back until stable. */
  flapping: boolean;
  /** The service-desk ticket (重要/紧急 alerts), once opened. */
  ticketId: string | null;
}

/** What the alert hands to the service desk (its SourceTicketHook input, source 'alert'; declared here, structurally). */
export interface AlertTicketInput {
  source: 'alert';
  /** The alert's id: one ticket per alert while it lasts. */
  sourceId: string;
  state: 'open' | 'cleared';
  title: string;
  description: string;
  severity: Severity;
  occurredAt: Date;
  providerId: string | null;
  nodeId: string | null;
  unitId: string | null;
  systemId: string | null;
  resourceIds: string[];
}
/** The service desk's `upsertTicketFromSource` (wired in container.ts); null when a 'cleared' finds no open ticket. */
export type AlertTicketHook = (input: AlertTicketInput) => Promise<{ ticketId: string; created: boolean } | null>;
/** Severities whose alerts open a ticket (重要, 紧急). */
export const TICKET_SEVERITIES: readonly Severity[] = ['major', 'critical'];

/** 已批准的计划性变更窗口 (from operations supervision): alerts on the objects it covers are held back as in a maintenance window. */
export interface PlannedMaintenanceWindow {
  changeId: string;
  title: string;
  providerOrgId: string | null;
  nodeId: string | null;
  systemIds: string[];
  hostIds: string[];
  startsAt: Date;
  endsAt: Date;
}
/** Approved planned work (计划性变更) overlapping a range; implemented by operations supervision, wired by the integrator. */
export interface PlannedWorkSource {
  plannedMaintenanceWindows(ctx: RequestContext, range: { from: Date; to: Date }): Promise<PlannedMaintenanceWindow[]>;
}

/**
 * Whether an approved planned-work window covers a monitored object: the hosts and systems it names (its provider, when
 * given, must match too); naming none, its node; naming no node either, its provider's every object. A window naming
 * nothing covers nothing.
 */
export function plannedWindowCovers(w: PlannedMaintenanceWindow, s: { provider_org_id: string; node_id: string; system_id: string | null; resource_id: string | null }): boolean {
  if (w.providerOrgId && w.providerOrgId !== s.provider_org_id) return false;
  if (w.hostIds.length > 0 || w.systemIds.length > 0) return (s.resource_id !== null && w.hostIds.includes(s.resource_id)) || (s.system_id !== null && w.systemIds.includes(s.system_id));
  if (w.nodeId) return w.nodeId === s.node_id;
  return w.providerOrgId !== null;
}

NotificationService.registerKind('monitoring.alert_fired', '监控告警', 'Monitoring alert');
NotificationService.registerKind('monitoring.escalated', '告警升级', 'Alert escalated');
NotificationService.registerKind('monitoring.capacity', '容量预警', 'Capacity warning');

/** The machine-room climate of seed 004 §5.3: 23 ℃ ± 1 ℃, 40–60 %RH. */
export const ENV_LIMITS = { temperature: { min: 22, max: 24 }, humidity: { min: 40, max: 60 } } as const;
const METRICS_ENV = METRICS.filter((m) => m.kind === 'env');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export function ruleExpression(r: { kind: RuleKind; metric: string; op: 'gt' | 'lt'; threshold: number | null; recovery: number | null; windowMinutes: number; horizonHours: number | null }): string {
  const u = METRIC_BY_NAME.get(r.metric)?.unit ?? '';
  const unit = u === 'state' ? '' : u;
  const op = r.op === 'gt' ? '>' : '<';
  const rec = r.recovery !== null && r.recovery !== r.threshold ? `, recovery ${r.op === 'gt' ? '≤' : '≥'} ${r.recovery}${unit}` : '';
  switch (r.kind) {
    case 'threshold':
      return `avg(${r.metric}, ${r.windowMinutes}m) ${op} ${r.threshold}${unit}${rec}`;
    case 'rate':
      return `delta(${r.metric}, ${r.windowMinutes}m) ${op} ${r.threshold}${unit}${rec}`;
    case 'no_data':
      return `nodata(${r.metric}, ${r.windowMinutes}m)`;
    case 'forecast':
      return `timeleft(${r.metric}, ${r.windowMinutes / 60}h, ${r.threshold}${unit}) < ${r.horizonHours}h`;
  }
}

/**
 * Monitoring (监控告警与容量): reads over the metric store (charts at the right resolution, TopN), alert rules and the
 * alert lifecycle (firing → acknowledged → resolved, deduplicated per rule × object, hysteresis, maintenance windows,
 * key-guarantee-only rules, escalation), capacity per node with 7-natural-day expansion deadlines and forecasts, and
 * the documented figures for the evaluation (`hostUtilisation`, `capacityWarningsSummary`).
 */
export class MonitoringService {
  /** The process's own figures for /metrics (HTTP latency, stored records, evaluation cycles). */
  readonly metrics = new PlatformMetrics();
  private ticketHook: AlertTicketHook | null = null;
  private plannedWork: PlannedWorkSource | null = null;

  constructor(
    private readonly db: Db,
    readonly store: MetricStore,
    private readonly inventory: InventoryService,
    private readonly notifications: NotificationService,
    private readonly logger: Logger,
  ) {
    this.expansions = new TemporaryExpansions(db, inventory);
  }

  /** 临时扩容: free short-term expansions (≤ 20 % of a unit's original resources at a provider). */
  readonly expansions: TemporaryExpansions;

  /** 临时扩容 the caller may see (a unit its own, a provider its own grants, management and supervision all). */
  listExpansions(ctx: RequestContext, q: { unitId?: string; providerId?: string; state?: ExpansionState; now?: Date } = {}) {
    return this.expansions.list(ctx, q);
  }

  /** Records a 临时扩容 (validated against the unit's original resources: at most 20 % in force at once; audited). */
  createExpansion(ctx: RequestContext, input: ExpansionInput, now?: Date) {
    return this.expansions.create(ctx, input, now);
  }

  /** Cancels a planned or running 临时扩容 (audited). */
  cancelExpansion(ctx: RequestContext, id: string, now?: Date) {
    return this.expansions.cancel(ctx, id, now);
  }

  /** Per resource of a unit at a provider: original, the 20 % limit, the most in force at once in [from, to), what is left. */
  expansionAllowance(ctx: RequestContext, q: { unitOrgId: string; providerOrgId?: string | null; from?: Date; to?: Date }) {
    return this.expansions.allowance(ctx, q);
  }

  /** Alerts of severity 重要/紧急 open (and on escalation update) one service-desk ticket each; resolution clears it. */
  setTicketHook(hook: AlertTicketHook): void {
    this.ticketHook = hook;
  }

  /** Approved planned changes (operations supervision) act as maintenance windows on the objects they cover. */
  setPlannedWorkSource(source: PlannedWorkSource): void {
    this.plannedWork = source;
  }

  private read<T>(ctx: RequestContext, fn: (trx: Tx) => Promise<T>): Promise<T> {
    return withTx(this.db, ctx, async (trx) => {
      await sql`set local jit = off`.execute(trx.withoutPlugins());
      return fn(trx);
    });
  }

  // ---- figures for other modules ------------------------------------------------------------------------------

  /**
   * Per cloud host (inventory resource) the caller may see, over [from, to): CPU and memory as the 95th percentile of
   * the hourly averages and the sample-weighted average (percent 0–100, null when no data), hours with data and whole
   * hours in the window. Read from the hourly rollups; scoped by ctx (a unit sees its systems' hosts, a provider its
   * nodes'). Hosts with no point in the window are absent. The evaluation's rightsizing input (idle: cpuP95 low).
   */
  async hostUtilisation(ctx: RequestContext, q: { from: Date; to: Date }): Promise<HostUtilisation[]> {
    if (!(q.from < q.to)) throw validationError('monitoring.invalid_window', 'from must be before to', [{ field: 'from', rule: 'before_to', message: 'from < to', value: q.from }]);
    const hoursInWindow = Math.floor((q.to.getTime() - q.from.getTime()) / HOUR_MS);
    await this.store.flushRollups();
    return this.read(ctx, async (trx) => {
      const rows = await sql<{ resource_id: string; system_id: string | null; unit_org_id: string | null; provider_org_id: string; node_id: string; cpu_p95: number | null; cpu_avg: number | null; mem_p95: number | null; mem_avg: number | null; hours: string }>`
        select s.resource_id, (array_agg(s.system_id))[1] as system_id, (array_agg(s.unit_org_id))[1] as unit_org_id,
               (array_agg(s.provider_org_id))[1] as provider_org_id, (array_agg(s.node_id))[1] as node_id,
               percentile_cont(0.95) within group (order by h.avg) filter (where h.metric = 1) as cpu_p95,
               sum(h.avg * h.n) filter (where h.metric = 1) / nullif(sum(h.n) filter (where h.metric = 1), 0) as cpu_avg,
               percentile_cont(0.95) within group (order by h.avg) filter (where h.metric = 2) as mem_p95,
               sum(h.avg * h.n) filter (where h.metric = 2) / nullif(sum(h.n) filter (where h.metric = 2), 0) as mem_avg,
               count(distinct h.hour) as hours
        from monitoring_series s
        join monitoring_hourly h on h.series_id = s.id and h.metric in (1, 2) and h.hour >= ${q.from} and h.hour < ${q.to}
        where s.kind = 'host' and s.resource_id is not null
        group by s.resource_id
        order by s.resource_id`.execute(trx.withoutPlugins());
      return rows.rows.map((r) => ({
        resourceId: r.resource_id,
        systemId: r.system_id,
        unitOrgId: r.unit_org_id,
        providerOrgId: r.provider_org_id,
        nodeId: r.node_id,
        cpuP95: round2(num(r.cpu_p95)),
        cpuAvg: round2(num(r.cpu_avg)),
        memP95: round2(num(r.mem_p95)),
        memAvg: round2(num(r.mem_avg)),
        hoursWithData: Number(r.hours),
        hoursInWindow,
      }));
    });
  }

  /**
   * Capacity warnings per provider opened in [from, to) (the caller's scope): how many, how many were closed by an
   * expansion on or before the deadline (7 natural days after opening), how many went past it (still open after the
   * deadline, or expanded late). Released warnings (allocation fell back without expansion) count as opened only.
   */
  async capacityWarningsSummary(ctx: RequestContext, q: { from: Date; to: Date }): Promise<CapacityWarningSummary[]> {
    const fromDay = beijingDay(q.from.getTime());
    const toDay = beijingDay(q.to.getTime() - 1);
    const today = beijingDay(Date.now());
    return this.read(ctx, async (trx) => {
      const r = await sql<{ provider_org_id: string; opened: string; in_time: string; overdue: string }>`
        select provider_org_id, count(*) as opened,
               count(*) filter (where status = 'expanded' and closed_in_time) as in_time,
               count(*) filter (where (status = 'open' and deadline < ${today}::date) or (status = 'expanded' and not closed_in_time)) as overdue
        from monitoring_capacity_warnings
        where opened_on >= ${fromDay}::date and opened_on <= ${toDay}::date
        group by provider_org_id order by provider_org_id`.execute(trx.withoutPlugins());
      return r.rows.map((x) => ({ providerOrgId: x.provider_org_id, opened: Number(x.opened), closedInTime: Number(x.in_time), overdue: Number(x.overdue) }));
    });
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  /** Series (hosts, system egress, machine-room sensors) the caller may see. */
  async listSeries(ctx: RequestContext, q: { kind?: 'host' | 'system' | 'env'; keyword?: string; unitId?: string; providerId?: string; nodeId?: string; systemId?: string; limit?: number }) {
    return this.read(ctx, async (trx) => {
      const kw = q.keyword ? `%${q.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const rows = await sql<{ id: string; kind: string; object_key: string; label: string; resource_id: string | null; system_id: string | null; system_name: string | null; unit_org_id: string | null; unit_name: string | null; provider_org_id: string; provider_name: string | null; node_id: string; node_name: string | null; last_at: Date }>`
        select s.id::text, s.kind, s.object_key, s.label, s.resource_id, s.system_id, sy.name as system_name, s.unit_org_id, u.name as unit_name,
               s.provider_org_id, p.name as provider_name, s.node_id, n.name as node_name, s.last_at
        from monitoring_series s
        left join information_systems sy on sy.id = s.system_id
        left join organisations u on u.id = s.unit_org_id
        left join organisations p on p.id = s.provider_org_id
        left join cloud_nodes n on n.id = s.node_id
        where true
          ${q.kind ? sql`and s.kind = ${q.kind}` : sql``}
          ${kw ? sql`and (s.label ilike ${kw} or s.object_key ilike ${kw})` : sql``}
          ${q.unitId ? sql`and s.unit_org_id = ${q.unitId}::uuid` : sql``}
          ${q.providerId ? sql`and s.provider_org_id = ${q.providerId}::uuid` : sql``}
          ${q.nodeId ? sql`and s.node_id = ${q.nodeId}::uuid` : sql``}
          ${q.systemId ? sql`and s.system_id = ${q.systemId}::uuid` : sql``}
        order by s.label, s.id limit ${q.limit ?? 200}`.execute(trx.withoutPlugins());
      return rows.rows.map((r) => ({ id: r.id, kind: r.kind, objectKey: r.object_key, label: r.label, resourceId: r.resource_id, systemId: r.system_id, systemName: r.system_name, unitOrgId: r.unit_org_id, unitName: r.unit_name, providerOrgId: r.provider_org_id, providerName: r.provider_name, nodeId: r.node_id, nodeName: r.node_name, lastAt: iso(r.last_at)!, noData: Date.now() - new Date(r.last_at).getTime() > 15 * 60_000 }));
    });
  }

  /** One series' metrics over a range, from raw points (≤ 24 h), hourly (≤ 30 d) or daily rollups; 404 outside scope. */
  async chart(ctx: RequestContext, q: { seriesId: string; range: Range; metrics?: string[]; now?: Date }) {
    const to = q.now ?? new Date();
    const from = new Date(to.getTime() - RANGE_MS[q.range]);
    const resolution = RESOLUTION[q.range];
    const wanted = (q.metrics ?? []).map((name) => {
      const m = METRIC_BY_NAME.get(name);
      if (!m) throw validationError('monitoring.unknown_metric', `Unknown metric ${name}`, [{ field: 'query.metrics', rule: 'known_metric', message: `One of ${[...METRIC_BY_NAME.keys()].join(', ')}`, value: name }]);
      return m.code;
    });
    if (!/^\d{1,18}$/.test(q.seriesId)) throw notFound('monitoring.series', q.seriesId);
    // Rollup resolutions: the series' dirty buckets are recomputed first (a few rows), so the chart is as of now.
    if (resolution !== 'raw') await this.store.flushRollups({ seriesIds: [q.seriesId] });
    return this.read(ctx, async (trx) => {
      const s = await sql<{ id: string; kind: string; label: string }>`select id::text, kind, label from monitoring_series where id = ${q.seriesId}::bigint`.execute(trx.withoutPlugins());
      if (!s.rows[0]) throw notFound('monitoring.series', q.seriesId);
      const mf = wanted.length > 0 ? sql`and metric = any(${wanted}::smallint[])` : sql``;
      let rows: Array<{ metric: number; t: Date | string; avg: number; min: number; max: number; p95: number; n: number }>;
      if (resolution === 'raw') {
        rows = (await sql<{ metric: number; t: Date; avg: number; min: number; max: number; p95: number; n: number }>`
          select metric, at as t, value as avg, value as min, value as max, value as p95, 1 as n from monitoring_points
          where series_id = ${q.seriesId}::bigint and at >= ${from} and at < ${to} ${mf} order by metric, at`.execute(trx.withoutPlugins())).rows;
      } else if (resolution === 'hourly') {
        rows = (await sql<{ metric: number; t: Date; avg: number; min: number; max: number; p95: number; n: number }>`
          select metric, hour as t, avg, min, max, p95, n from monitoring_hourly
          where series_id = ${q.seriesId}::bigint and hour >= ${from} and hour < ${to} ${mf} order by metric, hour`.execute(trx.withoutPlugins())).rows;
      } else {
        rows = (await sql<{ metric: number; t: string; avg: number; min: number; max: number; p95: number; n: number }>`
          select metric, to_char(day, 'YYYY-MM-DD') as t, avg, min, max, p95, n from monitoring_daily
          where series_id = ${q.seriesId}::bigint and day >= ${beijingDay(from.getTime())}::date and day <= ${beijingDay(to.getTime())}::date ${mf} order by metric, day`.execute(trx.withoutPlugins())).rows;
      }
      const byMetric = new Map<number, Array<{ at: string; avg: number; min: number; max: number; p95: number; n: number }>>();
      for (const r of rows) {
        let list = byMetric.get(r.metric);
        if (!list) byMetric.set(r.metric, (list = []));
        list.push({ at: typeof r.t === 'string' ? r.t : new Date(r.t).toISOString(), avg: round2(Number(r.avg))!, min: round2(Number(r.min))!, max: round2(Number(r.max))!, p95: round2(Number(r.p95))!, n: Number(r.n) });
      }
      return {
        seriesId: s.rows[0].id,
        label: s.rows[0].label,
        range: q.range,
        resolution,
        from: from.toISOString(),
        to: to.toISOString(),
        metrics: [...byMetric.entries()].map(([code, points]) => {
          const m = METRIC_BY_CODE.get(code)!;
          return { metric: m.name, unit: m.unit, cn: m.cn, points };
        }),
      };
    });
  }

  /**
   * TopN series by a metric over a period, from pre-aggregated figures, never raw points.
   * - Standard periods (24 h, 7 d, 30 d) without `now`: the window summaries (`source: 'window'`, monitoring_window,
   *   refreshed by the job monitoring.rollup every 5 minutes): one row per series, scope filters and RLS as below.
   *   The answer's `asOf` is the refresh instant and [from, to) its window ([start of the hour − period, asOf)): the
   *   same answer as the on-the-fly path with `now = asOf` over the rollups of then. A summary older than
   *   WINDOW_MAX_AGE_MS (job not running) is not used.
   * - Otherwise (1 h, a given `now`, `source: 'rollups' | 'hourly'`, no fresh summary) on the fly, after the dirty
   *   buckets were flushed (asOf = the read): 1 h and 24 h from the hourly rollups; 7 d and 30 d from the daily
   *   rollups for the whole Beijing days in the window and the hourly rollups of the edge hours (the same figures as
   *   hourly only: sample-weighted average, highest hourly p95 — the daily p95 is the day's highest hourly p95 — and
   *   max). `source: 'hourly'` forces the hourly-only path (benchmark, tests).
   * Ranked by the average (or p95) rounded to 8 decimals, then series id (ties do not depend on summation order).
   */
  async topN(ctx: RequestContext, q: { metric: string; period: '1h' | '24h' | '7d' | '30d'; n?: number; by?: 'avg' | 'p95'; unitId?: string; providerId?: string; nodeId?: string; systemId?: string; now?: Date; source?: 'auto' | 'rollups' | 'hourly' }) {
    const m = METRIC_BY_NAME.get(q.metric);
    if (!m) throw validationError('monitoring.unknown_metric', `Unknown metric ${q.metric}`, [{ field: 'query.metric', rule: 'known_metric', message: `One of ${[...METRIC_BY_NAME.keys()].join(', ')}`, value: q.metric }]);
    const order = q.by === 'p95' ? sql`round(a.p95::numeric, 8)` : sql`round(a.avg::numeric, 8)`;
    const scope = sql`
      ${q.unitId ? sql`and s.unit_org_id = ${q.unitId}::uuid` : sql``}
      ${q.providerId ? sql`and s.provider_org_id = ${q.providerId}::uuid` : sql``}
      ${q.nodeId ? sql`and s.node_id = ${q.nodeId}::uuid` : sql``}
      ${q.systemId ? sql`and s.system_id = ${q.systemId}::uuid` : sql``}`;
    const scoped = !!(q.unitId || q.providerId || q.nodeId || q.systemId);
    const standard = (q.period === '24h' || q.period === '7d' || q.period === '30d') && !q.now && (q.source ?? 'auto') === 'auto';
    const answer = (r: { rows: TopRow[] }, x: { from: Date; to: Date; source: 'window' | 'hourly' | 'daily+hourly'; asOf: Date }) => ({
      metric: m.name,
      unit: m.unit,
      period: q.period,
      from: x.from.toISOString(),
      to: x.to.toISOString(),
      source: x.source,
      asOf: x.asOf.toISOString(),
      items: r.rows.map((row) => ({ seriesId: row.id, label: row.label, resourceId: row.resource_id, systemName: row.system_name, unitName: row.unit_name, providerName: row.provider_name, nodeName: row.node_name, avg: round2(Number(row.avg))!, p95: round2(Number(row.p95))!, max: round2(Number(row.max))!, samples: Number(row.n) })),
    });
    const names = (top: ReturnType<typeof sql>) => sql<TopRow>`
      select s.id::text, s.label, s.resource_id, sy.name as system_name, u.name as unit_name, p.name as provider_name, nd.name as node_name, a.avg, a.p95, a.max, a.n
      from (${top}) a join monitoring_series s on s.id = a.series_id
      left join information_systems sy on sy.id = s.system_id
      left join organisations u on u.id = s.unit_org_id
      left join organisations p on p.id = s.provider_org_id
      left join cloud_nodes nd on nd.id = s.node_id
      order by ${order} desc, a.series_id`;
    if (standard) {
      const hit = await this.read(ctx, async (trx) => {
        const st = (await sql<{ closed_to: Date; as_of: Date }>`select closed_to, as_of from monitoring_window_state where period = ${q.period}`.execute(trx.withoutPlugins())).rows[0];
        if (!st || Date.now() - new Date(st.as_of).getTime() > WINDOW_MAX_AGE_MS) return null;
        // One row per series of the period × metric (primary key prefix), joined to the series in the caller's scope.
        // The first N entries of the ranking index (avg_r / p95_r: the same rounded keys the on-the-fly path ranks by).
        const key = q.by === 'p95' ? sql`w.p95_r desc nulls last` : sql`w.avg_r desc`;
        const top = sql`
          select w.series_id, w.s / w.n as avg, w.p95, w.max, w.n from monitoring_window w
          ${scoped ? sql`join monitoring_series s on s.id = w.series_id` : sql``}
          where w.period = ${q.period} and w.metric = ${m.code} ${scoped ? scope : sql``}
          order by ${key}, w.series_id limit ${q.n ?? 10}`;
        const rows = await names(top).execute(trx.withoutPlugins());
        const from = new Date(new Date(st.closed_to).getTime() - RANGE_MS[q.period]);
        return answer(rows, { from, to: new Date(st.as_of), source: 'window', asOf: new Date(st.as_of) });
      });
      if (hit) return hit;
    }
    // On the fly: the rollups are brought up to date first (the dirty buckets recomputed), so the answer is as of now.
    await this.store.flushRollups();
    const to = q.now ?? new Date();
    const from = new Date(hourOfFloor(to.getTime() - RANGE_MS[q.period]));
    const parts = windowParts({ codes: [m.code], from, to, daily: (q.period === '7d' || q.period === '30d') && q.source !== 'hourly' });
    return this.read(ctx, async (trx) => {
      const top = sql`
        with agg as (
          select x.series_id, sum(x.s) / sum(x.n) as avg, max(x.p95) as p95, max(x.max) as max, sum(x.n) as n
          from (${parts.sql}) x
          group by x.series_id
        )
        select a.* from agg a
        ${scoped ? sql`join monitoring_series s on s.id = a.series_id where true ${scope}` : sql``}
        order by ${order} desc, a.series_id limit ${q.n ?? 10}`;
      const rows = await names(top).execute(trx.withoutPlugins());
      return answer(rows, { from, to, source: parts.source, asOf: new Date() });
    });
  }

  /**
   * 机房环境 (machine-room environment): per environment object the caller may see (a provider its own nodes',
   * management and supervision all; units none), the latest value of each environment metric within a day and what
   * is out of line: temperature outside 23 ℃ ± 1 ℃ and humidity outside 40–60 %RH (seed 004 §5.3), UPS on battery,
   * UPS alarm, generator fault, no data for 15 minutes.
   */
  async environment(ctx: RequestContext, q: { now?: Date } = {}) {
    const now = q.now ?? new Date();
    const envMetrics = METRICS_ENV;
    return this.read(ctx, async (trx) => {
      const rows = await sql<{ id: string; object_key: string; label: string; provider_name: string | null; node_name: string | null; node_id: string; last_at: Date; metric: number | null; value: number | null; at: Date | null }>`
        select s.id::text, s.object_key, s.label, p.name as provider_name, n.name as node_name, s.node_id, s.last_at, lp.metric, lp.value, lp.at
        from monitoring_series s
        left join organisations p on p.id = s.provider_org_id
        left join cloud_nodes n on n.id = s.node_id
        left join lateral (
          select distinct on (pt.metric) pt.metric, pt.value, pt.at from monitoring_points pt
          where pt.series_id = s.id and pt.at > ${now}::timestamptz - interval '1 day' and pt.at <= ${now} order by pt.metric, pt.at desc) lp on true
        where s.kind = 'env'
        order by s.object_key, s.id`.execute(trx.withoutPlugins());
      const bySeries = new Map<string, { seriesId: string; machineRoom: string; location: string; label: string; providerName: string | null; nodeName: string | null; nodeId: string; lastAt: string; values: Record<string, number | null>; issues: string[] }>();
      for (const r of rows.rows) {
        let e = bySeries.get(r.id);
        if (!e) {
          const [room, ...loc] = r.object_key.split('/');
          e = { seriesId: r.id, machineRoom: room ?? '', location: loc.join('/'), label: r.label, providerName: r.provider_name, nodeName: r.node_name, nodeId: r.node_id, lastAt: iso(r.last_at)!, values: Object.fromEntries(envMetrics.map((m) => [m.name, null])), issues: [] };
          bySeries.set(r.id, e);
        }
        if (r.metric !== null) {
          const m = METRIC_BY_CODE.get(r.metric);
          if (m && m.kind === 'env') e.values[m.name] = round2(Number(r.value));
        }
      }
      const items = [...bySeries.values()].map((e) => {
        const v = e.values;
        const issues: string[] = [];
        if (v['temperature'] != null && v['temperature'] > ENV_LIMITS.temperature.max) issues.push('temperature_high');
        if (v['temperature'] != null && v['temperature'] < ENV_LIMITS.temperature.min) issues.push('temperature_low');
        if (v['humidity'] != null && v['humidity'] > ENV_LIMITS.humidity.max) issues.push('humidity_high');
        if (v['humidity'] != null && v['humidity'] < ENV_LIMITS.humidity.min) issues.push('humidity_low');
        if (v['ups_on_battery'] === 1) issues.push('ups_on_battery');
        if (v['ups_alarm'] === 1) issues.push('ups_alarm');
        if (v['generator_fault'] === 1) issues.push('generator_fault');
        if (now.getTime() - new Date(e.lastAt).getTime() > 15 * 60_000) issues.push('no_data');
        return { ...e, issues };
      });
      return { limits: ENV_LIMITS, metrics: envMetrics.map((m) => ({ metric: m.name, cn: m.cn, en: m.en, unit: m.unit })), items };
    });
  }

  // ---- rules ----------------------------------------------------------------------------------------------------

  /** Rules the caller may see, each with what the caller may do (change/disable: monitoring:manage, a platform rule only by management and supervision). */
  async listRules(ctx: RequestContext): Promise<Array<Rule & { abilities: { update: boolean } }>> {
    const manage = ctx.actor.kind === 'system' || ctx.actor.permissions.has('monitoring:manage');
    return this.read(ctx, async (trx) => (await sql<RuleRow & { owner_org_id: string | null }>`select * from monitoring_rules order by case severity when 'critical' then 0 when 'major' then 1 when 'minor' then 2 else 3 end, name, id`.execute(trx.withoutPlugins())).rows
      .map((r) => ({ ...toRule(r), abilities: { update: manage && (ctx.actor.scope.all || (!r.is_global && r.owner_org_id === ctx.actor.orgId)) } })));
  }

  private async checkRule(trx: Tx, ctx: RequestContext, input: RuleInput): Promise<void> {
    const issues: Array<{ field: string; rule: string; message: string; value?: unknown }> = [];
    const m = METRIC_BY_NAME.get(input.metric);
    if (!m) issues.push({ field: 'body.metric', rule: 'known_metric', message: `One of ${[...METRIC_BY_NAME.keys()].join(', ')}`, value: input.metric });
    if ((input.kind === 'threshold' || input.kind === 'rate' || input.kind === 'forecast') && (input.threshold === null || input.threshold === undefined)) issues.push({ field: 'body.threshold', rule: 'required', message: 'A threshold rule needs a threshold' });
    if (m && m.unit === '%' && input.threshold != null && (input.threshold < 0 || input.threshold > 100) && input.kind !== 'rate') issues.push({ field: 'body.threshold', rule: 'percent_0_100', message: 'A percentage threshold is between 0 and 100', value: input.threshold });
    if (input.kind === 'forecast' && !input.horizonHours) issues.push({ field: 'body.horizonHours', rule: 'required', message: 'A forecast rule needs a horizon in hours' });
    if (input.kind === 'forecast' && (input.windowMinutes ?? 0) < 360) issues.push({ field: 'body.windowMinutes', rule: 'min_fit_window', message: 'A forecast fits at least 6 hours of hourly rollups', value: input.windowMinutes });
    const op = input.op ?? 'gt';
    if (input.recovery != null && input.threshold != null && input.kind !== 'forecast' && (op === 'gt' ? input.recovery > input.threshold : input.recovery < input.threshold)) {
      issues.push({ field: 'body.recovery', rule: 'hysteresis', message: op === 'gt' ? 'The recovery threshold is at most the threshold' : 'The recovery threshold is at least the threshold', value: input.recovery });
    }
    if (issues.length > 0) throw validationError('monitoring.invalid_rule', 'The rule is not valid', issues);
    // The scope must be something the author may see (another tenant's object is refused as unknown).
    const all = ctx.actor.scope.all;
    if (input.scopeKind === 'all') {
      if (!all) throw validationError('monitoring.scope_not_visible', 'Only management and supervision write rules for everything', [{ field: 'body.scopeKind', rule: 'visible_scope', message: 'Name a host, system, unit, provider or node of your own' }]);
      return;
    }
    const id = input.scopeId ?? '';
    const visible = UUID.test(id)
      ? input.scopeKind === 'host'
        ? await this.inventory.get(ctx, id).then((r) => ({ rows: r.kind === 'cloud_host' ? [r] : [] }), () => ({ rows: [] }))
        : input.scopeKind === 'system'
          ? await sql`select 1 from information_systems where id = ${id}::uuid`.execute(trx.withoutPlugins())
          : input.scopeKind === 'node'
            ? await sql`select 1 from cloud_nodes n where n.id = ${id}::uuid and (${all} or exists (select 1 from organisations o where o.id = n.provider_org_id))`.execute(trx.withoutPlugins())
            : await sql`select 1 from organisations where id = ${id}::uuid`.execute(trx.withoutPlugins())
      : { rows: [] };
    if (visible.rows.length === 0) throw validationError('monitoring.scope_not_visible', 'The rule names a scope you may not see or that has no data', [{ field: 'body.scopeId', rule: 'visible_scope', message: 'Unknown or not yours', value: input.scopeId }]);
  }

  async createRule(ctx: RequestContext, input: RuleInput): Promise<Rule> {
    return withTx(this.db, ctx, async (trx) => {
      await this.checkRule(trx, ctx, input);
      const r = await sql<RuleRow>`
        insert into monitoring_rules (name, kind, metric, op, threshold, recovery, window_minutes, horizon_hours, severity, scope_kind, scope_id, key_period_only, escalate_after_minutes, enabled, is_global, owner_org_id, created_by)
        values (${input.name}, ${input.kind}, ${input.metric}, ${input.op ?? 'gt'}, ${input.threshold ?? null}, ${input.recovery ?? null}, ${input.windowMinutes ?? 15}, ${input.horizonHours ?? null},
                ${input.severity}, ${input.scopeKind}, ${input.scopeId ?? null}, ${input.keyPeriodOnly ?? false}, ${input.escalateAfterMinutes ?? null}, ${input.enabled ?? true},
                ${ctx.actor.scope.all}, ${ctx.actor.orgId}, ${ctx.actor.userId})
        returning *`.execute(trx.withoutPlugins());
      const rule = toRule(r.rows[0]!);
      await recordAudit(trx, ctx, { action: 'monitoring.rule_create', targetType: 'monitoring_rule', targetId: rule.id, after: { ...rule } });
      return rule;
    });
  }

  async updateRule(ctx: RequestContext, id: string, input: RuleInput): Promise<Rule> {
    if (!UUID.test(id)) throw notFound('monitoring.rule', id);
    return withTx(this.db, ctx, async (trx) => {
      const before = await sql<RuleRow>`select * from monitoring_rules where id = ${id}::uuid for update`.execute(trx.withoutPlugins());
      if (!before.rows[0]) throw notFound('monitoring.rule', id);
      if (before.rows[0].is_global && !ctx.actor.scope.all) throw notFound('monitoring.rule', id);
      await this.checkRule(trx, ctx, input);
      const r = await sql<RuleRow>`
        update monitoring_rules set name = ${input.name}, kind = ${input.kind}, metric = ${input.metric}, op = ${input.op ?? 'gt'}, threshold = ${input.threshold ?? null},
          recovery = ${input.recovery ?? null}, window_minutes = ${input.windowMinutes ?? 15}, horizon_hours = ${input.horizonHours ?? null}, severity = ${input.severity},
          scope_kind = ${input.scopeKind}, scope_id = ${input.scopeId ?? null}, key_period_only = ${input.keyPeriodOnly ?? false},
          escalate_after_minutes = ${input.escalateAfterMinutes ?? null}, enabled = ${input.enabled ?? true}, updated_at = now()
        where id = ${id}::uuid returning *`.execute(trx.withoutPlugins());
      const rule = toRule(r.rows[0]!);
      await recordAudit(trx, ctx, { action: 'monitoring.rule_update', targetType: 'monitoring_rule', targetId: id, before: toRule(before.rows[0]) as never, after: rule as never });
      return rule;
    });
  }

  // ---- maintenance windows ----------------------------------------------------------------------------------------

  async listMaintenance(ctx: RequestContext) {
    return this.read(ctx, async (trx) => {
      const r = await sql<MaintenanceRow>`select id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id from monitoring_maintenance order by starts_at desc limit 500`.execute(trx.withoutPlugins());
      return r.rows.map((x) => toMaintenance(x, ctx));
    });
  }

  private checkWindow(input: { startsAt: Date; endsAt: Date }) {
    if (!(input.endsAt > input.startsAt)) throw validationError('monitoring.invalid_window', 'The window ends after it starts', [{ field: 'body.endsAt', rule: 'after_start', message: 'endsAt > startsAt', value: input.endsAt }]);
  }

  /** A maintenance window: rules open no alert on objects in its scope while it lasts (open alerts stay). */
  async createMaintenance(ctx: RequestContext, input: MaintenanceInput) {
    this.checkWindow(input);
    return withTx(this.db, ctx, async (trx) => {
      await this.checkRule(trx, ctx, { name: 'window', kind: 'no_data', metric: 'cpu', severity: 'info', scopeKind: input.scopeKind, scopeId: input.scopeId ?? null });
      const r = await sql<MaintenanceRow>`insert into monitoring_maintenance (scope_kind, scope_id, starts_at, ends_at, reason, owner_org_id, created_by)
        values (${input.scopeKind}, ${input.scopeId ?? null}, ${input.startsAt}, ${input.endsAt}, ${input.reason}, ${ctx.actor.orgId}, ${ctx.actor.userId})
        returning id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id`.execute(trx.withoutPlugins());
      await recordAudit(trx, ctx, { action: 'monitoring.maintenance_create', targetType: 'monitoring_maintenance', targetId: r.rows[0]!.id, after: { ...input } as never });
      return toMaintenance(r.rows[0]!, ctx);
    });
  }

  /** Changes a window (scope, times, reason); a cancelled window is not changed (409). Another tenant's: 404. */
  async updateMaintenance(ctx: RequestContext, id: string, input: MaintenanceInput) {
    if (!UUID.test(id)) throw notFound('monitoring.maintenance', id);
    this.checkWindow(input);
    return withTx(this.db, ctx, async (trx) => {
      const before = (await sql<MaintenanceRow>`select id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id from monitoring_maintenance where id = ${id}::uuid for update`.execute(trx.withoutPlugins())).rows[0];
      if (!before) throw notFound('monitoring.maintenance', id);
      if (before.cancelled_at) throw new AppError('conflict', 'monitoring.maintenance_cancelled', 'The maintenance window was cancelled', { id });
      await this.checkRule(trx, ctx, { name: 'window', kind: 'no_data', metric: 'cpu', severity: 'info', scopeKind: input.scopeKind, scopeId: input.scopeId ?? null });
      const r = await sql<MaintenanceRow>`update monitoring_maintenance set scope_kind = ${input.scopeKind}, scope_id = ${input.scopeId ?? null}, starts_at = ${input.startsAt}, ends_at = ${input.endsAt}, reason = ${input.reason}, updated_at = now()
        where id = ${id}::uuid returning id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id`.execute(trx.withoutPlugins());
      await recordAudit(trx, ctx, { action: 'monitoring.maintenance_update', targetType: 'monitoring_maintenance', targetId: id, before: toMaintenance(before, ctx) as never, after: { ...input } as never });
      return toMaintenance(r.rows[0]!, ctx);
    });
  }

  /** Cancels (停用) a window: from now on it suppresses nothing. Cancelling twice: 409. */
  async cancelMaintenance(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound('monitoring.maintenance', id);
    return withTx(this.db, ctx, async (trx) => {
      const before = (await sql<MaintenanceRow>`select id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id from monitoring_maintenance where id = ${id}::uuid for update`.execute(trx.withoutPlugins())).rows[0];
      if (!before) throw notFound('monitoring.maintenance', id);
      if (before.cancelled_at) throw new AppError('conflict', 'monitoring.maintenance_cancelled', 'The maintenance window was cancelled', { id });
      const r = await sql<MaintenanceRow>`update monitoring_maintenance set cancelled_at = now(), cancelled_by = ${ctx.actor.userId}, updated_at = now()
        where id = ${id}::uuid returning id, scope_kind, scope_id, starts_at, ends_at, reason, cancelled_at, owner_org_id`.execute(trx.withoutPlugins());
      await recordAudit(trx, ctx, { action: 'monitoring.maintenance_cancel', targetType: 'monitoring_maintenance', targetId: id, before: { cancelled: false }, after: { cancelled: true } });
      return toMaintenance(r.rows[0]!, ctx);
    });
  }

  // ---- alerts -----------------------------------------------------------------------------------------------------

  async listAlerts(ctx: RequestContext, q: { status?: 'open' | 'firing' | 'acknowledged' | 'resolved'; severity?: Severity; providerId?: string; unitId?: string; nodeId?: string; systemId?: string; ruleId?: string; page?: number; pageSize?: number }) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return this.read(ctx, async (trx) => {
      const where = sql`where true
        ${q.status === 'open' ? sql`and a.status <> 'resolved'` : q.status ? sql`and a.status = ${q.status}` : sql``}
        ${q.severity ? sql`and a.severity = ${q.severity}` : sql``}
        ${q.providerId ? sql`and a.provider_org_id = ${q.providerId}::uuid` : sql``}
        ${q.unitId ? sql`and a.unit_org_id = ${q.unitId}::uuid` : sql``}
        ${q.nodeId ? sql`and a.node_id = ${q.nodeId}::uuid` : sql``}
        ${q.systemId ? sql`and a.system_id = ${q.systemId}::uuid` : sql``}
        ${q.ruleId ? sql`and a.rule_id = ${q.ruleId}::uuid` : sql``}`;
      const total = await sql<{ n: string }>`select count(*) as n from monitoring_alerts a ${where}`.execute(trx.withoutPlugins());
      const rows = await sql<AlertRow>`${alertSelect()} ${where}
        order by (a.status = 'resolved'), case a.severity when 'critical' then 0 when 'major' then 1 when 'minor' then 2 else 3 end, a.started_at desc, a.id
        limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(trx.withoutPlugins());
      return { items: rows.rows.map(toAlert), total: Number(total.rows[0]!.n), page, pageSize };
    });
  }

  /** Open alerts counted by severity, node, provider and unit (the alarm view's header). */
  async alertSummary(ctx: RequestContext) {
    return this.read(ctx, async (trx) => {
      const r = await sql<{ dim: string; id: string | null; name: string | null; severity: Severity; n: string }>`
        select 'severity' as dim, null::text as id, null::text as name, severity, count(*) as n from monitoring_alerts where status <> 'resolved' group by severity
        union all
        select 'node', a.node_id::text, max(n.name), a.severity, count(*) from monitoring_alerts a left join cloud_nodes n on n.id = a.node_id where a.status <> 'resolved' group by a.node_id, a.severity
        union all
        select 'provider', a.provider_org_id::text, max(o.name), a.severity, count(*) from monitoring_alerts a left join organisations o on o.id = a.provider_org_id where a.status <> 'resolved' group by a.provider_org_id, a.severity
        union all
        select 'unit', a.unit_org_id::text, max(o.name), a.severity, count(*) from monitoring_alerts a left join organisations o on o.id = a.unit_org_id where a.status <> 'resolved' group by a.unit_org_id, a.severity`.execute(trx.withoutPlugins());
      const bySeverity: Record<Severity, number> = { critical: 0, major: 0, minor: 0, info: 0 };
      const groups: Record<'node' | 'provider' | 'unit', Map<string, { id: string | null; name: string | null; total: number; bySeverity: Record<Severity, number> }>> = { node: new Map(), provider: new Map(), unit: new Map() };
      for (const x of r.rows) {
        if (x.dim === 'severity') {
          bySeverity[x.severity] = Number(x.n);
          continue;
        }
        const g = groups[x.dim as 'node' | 'provider' | 'unit'];
        const k = x.id ?? '';
        let e = g.get(k);
        if (!e) g.set(k, (e = { id: x.id, name: x.name, total: 0, bySeverity: { critical: 0, major: 0, minor: 0, info: 0 } }));
        e.bySeverity[x.severity] += Number(x.n);
        e.total += Number(x.n);
      }
      const list = (m: Map<string, { id: string | null; name: string | null; total: number; bySeverity: Record<Severity, number> }>) => [...m.values()].sort((a, b) => b.total - a.total);
      return { bySeverity, total: Object.values(bySeverity).reduce((a, b) => a + b, 0), byNode: list(groups.node), byProvider: list(groups.provider), byUnit: list(groups.unit) };
    });
  }

  async getAlert(ctx: RequestContext, id: string) {
    if (!UUID.test(id)) throw notFound('monitoring.alert', id);
    return this.read(ctx, (trx) => this.alertDetail(trx, ctx, id));
  }

  private async alertDetail(trx: Tx, ctx: RequestContext, id: string) {
    const row = (await sql<AlertRow>`${alertSelect()} where a.id = ${id}::uuid`.execute(trx.withoutPlugins())).rows[0];
    if (!row) throw notFound('monitoring.alert', id);
    const events = await sql<{ at: Date; action: string; value: number | null; note: string | null; actor: string | null }>`
      select e.at, e.action, e.value, e.note, u.display_name as actor from monitoring_alert_events e left join users u on u.id = e.actor_user_id
      where e.alert_id = ${id}::uuid order by e.at, e.id`.execute(trx.withoutPlugins());
    const a = toAlert(row);
    const canAck = (ctx.actor.kind === 'system' || ctx.actor.permissions.has('monitoring:ack')) && a.status === 'firing';
    return { ...a, events: events.rows.map((e) => ({ at: iso(e.at)!, action: e.action, value: round2(num(e.value)), note: e.note, actor: e.actor })), abilities: { acknowledge: canAck } };
  }

  /** firing → acknowledged, with who and a comment; audited. */
  async acknowledge(ctx: RequestContext, id: string, comment: string) {
    if (!UUID.test(id)) throw notFound('monitoring.alert', id);
    return withTx(this.db, ctx, async (trx) => {
      const cur = await sql<{ status: string }>`select status from monitoring_alerts where id = ${id}::uuid for update`.execute(trx.withoutPlugins());
      if (!cur.rows[0]) throw notFound('monitoring.alert', id);
      if (cur.rows[0].status !== 'firing') throw new AppError('conflict', 'monitoring.not_firing', `The alert is ${cur.rows[0].status}: only a firing alert is acknowledged`, { status: cur.rows[0].status });
      await sql`update monitoring_alerts set status = 'acknowledged', acknowledged_at = now(), acknowledged_by = ${ctx.actor.userId}, ack_comment = ${comment} where id = ${id}::uuid`.execute(trx.withoutPlugins());
      await sql`insert into monitoring_alert_events (alert_id, action, actor_user_id, note) values (${id}::uuid, 'acknowledged', ${ctx.actor.userId}, ${comment})`.execute(trx.withoutPlugins());
      await recordAudit(trx, ctx, { action: 'monitoring.alert_acknowledge', targetType: 'monitoring_alert', targetId: id, before: { status: 'firing' }, after: { status: 'acknowledged', comment } });
      return this.alertDetail(trx, ctx, id);
    });
  }

  /**
   * One evaluation cycle (job monitoring.evaluate, every minute) at `now`: each enabled rule over the series in its
   * scope. Each rule is evaluated in its own transaction (advisory lock per rule): opening an alert, its notification
   * and its audit entry commit together, and the open-alert unique index (rule × series) makes a rerun after a crash
   * find the alert already open — no duplicate notifications across restarts. Approved planned work (the planned-work
   * source) is read once per cycle and acts as maintenance windows. After each rule's commit, its 重要/紧急 alerts are
   * passed to the service desk (the ticket hook); a failed call is retried by the next cycle.
   */
  async evaluate(now = new Date(), opts: { ruleIds?: string[] } = {}): Promise<{ rules: number; fired: number; resolved: number; suppressed: number; escalated: number; flapping: number; tickets: number; ms: number }> {
    const started = Date.now();
    const ctx = systemContext('job:monitoring.evaluate');
    // Forecast rules read the hourly rollups: the dirty buckets are recomputed first.
    await this.store.flushRollups();
    const rules = await withTx(this.db, ctx, async (trx) => (await sql<RuleRow>`select * from monitoring_rules where enabled ${opts.ruleIds ? sql`and id = any(${opts.ruleIds}::uuid[])` : sql``} order by id`.execute(trx.withoutPlugins())).rows.map(toRule));
    const planned = await this.plannedWindows(ctx, now);
    const total = { rules: 0, fired: 0, resolved: 0, suppressed: 0, escalated: 0, flapping: 0, tickets: 0, ms: 0 };
    for (const rule of rules) {
      try {
        const r = await this.evaluateRule(ctx, rule, now, planned);
        total.rules++;
        total.fired += r.fired;
        total.resolved += r.resolved;
        total.suppressed += r.suppressed;
        total.escalated += r.escalated;
        total.flapping += r.flapping;
      } catch (e) {
        this.logger.warn({ err: e, ruleId: rule.id }, 'monitoring: rule evaluation failed');
      }
      total.tickets += await this.syncTickets(ctx, rule);
    }
    total.ms = Date.now() - started;
    this.metrics.observeEvaluation(total.ms);
    return total;
  }

  /** The approved planned-work windows in force at `now`; none when no source is wired or it fails (alerting goes on). */
  private async plannedWindows(ctx: RequestContext, now: Date): Promise<PlannedMaintenanceWindow[]> {
    if (!this.plannedWork) return [];
    try {
      const list = await this.plannedWork.plannedMaintenanceWindows(ctx, { from: now, to: new Date(now.getTime() + 60_000) });
      return list.filter((w) => w.startsAt.getTime() <= now.getTime() && w.endsAt.getTime() > now.getTime());
    } catch (e) {
      this.logger.warn({ err: e }, 'monitoring: planned work source failed; no planned windows this cycle');
      return [];
    }
  }

  /**
   * Passes a rule's 重要/紧急 alerts to the service desk where its last word differs: open alerts (not flapping) the
   * desk was not told of (or that escalated since) → 'open'; resolved alerts with an open ticket → 'cleared'.
   * Outside the rule's transaction (the desk commits its own); a failure stays pending for the next cycle.
   */
  private async syncTickets(ctx: RequestContext, rule: Rule): Promise<number> {
    if (!this.ticketHook || !TICKET_SEVERITIES.includes(rule.severity)) return 0;
    const pending = await withTx(this.db, ctx, async (trx) => (await sql<{ id: string; status: Alert['status']; severity: Severity; object_label: string; message: string; started_at: Date; resolved_at: Date | null; escalated_at: Date | null; provider_org_id: string; node_id: string; unit_org_id: string | null; system_id: string | null; resource_id: string | null }>`
      select id, status, severity, object_label, message, started_at, resolved_at, escalated_at, provider_org_id, node_id, unit_org_id, system_id, resource_id from monitoring_alerts
      where rule_id = ${rule.id}::uuid and severity in ('major','critical') and not flapping
        and ((status <> 'resolved' and ticket_state is null) or (status = 'resolved' and ticket_state = 'open'))
      order by started_at limit 500`.execute(trx.withoutPlugins())).rows);
    let n = 0;
    for (const a of pending) {
      const state = a.status === 'resolved' ? 'cleared' : 'open';
      try {
        const res = await this.ticketHook({
          source: 'alert', sourceId: a.id, state, severity: a.severity,
          title: `【${SEVERITY_CN[a.severity]}告警】${rule.name}：${a.object_label}`.slice(0, 200),
          description: [a.message, `规则：${rule.expression}`, ...(a.escalated_at ? ['告警未确认，已升级至管理单位'] : []), ...(a.resolved_at ? ['条件恢复，告警自动解除'] : []), `告警详情：/monitoring/alerts?id=${a.id}`].join('\n'),
          occurredAt: state === 'cleared' ? new Date(a.resolved_at!) : new Date(a.started_at),
          providerId: a.provider_org_id, nodeId: a.node_id, unitId: a.unit_org_id, systemId: a.system_id, resourceIds: a.resource_id ? [a.resource_id] : [],
        });
        await withTx(this.db, ctx, (trx) => sql`update monitoring_alerts set ticket_state = ${state}, ticket_id = coalesce(${res?.ticketId ?? null}::uuid, ticket_id) where id = ${a.id}::uuid`.execute(trx.withoutPlugins()));
        n++;
      } catch (e) {
        this.logger.warn({ err: e, alertId: a.id }, 'monitoring: ticket hook failed; retried next cycle');
      }
    }
    return n;
  }

  private async evaluateRule(ctx: RequestContext, rule: Rule, now: Date, planned: readonly PlannedMaintenanceWindow[] = []) {
    return withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('monitoring.evaluate'), hashtext(${rule.id}))`.execute(trx.withoutPlugins());
      const m = METRIC_BY_NAME.get(rule.metric)!;
      const scope = scopeFilter(rule.scopeKind, rule.scopeId);
      const windowStart = new Date(now.getTime() - rule.windowMinutes * 60_000);
      let values: Array<{ series_id: string; value: number | null }>;
      if (rule.kind === 'threshold') {
        values = (await sql<{ series_id: string; value: number | null }>`
          select s.id::text as series_id, avg(p.value) as value from monitoring_series s
          join monitoring_points p on p.series_id = s.id and p.metric = ${m.code} and p.at > ${windowStart} and p.at <= ${now}
          where s.kind = ${m.kind} ${scope} group by s.id`.execute(trx.withoutPlugins())).rows;
      } else if (rule.kind === 'rate') {
        values = (await sql<{ series_id: string; value: number | null }>`
          select s.id::text as series_id,
                 (array_agg(p.value order by p.at desc))[1] - (array_agg(p.value order by p.at))[1] as value
          from monitoring_series s
          join monitoring_points p on p.series_id = s.id and p.metric = ${m.code} and p.at > ${windowStart} and p.at <= ${now}
          where s.kind = ${m.kind} ${scope} group by s.id having count(*) >= 2`.execute(trx.withoutPlugins())).rows;
      } else if (rule.kind === 'no_data') {
        // Minutes since the series' last point of the metric (series that reported within the raw retention).
        values = (await sql<{ series_id: string; value: number | null }>`
          select s.id::text as series_id, extract(epoch from (${now}::timestamptz - max(p.at))) / 60 as value
          from monitoring_series s
          join monitoring_points p on p.series_id = s.id and p.metric = ${m.code} and p.at > ${now}::timestamptz - interval '2 days' and p.at <= ${now}
          where s.kind = ${m.kind} ${scope} group by s.id`.execute(trx.withoutPlugins())).rows;
      } else {
        const fitRows = (await sql<{ series_id: string; xs: string[]; ys: number[] }>`
          select s.id::text as series_id, array_agg(h.hour::text order by h.hour) as xs, array_agg(h.avg order by h.hour) as ys
          from monitoring_series s
          join monitoring_hourly h on h.series_id = s.id and h.metric = ${m.code} and h.hour >= ${windowStart} and h.hour < ${now}
          where s.kind = ${m.kind} ${scope} group by s.id having count(*) >= 6`.execute(trx.withoutPlugins())).rows;
        values = fitRows.map((r) => {
          const pts = r.xs.map((x, i) => ({ x: new Date(x).getTime() + HOUR_MS / 2, y: Number(r.ys[i]) }));
          const left = timeLeft(pts, rule.threshold ?? 95, now.getTime());
          return { series_id: r.series_id, value: left === null ? null : left / HOUR_MS };
        });
      }
      const keyOnly = rule.keyPeriodOnly;
      const open = new Map(
        (await sql<{ id: string; series_id: string; status: string; started_at: Date; escalated_at: Date | null; flapping: boolean }>`
          select id, series_id::text, status, started_at, escalated_at, flapping from monitoring_alerts where rule_id = ${rule.id}::uuid and status <> 'resolved' for update`.execute(trx.withoutPlugins())).rows.map((r) => [r.series_id, r]),
      );
      const flapCfg = (await sql<{ n: number; w: number }>`select flap_threshold as n, flap_window_minutes as w from monitoring_settings`.execute(trx.withoutPlugins())).rows[0] ?? { n: 4, w: 60 };
      const flappingNow = new Map(
        (await sql<{ id: string; series_id: string }>`select id::text, series_id::text from monitoring_flapping where rule_id = ${rule.id}::uuid and ended_at is null for update`.execute(trx.withoutPlugins())).rows.map((r) => [r.series_id, r.id]),
      );
      // Transitions (fired, resolved) of this rule × object within the flap window, this transaction's included.
      const transitions = async (seriesIds: string[]): Promise<Map<string, number>> => {
        if (seriesIds.length === 0) return new Map();
        const r = await sql<{ series_id: string; n: string }>`
          select a.series_id::text, count(*) as n from monitoring_alert_events e join monitoring_alerts a on a.id = e.alert_id
          where a.rule_id = ${rule.id}::uuid and a.series_id = any(${seriesIds}::bigint[]) and e.action in ('fired','resolved')
            and e.at > ${new Date(now.getTime() - flapCfg.w * 60_000)} and e.at <= ${now}
          group by a.series_id`.execute(trx.withoutPlugins());
        return new Map(r.rows.map((x) => [x.series_id, Number(x.n)]));
      };
      const startFlapping = async (seriesId: string, alertId: string, count: number) => {
        const ins = await sql<{ id: string }>`insert into monitoring_flapping (rule_id, series_id, started_at, transitions) values (${rule.id}::uuid, ${seriesId}::bigint, ${now}, ${count})
          on conflict (rule_id, series_id) where ended_at is null do nothing returning id::text`.execute(trx.withoutPlugins());
        if (!ins.rows[0]) return;
        flappingNow.set(seriesId, ins.rows[0].id);
        const note = `${flapCfg.w} 分钟内状态变化 ${count} 次（超过 ${flapCfg.n} 次），判定为抖动，暂停通知直至稳定`;
        await sql`insert into monitoring_alert_events (alert_id, at, action, note) values (${alertId}::uuid, ${now}, 'flapping', ${note})`.execute(trx.withoutPlugins());
        await recordAudit(trx, ctx, { action: 'monitoring.flap_start', targetType: 'monitoring_alert', targetId: alertId, after: { rule: rule.name, seriesId, transitions: count, windowMinutes: flapCfg.w, threshold: flapCfg.n } });
        result.flapping++;
      };
      const seen = new Set<string>();
      const result = { fired: 0, resolved: 0, suppressed: 0, escalated: 0, flapping: 0 };
      const toFire: Array<{ seriesId: string; value: number | null }> = [];
      const resolvedNow: Array<{ seriesId: string; alertId: string }> = [];
      for (const v of values) {
        seen.add(v.series_id);
        const value = v.value === null ? null : Number(v.value);
        const isOpen = open.has(v.series_id);
        const d = rule.kind === 'no_data' ? (value !== null && value > rule.windowMinutes ? 'fire' : 'clear') : decide(rule, value, isOpen);
        if (d === 'fire' && !isOpen) toFire.push({ seriesId: v.series_id, value });
        else if (d === 'clear' && isOpen) {
          await this.resolve(trx, ctx, open.get(v.series_id)!.id, value, now);
          resolvedNow.push({ seriesId: v.series_id, alertId: open.get(v.series_id)!.id });
          open.delete(v.series_id);
          result.resolved++;
        }
      }
      // A resolution may itself pass the flap threshold: the object's next alert is then held back.
      const afterResolve = await transitions(resolvedNow.filter((r) => !flappingNow.has(r.seriesId)).map((r) => r.seriesId));
      for (const r of resolvedNow) {
        const c = afterResolve.get(r.seriesId) ?? 0;
        if (!flappingNow.has(r.seriesId) && c > flapCfg.n) await startFlapping(r.seriesId, r.alertId, c);
      }
      // No-data: a series whose last point is older than 2 days stays "no data" (open alerts are kept); others that
      // have no value of a threshold rule in the window hold their state (a gap is not a recovery).
      if (toFire.length > 0) {
        const meta = await sql<{ id: string; provider_org_id: string; node_id: string; unit_org_id: string | null; system_id: string | null; resource_id: string | null; label: string }>`
          select id::text, provider_org_id, node_id, unit_org_id, system_id, resource_id, label from monitoring_series where id = any(${toFire.map((f) => f.seriesId)}::bigint[])`.execute(trx.withoutPlugins());
        const byId = new Map(meta.rows.map((r) => [r.id, r]));
        const windows = await sql<{ scope_kind: ScopeKind; scope_id: string | null }>`select scope_kind, scope_id from monitoring_maintenance where starts_at <= ${now} and ends_at > ${now} and cancelled_at is null`.execute(trx.withoutPlugins());
        const keyPeriodByNode = new Map<string, boolean>();
        const before = await transitions(toFire.map((f) => f.seriesId));
        for (const f of toFire) {
          const s = byId.get(f.seriesId)!;
          if (windows.rows.some((w) => inScope(w.scope_kind, w.scope_id, s)) || planned.some((w) => plannedWindowCovers(w, s))) {
            result.suppressed++;
            continue;
          }
          if (keyOnly) {
            let kp = keyPeriodByNode.get(s.node_id);
            if (kp === undefined) keyPeriodByNode.set(s.node_id, (kp = await isKeyPeriod(trx, now, s.node_id)));
            if (!kp) continue;
          }
          const count = (before.get(f.seriesId) ?? 0) + 1;
          const flapping = flappingNow.has(f.seriesId) || count > flapCfg.n;
          const message = alertMessage(rule, f.value, s.label);
          const inserted = await sql<{ id: string }>`
            insert into monitoring_alerts (rule_id, series_id, severity, status, provider_org_id, node_id, unit_org_id, system_id, resource_id, object_label, value, message, started_at, last_evaluated_at, flapping)
            values (${rule.id}::uuid, ${f.seriesId}::bigint, ${rule.severity}, 'firing', ${s.provider_org_id}, ${s.node_id}, ${s.unit_org_id}, ${s.system_id}, ${s.resource_id}, ${s.label}, ${f.value}, ${message}, ${now}, ${now}, ${flapping})
            on conflict (rule_id, series_id) where status <> 'resolved' do nothing returning id`.execute(trx.withoutPlugins());
          const id = inserted.rows[0]?.id;
          if (!id) continue;
          await sql`insert into monitoring_alert_events (alert_id, at, action, value, note) values (${id}::uuid, ${now}, 'fired', ${f.value}, ${message})`.execute(trx.withoutPlugins());
          await recordAudit(trx, ctx, { action: 'monitoring.alert_fire', targetType: 'monitoring_alert', targetId: id, after: { rule: rule.name, object: s.label, value: f.value, severity: rule.severity, flapping } });
          if (flapping) {
            if (!flappingNow.has(f.seriesId)) await startFlapping(f.seriesId, id, count);
          } else {
            await this.notifyAlert(trx, id, rule, s, message, 'fired');
          }
          open.set(f.seriesId, { id, series_id: f.seriesId, status: 'firing', started_at: now, escalated_at: null, flapping });
          result.fired++;
        }
      }
      // Stable again: at most ⌊N/2⌋ transitions in the window (hysteresis on the flap count). An alert still open is
      // told now — late, but it is a lasting condition, not noise.
      const stableCheck = [...flappingNow.keys()];
      const counts = await transitions(stableCheck);
      for (const seriesId of stableCheck) {
        const c = counts.get(seriesId) ?? 0;
        if (c > Math.floor(flapCfg.n / 2)) continue;
        await sql`update monitoring_flapping set ended_at = ${now} where id = ${flappingNow.get(seriesId)!}::bigint`.execute(trx.withoutPlugins());
        const a = open.get(seriesId);
        const note = `${flapCfg.w} 分钟内状态变化 ${c} 次，抖动结束`;
        await recordAudit(trx, ctx, { action: 'monitoring.flap_end', targetType: 'monitoring_rule', targetId: rule.id, after: { seriesId, transitions: c, openAlertId: a?.id ?? null } });
        if (a?.flapping) {
          await sql`update monitoring_alerts set flapping = false where id = ${a.id}::uuid`.execute(trx.withoutPlugins());
          await sql`insert into monitoring_alert_events (alert_id, at, action, note) values (${a.id}::uuid, ${now}, 'stable', ${note})`.execute(trx.withoutPlugins());
          const s = (await sql<{ provider_org_id: string; unit_org_id: string | null; message: string }>`select provider_org_id, unit_org_id, message from monitoring_alerts where id = ${a.id}::uuid`.execute(trx.withoutPlugins())).rows[0]!;
          await this.notifyAlert(trx, a.id, rule, s, `${s.message}（抖动结束，告警仍在持续）`, 'fired');
        }
      }
      // Escalation: still firing (not acknowledged) after the rule's escalation delay → management is told once.
      // A flapping alert is held back like its notification.
      if (rule.escalateAfterMinutes) {
        for (const a of open.values()) {
          if (a.status !== 'firing' || a.escalated_at || a.flapping || !seen.has(a.series_id)) continue;
          if (now.getTime() - new Date(a.started_at).getTime() < rule.escalateAfterMinutes * 60_000) continue;
          // ticket_state back to null: the desk is told again (its ticket updated with the escalation).
          await sql`update monitoring_alerts set escalated_at = ${now}, ticket_state = case when ticket_state = 'open' then null else ticket_state end where id = ${a.id}::uuid`.execute(trx.withoutPlugins());
          await sql`insert into monitoring_alert_events (alert_id, at, action, note) values (${a.id}::uuid, ${now}, 'escalated', ${`${rule.escalateAfterMinutes} 分钟未确认，已升级`})`.execute(trx.withoutPlugins());
          await this.notifications.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'monitoring.escalated', title: `告警升级：${rule.name}`, body: `${rule.escalateAfterMinutes} 分钟未确认`, link: `/monitoring/alerts?id=${a.id}`, severity: 'critical' });
          result.escalated++;
        }
      }
      await sql`update monitoring_alerts set last_evaluated_at = ${now} where rule_id = ${rule.id}::uuid and status <> 'resolved'`.execute(trx.withoutPlugins());
      return result;
    });
  }

  private async resolve(trx: Tx, ctx: RequestContext, id: string, value: number | null, now: Date): Promise<void> {
    const r = await sql<{ started_at: Date }>`
      update monitoring_alerts set status = 'resolved', resolved_at = ${now}, duration_seconds = greatest(0, extract(epoch from (${now}::timestamptz - started_at))::int), last_evaluated_at = ${now}
      where id = ${id}::uuid returning started_at`.execute(trx.withoutPlugins());
    await sql`insert into monitoring_alert_events (alert_id, at, action, value, note) values (${id}::uuid, ${now}, 'resolved', ${value}, '条件恢复，自动解除')`.execute(trx.withoutPlugins());
    await recordAudit(trx, ctx, { action: 'monitoring.alert_resolve', targetType: 'monitoring_alert', targetId: id, after: { value, durationSeconds: Math.round((now.getTime() - new Date(r.rows[0]!.started_at).getTime()) / 1000) } });
  }

  private async notifyAlert(trx: Tx, id: string, rule: Rule, s: { provider_org_id: string; unit_org_id: string | null }, message: string, what: 'fired'): Promise<void> {
    const title = `【${SEVERITY_CN[rule.severity]}】${rule.name}`;
    const severity = rule.severity === 'critical' || rule.severity === 'major' ? 'critical' : rule.severity === 'minor' ? 'warning' : 'info';
    const orgIds = [s.provider_org_id, ...(s.unit_org_id ? [s.unit_org_id] : [])];
    await this.notifications.notify(trx, { recipients: { orgIds }, kind: `monitoring.alert_${what}`, title, body: message, link: `/monitoring/alerts?id=${id}`, severity });
    await this.notifications.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: `monitoring.alert_${what}`, title, body: message, link: `/monitoring/alerts?id=${id}`, severity });
  }

  // ---- capacity ---------------------------------------------------------------------------------------------------

  /**
   * Capacity per node (job monitoring.capacity, hourly, and after each 云平台规格数据 batch): today's snapshot of total
   * and allocated per resource (pushed 云平台规格数据; allocated is the larger of the pushed figure and the inventory's
   * sum), a warning opened when allocation passes 80% of the total (deadline: 7 natural days later), closed as
   * expanded when a later total is larger and allocation is back at or under 80% (released when it fell back without
   * expansion).
   */
  async evaluateCapacity(today = beijingDay(Date.now())): Promise<{ nodes: number; opened: number; closed: number }> {
    const ctx = systemContext('job:monitoring.capacity');
    const summary = await this.inventory.summary(ctx, { groupBy: 'node' });
    let opened = 0;
    let closed = 0;
    let nodes = 0;
    await withTx(this.db, ctx, async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('monitoring.capacity'))`.execute(trx.withoutPlugins());
      const nodeRows = await sql<{ id: string; provider_org_id: string | null }>`select id, provider_org_id from cloud_nodes where id = any(${summary.groups.map((g) => g.id).filter((x): x is string => !!x)}::uuid[])`.execute(trx.withoutPlugins());
      const providerOf = new Map(nodeRows.rows.map((r) => [r.id, r.provider_org_id]));
      for (const g of summary.groups) {
        if (!g.id || !g.capacity) continue;
        const provider = providerOf.get(g.id);
        if (!provider) continue;
        nodes++;
        for (const [resource, line] of Object.entries(g.capacity)) {
          const total = Number(line.total);
          const allocated = Math.max(Number(line.allocatedReported), Number(line.allocatedInventory));
          if (!(total > 0)) continue;
          await sql`insert into monitoring_capacity_snapshots (node_id, provider_org_id, resource, day, total, allocated) values (${g.id}::uuid, ${provider}::uuid, ${resource}, ${today}::date, ${line.total}::numeric, ${String(allocated)}::numeric)
                    on conflict (node_id, resource, day) do update set total = excluded.total, allocated = excluded.allocated`.execute(trx.withoutPlugins());
          const ratio = allocated / total;
          const cur = (await sql<{ id: string; deadline: string; total_at_open: string }>`select id, to_char(deadline, 'YYYY-MM-DD') as deadline, total_at_open::text from monitoring_capacity_warnings where node_id = ${g.id}::uuid and resource = ${resource} and status = 'open' for update`.execute(trx.withoutPlugins())).rows[0];
          if (!cur && ratio > 0.8) {
            await sql`insert into monitoring_capacity_warnings (node_id, provider_org_id, resource, status, opened_on, deadline, total_at_open, allocated_at_open, ratio_at_open)
                      values (${g.id}::uuid, ${provider}::uuid, ${resource}, 'open', ${today}::date, ${addDays(today, 7)}::date, ${line.total}::numeric, ${String(allocated)}::numeric, ${ratio.toFixed(4)}::numeric)`.execute(trx.withoutPlugins());
            await this.notifications.notify(trx, { recipients: { orgIds: [provider] }, kind: 'monitoring.capacity', title: `容量预警：${g.name ?? ''} ${resource} 分配率 ${(ratio * 100).toFixed(1)}%`, body: `请于 ${addDays(today, 7)} 前完成扩容（7 个自然日）。`, link: '/monitoring/capacity', severity: 'warning' });
            await this.notifications.notify(trx, { recipients: { roleCodes: ['mgmt_staff'], orgKinds: ['management_unit'] }, kind: 'monitoring.capacity', title: `容量预警：${g.name ?? ''} ${resource} 分配率 ${(ratio * 100).toFixed(1)}%`, body: `扩容期限 ${addDays(today, 7)}。`, link: '/monitoring/capacity', severity: 'warning' });
            opened++;
          } else if (cur && ratio <= 0.8) {
            const expanded = total > Number(cur.total_at_open);
            await sql`update monitoring_capacity_warnings set status = ${expanded ? 'expanded' : 'released'}, closed_on = ${today}::date, total_at_close = ${line.total}::numeric,
                      closed_in_time = ${expanded ? today <= cur.deadline : null} where id = ${cur.id}::uuid`.execute(trx.withoutPlugins());
            closed++;
          }
        }
      }
    });
    return { nodes, opened, closed };
  }

  /** Capacity per node: latest totals/allocation, the open warning with its deadline, over-commit, forecast days. */
  async capacity(ctx: RequestContext, q: { today?: string } = {}) {
    const today = q.today ?? beijingDay(Date.now());
    return this.read(ctx, async (trx) => {
      const latest = await sql<{ node_id: string; node_name: string | null; provider_org_id: string; provider_name: string | null; resource: string; day: string; total: string; allocated: string }>`
        select distinct on (c.node_id, c.resource) c.node_id, n.name as node_name, c.provider_org_id, o.name as provider_name, c.resource, to_char(c.day, 'YYYY-MM-DD') as day, c.total::text, c.allocated::text
        from monitoring_capacity_snapshots c left join cloud_nodes n on n.id = c.node_id left join organisations o on o.id = c.provider_org_id
        order by c.node_id, c.resource, c.day desc`.execute(trx.withoutPlugins());
      const history = await sql<{ node_id: string; resource: string; day: string; total: string; allocated: string }>`
        select node_id, resource, to_char(day, 'YYYY-MM-DD') as day, total::text, allocated::text from monitoring_capacity_snapshots where day > ${today}::date - 60 order by day`.execute(trx.withoutPlugins());
      const warnings = await sql<{ id: string; node_id: string; resource: string; status: string; opened_on: string; deadline: string; closed_on: string | null; closed_in_time: boolean | null; ratio_at_open: string }>`
        select id, node_id, resource, status, to_char(opened_on, 'YYYY-MM-DD') as opened_on, to_char(deadline, 'YYYY-MM-DD') as deadline, to_char(closed_on, 'YYYY-MM-DD') as closed_on, closed_in_time, ratio_at_open::text
        from monitoring_capacity_warnings order by opened_on desc limit 1000`.execute(trx.withoutPlugins());
      const hist = new Map<string, Array<{ x: number; y: number }>>();
      for (const h of history.rows) {
        const k = `${h.node_id}|${h.resource}`;
        let l = hist.get(k);
        if (!l) hist.set(k, (l = []));
        l.push({ x: new Date(`${h.day}T00:00:00Z`).getTime() / 86_400_000, y: Number(h.allocated) / Number(h.total) });
      }
      const dayAt = (ratio: number, pts: Array<{ x: number; y: number }>, cur: number): string | null => {
        if (cur >= ratio) return today;
        const fit = linearFit(pts);
        if (!fit || fit.slope <= 0) return null;
        const x = (ratio - fit.intercept) / fit.slope;
        return new Date(Math.ceil(x) * 86_400_000).toISOString().slice(0, 10);
      };
      const items = latest.rows.map((r) => {
        const total = Number(r.total);
        const allocated = Number(r.allocated);
        const ratio = total > 0 ? allocated / total : null;
        const pts = hist.get(`${r.node_id}|${r.resource}`) ?? [];
        const open = warnings.rows.find((w) => w.node_id === r.node_id && w.resource === r.resource && w.status === 'open');
        return {
          nodeId: r.node_id, nodeName: r.node_name, providerOrgId: r.provider_org_id, providerName: r.provider_name, resource: r.resource, asOf: r.day,
          total: r.total, allocated: r.allocated, free: String(total - allocated), ratio: ratio === null ? null : Math.round(ratio * 10000) / 10000,
          overCommitted: r.resource === 'memoryGb' && allocated > total,
          warning: open ? { id: open.id, openedOn: open.opened_on, deadline: open.deadline, overdue: today > open.deadline } : null,
          forecast80: ratio === null ? null : dayAt(0.8, pts, ratio),
          forecast100: ratio === null ? null : dayAt(1, pts, ratio),
        };
      });
      return {
        today,
        items,
        warnings: warnings.rows.map((w) => ({ id: w.id, nodeId: w.node_id, resource: w.resource, status: w.status, openedOn: w.opened_on, deadline: w.deadline, closedOn: w.closed_on, closedInTime: w.closed_in_time, ratioAtOpen: Number(w.ratio_at_open), overdue: w.status === 'open' ? today > w.deadline : w.closed_in_time === false })),
      };
    });
  }

  /** Store state for the status page and /metrics: series, points today, batches processed, open alerts. */
  async stats(): Promise<{ series: number; openAlerts: number; batches: number; refused: number }> {
    return withTx(this.db, systemContext('monitoring.stats'), async (trx) => {
      const r = await sql<{ series: string; alerts: string; batches: string; refused: string }>`
        select (select count(*) from monitoring_series) as series, (select count(*) from monitoring_alerts where status <> 'resolved') as alerts,
               (select count(*) from monitoring_batches) as batches, (select coalesce(sum(refused), 0) from monitoring_batches) as refused`.execute(trx.withoutPlugins());
      const x = r.rows[0]!;
      return { series: Number(x.series), openAlerts: Number(x.alerts), batches: Number(x.batches), refused: Number(x.refused) };
    });
  }
}

const hourOfFloor = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
/** A TopN window summary older than this (the job monitoring.rollup runs every 5 minutes) is not used. */
export const WINDOW_MAX_AGE_MS = 15 * 60_000;
interface TopRow { id: string; label: string; resource_id: string | null; system_name: string | null; unit_name: string | null; provider_name: string | null; node_name: string | null; avg: number; p95: number; max: number; n: string }

function scopeFilter(kind: ScopeKind, id: string | null) {
  switch (kind) {
    case 'all':
      return sql``;
    case 'host':
      return sql`and s.resource_id = ${id}::uuid`;
    case 'system':
      return sql`and s.system_id = ${id}::uuid`;
    case 'unit':
      return sql`and s.unit_org_id = ${id}::uuid`;
    case 'provider':
      return sql`and s.provider_org_id = ${id}::uuid`;
    case 'node':
      return sql`and s.node_id = ${id}::uuid`;
  }
}

function inScope(kind: ScopeKind, id: string | null, s: { provider_org_id: string; node_id: string; unit_org_id: string | null; system_id: string | null; resource_id: string | null }): boolean {
  switch (kind) {
    case 'all':
      return true;
    case 'host':
      return s.resource_id === id;
    case 'system':
      return s.system_id === id;
    case 'unit':
      return s.unit_org_id === id;
    case 'provider':
      return s.provider_org_id === id;
    case 'node':
      return s.node_id === id;
  }
}

function alertMessage(rule: Rule, value: number | null, label: string): string {
  const info = METRIC_BY_NAME.get(rule.metric)!;
  const m = { ...info, unit: info.unit === 'state' ? '' : info.unit };
  const v = value === null ? '—' : value.toFixed(2);
  switch (rule.kind) {
    case 'threshold':
      return `${label}：${m.cn} ${rule.windowMinutes} 分钟平均 ${v}${m.unit}，${rule.op === 'gt' ? '超过' : '低于'} ${rule.threshold}${m.unit}`;
    case 'rate':
      return `${label}：${m.cn} ${rule.windowMinutes} 分钟内变化 ${v}${m.unit}`;
    case 'no_data':
      return `${label}：${m.cn} 已 ${v} 分钟无数据`;
    case 'forecast':
      return `${label}：按当前趋势 ${m.cn} 约 ${v} 小时后超过 ${rule.threshold}${m.unit}`;
  }
}

export interface MaintenanceInput { scopeKind: ScopeKind; scopeId?: string | null; startsAt: Date; endsAt: Date; reason: string }
interface MaintenanceRow { id: string; scope_kind: ScopeKind; scope_id: string | null; starts_at: Date; ends_at: Date; reason: string; cancelled_at: Date | null; owner_org_id: string | null }

function toMaintenance(x: MaintenanceRow, ctx: RequestContext) {
  const mine = ctx.actor.scope.all || x.owner_org_id === ctx.actor.orgId;
  const canManage = (ctx.actor.kind === 'system' || ctx.actor.permissions.has('monitoring:manage')) && mine && !x.cancelled_at;
  return { id: x.id, scopeKind: x.scope_kind, scopeId: x.scope_id, startsAt: iso(x.starts_at)!, endsAt: iso(x.ends_at)!, reason: x.reason, cancelledAt: iso(x.cancelled_at), abilities: { update: canManage, cancel: canManage } };
}

interface RuleRow {
  id: string; name: string; kind: RuleKind; metric: string; op: 'gt' | 'lt'; threshold: number | null; recovery: number | null; window_minutes: number; horizon_hours: number | null;
  severity: Severity; scope_kind: ScopeKind; scope_id: string | null; key_period_only: boolean; escalate_after_minutes: number | null; enabled: boolean; is_global: boolean;
}

function toRule(r: RuleRow): Rule {
  const base = { kind: r.kind, metric: r.metric, op: r.op, threshold: num(r.threshold), recovery: num(r.recovery), windowMinutes: r.window_minutes, horizonHours: r.horizon_hours };
  return {
    id: r.id, name: r.name, ...base, severity: r.severity, scopeKind: r.scope_kind, scopeId: r.scope_id, keyPeriodOnly: r.key_period_only, escalateAfterMinutes: r.escalate_after_minutes,
    enabled: r.enabled, isGlobal: r.is_global, expression: ruleExpression(base),
  };
}

interface AlertRow {
  id: string; rule_id: string; rule_name: string; rule_kind: RuleKind; metric: string; severity: Severity; status: Alert['status']; series_id: string; object_label: string;
  resource_id: string | null; system_id: string | null; system_name: string | null; unit_org_id: string | null; unit_name: string | null; provider_org_id: string; provider_name: string | null;
  node_id: string; node_name: string | null; value: number | null; message: string; started_at: Date; acknowledged_at: Date | null; acknowledged_by_name: string | null; ack_comment: string | null;
  resolved_at: Date | null; duration_seconds: number | null; flapping: boolean; ticket_id: string | null;
}

function alertSelect() {
  return sql`select a.id, a.rule_id, r.name as rule_name, r.kind as rule_kind, r.metric, a.severity, a.status, a.series_id::text, a.object_label, a.resource_id, a.system_id, sy.name as system_name,
      a.unit_org_id, u.name as unit_name, a.provider_org_id, p.name as provider_name, a.node_id, n.name as node_name, a.value, a.message, a.started_at, a.acknowledged_at,
      ack.display_name as acknowledged_by_name, a.ack_comment, a.resolved_at, a.duration_seconds, a.flapping, a.ticket_id
    from monitoring_alerts a
    join monitoring_rules r on r.id = a.rule_id
    left join information_systems sy on sy.id = a.system_id
    left join organisations u on u.id = a.unit_org_id
    left join organisations p on p.id = a.provider_org_id
    left join cloud_nodes n on n.id = a.node_id
    left join users ack on ack.id = a.acknowledged_by`;
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id, ruleId: r.rule_id, ruleName: r.rule_name, ruleKind: r.rule_kind, metric: r.metric, severity: r.severity, status: r.status, seriesId: r.series_id, objectLabel: r.object_label,
    resourceId: r.resource_id, systemId: r.system_id, systemName: r.system_name, unitOrgId: r.unit_org_id, unitName: r.unit_name, providerOrgId: r.provider_org_id, providerName: r.provider_name,
    nodeId: r.node_id, nodeName: r.node_name, value: round2(num(r.value)), message: r.message, startedAt: iso(r.started_at)!, acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by_name, ackComment: r.ack_comment, resolvedAt: iso(r.resolved_at), durationSeconds: r.duration_seconds,
    flapping: r.flapping, ticketId: r.ticket_id,
  };
}
