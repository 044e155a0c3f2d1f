/**
 * Monitoring, alerts and capacity (监控告警与容量): the metric store built from the pushed 5-minute monitoring tables
 * (云主机监控数据, 应用系统网络出口使用数据, 环控数据) with raw points (partitioned per day, 30 days by default), hourly
 * rollups (min/avg/max/p95/count, 13 months) and daily rollups (3 years) maintained as batches land; alert rules
 * (threshold with duration, rate, no-data, forecast) with hysteresis, maintenance windows and key-guarantee periods,
 * the alert lifecycle firing → acknowledged → resolved; capacity per node with 7-natural-day expansion deadlines.
 *
 * Figures for other modules (scoped by ctx like every call):
 * - `MonitoringService.hostUtilisation(ctx, { from, to })` → `HostUtilisation[]` (per inventory host: CPU and memory
 *   p95 of hourly averages and average, percent 0–100, null without data; hours with data / in the window).
 * - `MonitoringService.capacityWarningsSummary(ctx, { from, to })` → per provider `{ providerOrgId, opened,
 *   closedInTime, overdue }`.
 * - `MonitoringService.listAlerts(ctx, { status, severity, providerId, unitId, systemId, page, pageSize })` → `{ items:
 *   Alert[], total }` (open first by severity; the 报表管理 dataset `monitoring.alerts`).
 *
 * - 临时扩容 (free short-term expansion, ≤ 20 % of a unit's original resources at a provider, never billed):
 *   `MonitoringService.listExpansions(ctx, { unitId?, providerId?, state? })` → `Expansion[]`,
 *   `createExpansion(ctx, ExpansionInput)`, `cancelExpansion(ctx, id)`,
 *   `expansionAllowance(ctx, { unitOrgId, providerOrgId?, from?, to? })` → per resource original / limit / in force / remaining.
 *
 * Hooks wired by the container: `setTicketHook(hook)` (the service desk's `upsertTicketFromSource`, source 'alert':
 * one ticket per 重要/紧急 alert while it lasts, cleared on resolution) and `setPlannedWorkSource(source)`
 * (`PlannedWorkSource.plannedMaintenanceWindows(ctx, { from, to })`: approved planned changes act as maintenance windows);
 * `store.setSystemLookup(lookup)` (信息系统 by number: egress series linked to their system and unit).
 */
export { MonitoringService, RESOLUTION, ruleExpression, plannedWindowCovers, TICKET_SEVERITIES, type AlertTicketHook, type AlertTicketInput, type PlannedMaintenanceWindow, type PlannedWorkSource, type HostUtilisation, type CapacityWarningSummary, type Alert, type Rule, type RuleInput, type Range, type ScopeKind } from './monitoring.service.js';
export { TemporaryExpansions, peakInForce, EXPANSION_RESOURCES, EXPANSION_MAX_SHARE, EXPANSION_MAX_DAYS, type Expansion, type ExpansionInput, type ExpansionAllowance, type ExpansionResource, type ExpansionState } from './monitoring.expansions.js';
export { MetricStore, flushRollups, refreshWindows, type IngestResult, type LocatedSystem, type SystemLookup } from './monitoring.store.js';
export { METRICS, MONITORED_TABLES, STORE_TABLES, SEVERITIES, SEVERITY_CN, type MetricInfo, type Severity } from './monitoring.metrics.js';
export { registerMonitoringJobs, wakeOnPush as monitoringWakeOnPush, MONITORING_INGEST_JOB } from './monitoring.jobs.js';
export { registerMonitoringRoutes } from './monitoring.routes.js';
export { MonitoringScopes, type ScopeObject, type ScopeObjectKind } from './monitoring.scopes.js';
export { PlatformMetrics, registerMetricsEndpoint } from './monitoring.prom.js';
export { loadMonitoringDemo, DEFAULT_RULES } from './monitoring.demo.js';
