import { download, qs, request } from '../../api/client';

export type Severity = 'critical' | 'major' | 'minor' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];
export const SEVERITY_COLOR: Record<Severity, string> = { critical: 'magenta', major: 'red', minor: 'orange', info: 'blue' };
export const STATUS_COLOR: Record<string, string> = { firing: 'red', acknowledged: 'gold', resolved: 'green' };
export type Range = '1h' | '24h' | '7d' | '30d' | '90d' | '1y';
export const RANGES: readonly Range[] = ['1h', '24h', '7d', '30d', '90d', '1y'];

export interface Alert {
  id: string; ruleId: string; ruleName: string; ruleKind: string; metric: string; severity: Severity; status: 'firing' | 'acknowledged' | 'resolved';
  seriesId: string; objectLabel: string; resourceId: string | null; systemId: string | null; systemName: string | null; unitOrgId: string | null; unitName: string | null;
  providerOrgId: string; providerName: string | null; nodeId: string; nodeName: string | null; value: number | null; message: string; startedAt: string;
  acknowledgedAt: string | null; acknowledgedBy: string | null; ackComment: string | null; resolvedAt: string | null; durationSeconds: number | null;
  /** 抖动: fired while its object was flapping (notice and ticket held back). */
  flapping?: boolean;
  /** The service-desk ticket opened for this alert (重要/紧急). */
  ticketId?: string | null;
}
export interface AlertDetail extends Alert {
  events: Array<{ at: string; action: string; value: number | null; note: string | null; actor: string | null }>;
  abilities: { acknowledge: boolean };
}
export interface AlertQuery { status?: string; severity?: string; providerId?: string; unitId?: string; nodeId?: string; page?: number; pageSize?: number }
export interface GroupCount { id: string | null; name: string | null; total: number; bySeverity: Record<Severity, number> }
export interface AlertSummary { bySeverity: Record<Severity, number>; total: number; byNode: GroupCount[]; byProvider: GroupCount[]; byUnit: GroupCount[] }
export interface Series { id: string; kind: string; objectKey: string; label: string; resourceId: string | null; systemName: string | null; unitName: string | null; providerName: string | null; nodeName: string | null; lastAt: string; noData: boolean }
export interface Chart { seriesId: string; label: string; range: Range; resolution: 'raw' | 'hourly' | 'daily'; from: string; to: string; metrics: Array<{ metric: string; unit: string; cn: string; points: Array<{ at: string; avg: number; min: number; max: number; p95: number; n: number }> }> }
export interface TopItem { seriesId: string; label: string; systemName: string | null; unitName: string | null; providerName: string | null; nodeName: string | null; avg: number; p95: number; max: number; samples: number }
export interface Top { metric: string; unit: string; period: string; items: TopItem[] }
export interface CapacityItem {
  nodeId: string; nodeName: string | null; providerOrgId: string; providerName: string | null; resource: string; asOf: string; total: string; allocated: string; free: string; ratio: number | null;
  overCommitted: boolean; warning: { id: string; openedOn: string; deadline: string; overdue: boolean } | null; forecast80: string | null; forecast100: string | null;
}
export interface Capacity { today: string; items: CapacityItem[]; warnings: Array<{ id: string; nodeId: string; resource: string; status: string; openedOn: string; deadline: string; closedOn: string | null; closedInTime: boolean | null; overdue: boolean }> }
export type RuleKind = 'threshold' | 'no_data' | 'forecast' | 'rate';
export const RULE_KINDS: readonly RuleKind[] = ['threshold', 'no_data', 'forecast', 'rate'];
export type ScopeKind = 'all' | 'host' | 'system' | 'unit' | 'provider' | 'node';
export const SCOPE_KINDS: readonly ScopeKind[] = ['all', 'host', 'system', 'unit', 'provider', 'node'];
export type ScopeObjectKind = Exclude<ScopeKind, 'all'>;
/** An object the caller may name as a scope (GET /api/monitoring/scopes): a host's label is its name and IP. */
export interface ScopeObject { kind: ScopeObjectKind; id: string; label: string; detail: string | null }
export interface RuleInput {
  name: string; kind: RuleKind; metric: string; op: 'gt' | 'lt'; threshold: number | null; recovery: number | null; windowMinutes: number; horizonHours: number | null;
  severity: Severity; scopeKind: ScopeKind; scopeId: string | null; keyPeriodOnly: boolean; escalateAfterMinutes: number | null; enabled: boolean;
}
export interface Rule extends RuleInput { id: string; expression: string; isGlobal: boolean; abilities?: { update: boolean } }
export interface MetricInfo { name: string; kind: string; unit: string; cn: string; en: string }
export interface MaintenanceInput { scopeKind: ScopeKind; scopeId: string | null; startsAt: string; endsAt: string; reason: string }
export interface Maintenance extends MaintenanceInput { id: string; cancelledAt: string | null; abilities: { update: boolean; cancel: boolean } }
export interface EnvironmentItem { seriesId: string; machineRoom: string; location: string; label: string; providerName: string | null; nodeName: string | null; nodeId: string; lastAt: string; values: Record<string, number | null>; issues: string[] }
export interface Environment { limits: { temperature: { min: number; max: number }; humidity: { min: number; max: number } }; metrics: Array<{ metric: string; cn: string; en: string; unit: string }>; items: EnvironmentItem[] }

export const EXPANSION_RESOURCES = ['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb', 'bandwidthMbps'] as const;
export type ExpansionResource = (typeof EXPANSION_RESOURCES)[number];
export type ExpansionState = 'planned' | 'active' | 'ended' | 'cancelled';
export interface ExpansionInput { unitOrgId: string; providerOrgId: string | null; systemId: string | null; resourceKey: ExpansionResource; amount: string; startsAt: string; endsAt: string; reason: string }
export interface Expansion extends Omit<ExpansionInput, 'providerOrgId'> {
  id: string; providerOrgId: string; unitName: string | null; providerName: string | null; systemName: string | null; originalAmount: string; percent: string; state: ExpansionState;
  createdAt: string; cancelledAt: string | null; abilities: { cancel: boolean };
}
export interface ExpansionAllowance { unitOrgId: string; providerOrgId: string; from: string; to: string; items: Array<{ resourceKey: ExpansionResource; original: string; limit: string; inForce: string; remaining: string }> }

export const monitoringKeys = {
  all: ['monitoring'] as const,
  alerts: (q: AlertQuery) => ['monitoring', 'alerts', q] as const,
  alert: (id: string) => ['monitoring', 'alert', id] as const,
  summary: ['monitoring', 'summary'] as const,
  series: (kw: string, kind = 'host') => ['monitoring', 'series', kind, kw] as const,
  chart: (id: string, range: Range) => ['monitoring', 'chart', id, range] as const,
  top: (metric: string, period: string) => ['monitoring', 'top', metric, period] as const,
  capacity: ['monitoring', 'capacity'] as const,
  rules: ['monitoring', 'rules'] as const,
  metricList: ['monitoring', 'metrics'] as const,
  maintenance: ['monitoring', 'maintenance'] as const,
  environment: ['monitoring', 'environment'] as const,
  expansions: ['monitoring', 'expansions'] as const,
  scopes: (kind: string, keyword: string) => ['monitoring', 'scopes', kind, keyword] as const,
  scopeNames: (kind: string, ids: readonly string[]) => ['monitoring', 'scope-names', kind, ...ids] as const,
  allowance: (unitOrgId: string, providerOrgId: string, from: string, to: string) => ['monitoring', 'expansions', 'allowance', unitOrgId, providerOrgId, from, to] as const,
};

const q = (x: object) => qs(Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])));

export const monitoringApi = {
  alerts: (x: AlertQuery) => request<{ items: Alert[]; total: number; page: number; pageSize: number }>('GET', `/api/monitoring/alerts${q(x)}`),
  exportAlerts: (x: AlertQuery) => download(`/api/monitoring/alerts/export${q(x)}`, 'alerts.xlsx'),
  summary: () => request<AlertSummary>('GET', '/api/monitoring/alerts/summary'),
  alert: (id: string) => request<AlertDetail>('GET', `/api/monitoring/alerts/${id}`),
  acknowledge: (id: string, comment: string) => request<AlertDetail>('POST', `/api/monitoring/alerts/${id}/acknowledge`, { comment }),
  series: (keyword: string, kind: 'host' | 'system' = 'host') => request<{ items: Series[] }>('GET', `/api/monitoring/series${q({ kind, keyword: keyword || undefined })}`).then((r) => r.items),
  chart: (id: string, range: Range) => request<Chart>('GET', `/api/monitoring/series/${id}/chart${q({ range })}`),
  exportChart: (id: string, range: Range) => download(`/api/monitoring/series/${id}/chart/export${q({ range })}`, 'chart.xlsx'),
  top: (metric: string, period: string) => request<Top>('GET', `/api/monitoring/top${q({ metric, period, n: 10 })}`),
  exportTop: (metric: string, period: string) => download(`/api/monitoring/top/export${q({ metric, period, n: 10 })}`, 'top.xlsx'),
  capacity: () => request<Capacity>('GET', '/api/monitoring/capacity'),
  exportCapacity: () => download('/api/monitoring/capacity/export', 'capacity.xlsx'),
  rules: () => request<{ items: Rule[] }>('GET', '/api/monitoring/rules').then((r) => r.items),
  metrics: () => request<{ items: MetricInfo[] }>('GET', '/api/monitoring/metrics').then((r) => r.items),
  createRule: (x: RuleInput) => request<Rule>('POST', '/api/monitoring/rules', x),
  updateRule: (id: string, x: RuleInput) => request<Rule>('PUT', `/api/monitoring/rules/${id}`, x),
  maintenance: () => request<{ items: Maintenance[] }>('GET', '/api/monitoring/maintenance').then((r) => r.items),
  createMaintenance: (x: MaintenanceInput) => request<Maintenance>('POST', '/api/monitoring/maintenance', x),
  updateMaintenance: (id: string, x: MaintenanceInput) => request<Maintenance>('PUT', `/api/monitoring/maintenance/${id}`, x),
  cancelMaintenance: (id: string) => request<Maintenance>('POST', `/api/monitoring/maintenance/${id}/cancel`),
  environment: () => request<Environment>('GET', '/api/monitoring/environment'),
  exportEnvironment: () => download('/api/monitoring/environment/export', 'environment.xlsx'),
  scopes: (x: { kind: ScopeObjectKind; keyword?: string; ids?: readonly string[] }) =>
    request<{ items: ScopeObject[] }>('GET', `/api/monitoring/scopes${q({ kind: x.kind, keyword: x.keyword || undefined, ids: x.ids?.length ? x.ids.join(',') : undefined, limit: x.ids?.length ? Math.min(x.ids.length, 100) : undefined })}`).then((r) => r.items),
  expansions: () => request<{ items: Expansion[] }>('GET', '/api/monitoring/expansions').then((r) => r.items),
  expansionAllowance: (x: { unitOrgId: string; providerOrgId?: string; from?: string; to?: string }) => request<ExpansionAllowance>('GET', `/api/monitoring/expansions/allowance${q(x)}`),
  createExpansion: (x: ExpansionInput) => request<Expansion>('POST', '/api/monitoring/expansions', x),
  cancelExpansion: (id: string) => request<Expansion>('POST', `/api/monitoring/expansions/${id}/cancel`),
};
