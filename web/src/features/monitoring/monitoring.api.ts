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
export interface Rule { id: string; name: string; kind: string; metric: string; severity: Severity; scopeKind: string; scopeId: string | null; enabled: boolean; keyPeriodOnly: boolean; expression: string; isGlobal: boolean }

export const monitoringKeys = {
  all: ['monitoring'] as const,
  alerts: (q: AlertQuery) => ['monitoring', 'alerts', q] as const,
  alert: (id: string) => ['monitoring', 'alert', id] as const,
  summary: ['monitoring', 'summary'] as const,
  series: (kw: string) => ['monitoring', 'series', kw] as const,
  chart: (id: string, range: Range) => ['monitoring', 'chart', id, range] as const,
  top: (metric: string, period: string) => ['monitoring', 'top', metric, period] as const,
  capacity: ['monitoring', 'capacity'] as const,
  rules: ['monitoring', 'rules'] as const,
};

const q = (x: object) => qs(Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])));

export const monitoringApi = {
  alerts: (x: AlertQuery) => request<{ items: Alert[]; total: number; page: number; pageSize: number }>('GET', `/api/monitoring/alerts${q(x)}`),
  exportAlerts: (x: AlertQuery) => download(`/api/monitoring/alerts/export${q(x)}`, 'alerts.xlsx'),
  summary: () => request<AlertSummary>('GET', '/api/monitoring/alerts/summary'),
  alert: (id: string) => request<AlertDetail>('GET', `/api/monitoring/alerts/${id}`),
  acknowledge: (id: string, comment: string) => request<AlertDetail>('POST', `/api/monitoring/alerts/${id}/acknowledge`, { comment }),
  series: (keyword: string) => request<{ items: Series[] }>('GET', `/api/monitoring/series${q({ kind: 'host', keyword: keyword || undefined })}`).then((r) => r.items),
  chart: (id: string, range: Range) => request<Chart>('GET', `/api/monitoring/series/${id}/chart${q({ range })}`),
  exportChart: (id: string, range: Range) => download(`/api/monitoring/series/${id}/chart/export${q({ range })}`, 'chart.xlsx'),
  top: (metric: string, period: string) => request<Top>('GET', `/api/monitoring/top${q({ metric, period, n: 10 })}`),
  exportTop: (metric: string, period: string) => download(`/api/monitoring/top/export${q({ metric, period, n: 10 })}`, 'top.xlsx'),
  capacity: () => request<Capacity>('GET', '/api/monitoring/capacity'),
  exportCapacity: () => download('/api/monitoring/capacity/export', 'capacity.xlsx'),
  rules: () => request<{ items: Rule[] }>('GET', '/api/monitoring/rules').then((r) => r.items),
};
