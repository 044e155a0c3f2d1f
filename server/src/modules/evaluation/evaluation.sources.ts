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
 * Figures evaluation reads from modules wired after it (monitoring, availability, operations). Every member is
 * optional: a missing one makes its indicators "no data source yet" (暂无数据来源), never zero. The shapes are those
 * the modules publish on their index.ts; the integrator wires them in container.ts through `setFigureSources`.
 */
export interface FigureSources {
  monitoring?: {
    hostUtilisation(ctx: RequestContext, q: Window): Promise<HostUtilisation[]>;
    capacityWarningsSummary?(ctx: RequestContext, q: Window): Promise<CapacityWarningsRow[]>;
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
