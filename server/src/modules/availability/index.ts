/**
 * Availability monitoring (可用性监测): Zhengyun's own probes (ICMP, TCP, HTTP(S) with TLS checks, DNS) of every cloud
 * host, internet IP and system website from the inventory and the directory, plus hand-made ones; time-weighted state
 * intervals (up / down / unknown / maintenance); outages with 立即核实, notices, escalation and the service-desk hook;
 * SLA objectives and their compliance.
 *
 * For other modules: `AvailabilityService.slaCompliance(ctx, { from, to })` → `SlaComplianceRow[]` (one row per
 * objective × object, scoped by ctx) — the monthly report's and the provider evaluation's availability figures;
 * `AvailabilityService.serviceCompliance(ctx, { from, to })` → `ServiceComplianceRow[]` (one row per catalog-service
 * objective × provider: the service's average availability over its probed hosts / IPs);
 * `listOutages(ctx, { open, from, to, systemId, providerId, page, pageSize })` → `{ items: Outage[], total }` and
 * `complianceDetails(ctx, { from, to })` → `ComplianceDetail[]` (the 报表管理 datasets `availability.outages` / `.sla`).
 * Wiring: `setPlannedWorkSource(operations)` — approved planned changes count as maintenance, not downtime.
 */
export {
  AvailabilityService,
  validateProbeTarget,
  plannedWorkCovers,
  serviceProbeOrigins,
  type PlannedWorkSource,
  type PlannedWorkWindow,
  type ServiceComplianceRow,
  type SlaComplianceRow,
  type ComplianceDetail,
  type Objective,
  type Outage,
  type OutageTicketHook,
  type OutageTicketInput,
  type Probe,
  type ProbeDetail,
} from './availability.service.js';
export { ProbeScheduler, type SchedulerOptions } from './availability.scheduler.js';
export { registerAvailabilityRoutes } from './availability.routes.js';
export { registerAvailabilityJobs } from './availability.jobs.js';
export { loadAvailabilityDemo } from './availability.demo.js';
export { defaultGuard, probeDns, probeHttp, probeIcmpMany, probeTcp, type ProbeOutcome } from './probes.js';
