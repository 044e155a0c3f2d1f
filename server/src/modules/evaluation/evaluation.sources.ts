import type { RequestContext } from '../../platform/context.js';

/** Per cloud host over a window: CPU and memory p95/avg in percent (null without samples), hours with data. */
export interface HostUtilisation {
  resourceId: string;
  systemId: string | null;
  unitOrgId: string | null;
  providerOrgId: string | null;
  nodeId: string | null;
  cpuP95: number | null;
  cpuAvg: number | null;
  memP95: number | null;
  memAvg: number | null;
  hoursWithData: number;
  hoursInWindow: number;
}

export interface CapacityWarningsRow { providerOrgId: string; opened: number; closedInTime: number; overdue: number }

export interface SlaComplianceRow {
  providerOrgId: string | null;
  systemId: string | null;
  unitOrgId: string | null;
  targetPercent: string;
  availabilityPercent: number | null;
  measuredSeconds: number;
  downSeconds: number;
  unknownSeconds: number;
  maintenanceSeconds: number;
  longestOutageSeconds: number;
  met: boolean | null;
}

export interface DrillCountsRow { providerOrgId: string; held: number; required: number }
export interface QualificationRow { providerOrgId: string; current: boolean; validTo: string | null }
export interface InspectionCountsRow { providerOrgId: string; expected: number; done: number; missed: number; abnormal: number }

type Window = { from: Date; to: Date };

/**
 * Per registered system over a month, from 应用系统网络出口使用数据 (appNetworkEgress): the highest daily peak of
 * egress up / down (Mbps) and of link usage (%) over the month's Beijing days, and the days with data. A system
 * without egress series is absent.
 */
export interface SystemEgressRow {
  systemId: string;
  unitOrgId: string | null;
  upPeakMbps: number | null;
  downPeakMbps: number | null;
  linkUsagePeak: number | null;
  daysWithData: number;
}

/** What `systemEgressFrom` needs of monitoring's public service (`MonitoringService.listSeries` and `.chart`). */
export interface EgressReader {
  listSeries(ctx: RequestContext, q: { kind?: 'host' | 'system' | 'env'; limit?: number }): Promise<Array<{ id: string; systemId: string | null; unitOrgId: string | null }>>;
  chart(ctx: RequestContext, q: { seriesId: string; range: '90d'; metrics?: string[]; now?: Date }): Promise<{ metrics: Array<{ metric: string; points: Array<{ at: string; max: number }> }> }>;
}

const beijingDay = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);

/**
 * Builds the `systemEgress` figure from monitoring's public reads: its system egress series (listSeries kind system)
 * and their daily rollups (chart over 90 days ending at the window's end, daily resolution), kept to the window's
 * Beijing days. Monitoring publishes no per-month egress summary; this reads only what its index.ts exports.
 */
export function systemEgressFrom(monitoring: EgressReader): (ctx: RequestContext, q: Window) => Promise<SystemEgressRow[]> {
  return async (ctx, q) => {
    const firstDay = beijingDay(q.from);
    const lastDay = beijingDay(new Date(q.to.getTime() - 1));
    const series = (await monitoring.listSeries(ctx, { kind: 'system', limit: 100_000 })).filter((x) => x.systemId);
    const bySystem = new Map<string, { row: SystemEgressRow; days: Set<string> }>();
    for (const x of series) {
      const c = await monitoring.chart(ctx, { seriesId: x.id, range: '90d', metrics: ['egress_up', 'egress_down', 'egress_usage'], now: q.to });
      let e = bySystem.get(x.systemId!);
      for (const m of c.metrics) {
        for (const p of m.points) {
          if (p.at < firstDay || p.at > lastDay) continue;
          if (!e) bySystem.set(x.systemId!, (e = { row: { systemId: x.systemId!, unitOrgId: x.unitOrgId, upPeakMbps: null, downPeakMbps: null, linkUsagePeak: null, daysWithData: 0 }, days: new Set() }));
          e.days.add(p.at);
          const key = m.metric === 'egress_up' ? 'upPeakMbps' : m.metric === 'egress_down' ? 'downPeakMbps' : m.metric === 'egress_usage' ? 'linkUsagePeak' : null;
          if (key) e.row[key] = Math.max(e.row[key] ?? Number.NEGATIVE_INFINITY, p.max);
        }
      }
    }
    return [...bySystem.values()].map((e) => ({ ...e.row, daysWithData: e.days.size }));
  };
}

/**
 * The monitoring figure source as container.ts wires it: monitoring's own hostUtilisation and capacity warnings, plus
 * the system egress built by `systemEgressFrom`.
 */
export function monitoringFigures(m: EgressReader & { hostUtilisation(ctx: RequestContext, q: Window): Promise<HostUtilisation[]>; capacityWarningsSummary(ctx: RequestContext, q: Window): Promise<CapacityWarningsRow[]> }): NonNullable<FigureSources['monitoring']> {
  return { hostUtilisation: (ctx, q) => m.hostUtilisation(ctx, q), capacityWarningsSummary: (ctx, q) => m.capacityWarningsSummary(ctx, q), systemEgress: systemEgressFrom(m) };
}

/**
 * Figures evaluation reads from modules wired after it (monitoring, availability, operations). Every member is
 * optional: a missing one makes its indicators "no data source yet" (暂无数据来源), never zero. The shapes are those
 * the modules publish on their index.ts; the integrator wires them in container.ts through `setFigureSources`.
 */
export interface FigureSources {
  monitoring?: {
    hostUtilisation(ctx: RequestContext, q: Window): Promise<HostUtilisation[]>;
    capacityWarningsSummary?(ctx: RequestContext, q: Window): Promise<CapacityWarningsRow[]>;
    /** Egress bandwidth peaks and link usage per system (absent → 暂无数据来源 in the efficiency table). */
    systemEgress?(ctx: RequestContext, q: Window): Promise<SystemEgressRow[]>;
  };
  availability?: {
    slaCompliance(ctx: RequestContext, q: Window): Promise<SlaComplianceRow[]>;
  };
  operations?: {
    drillCounts?(ctx: RequestContext, q: Window): Promise<DrillCountsRow[]>;
    qualificationStatus?(ctx: RequestContext, q: { at: Date }): Promise<QualificationRow[]>;
    inspectionCounts?(ctx: RequestContext, q: Window): Promise<InspectionCountsRow[]>;
  };
}
