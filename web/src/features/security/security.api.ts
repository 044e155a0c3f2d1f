import { api, ApiError, data, download } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type FindingList = Json<paths['/api/security/findings']['get']['responses'][200]>;
export type Finding = FindingList['items'][number];
export type FindingDetail = Json<paths['/api/security/findings/{id}']['get']['responses'][200]>;
export type FindingQuery = NonNullable<paths['/api/security/findings']['get']['parameters']['query']>;
export type Scan = Json<paths['/api/security/scans']['get']['responses'][200]>['items'][number];
export type ScanResult = Json<paths['/api/security/scans']['post']['responses'][201]>;
export type DeadlineRule = Json<paths['/api/security/deadline-rules']['get']['responses'][200]>['items'][number];
export type AttackStatistics = Json<paths['/api/security/attacks']['get']['responses'][200]>;
export type ReportFormat = 'openvas' | 'nessus' | 'xlsx' | 'csv';
export type SecurityEventList = Json<paths['/api/security/events']['get']['responses'][200]>;
export type SecurityEvent = SecurityEventList['items'][number];
export type SecurityEventDetail = Json<paths['/api/security/events/{id}']['get']['responses'][200]>;
export type EventQuery = NonNullable<paths['/api/security/events']['get']['parameters']['query']>;
export type NewSecurityEvent = NonNullable<paths['/api/security/events']['post']['requestBody']>['content']['application/json'];
export type SecurityCheck = Json<paths['/api/security/checks']['get']['responses'][200]>['items'][number];
export type NewSecurityCheck = NonNullable<paths['/api/security/checks']['post']['requestBody']>['content']['application/json'];
export type RecordSecurityCheck = NonNullable<paths['/api/security/checks/{id}/record']['post']['requestBody']>['content']['application/json'];
export type CheckCounters = Json<paths['/api/security/checks/counters']['get']['responses'][200]>;
export type DeviceLogStatistics = Json<paths['/api/security/device-logs']['get']['responses'][200]>;
export type PostureReport = Json<paths['/api/security/posture']['get']['responses'][200]>;
export type PatchCompliance = Json<paths['/api/security/patches/compliance']['get']['responses'][200]>;
export type PatchList = Json<paths['/api/security/patches']['get']['responses'][200]>;
export type PatchQuery = NonNullable<paths['/api/security/patches']['get']['parameters']['query']>;
export const PATCH_STATUS_COLOR: Record<string, string> = { missing: 'red', late: 'orange', pending: 'blue', unknown: 'default', on_time: 'green' };
export const EVENT_GRADES = ['I', 'II', 'III', 'IV'] as const;
export const EVENT_CATEGORIES = ['malware', 'attack', 'data', 'content', 'device', 'disaster', 'other'] as const;
export const CHECK_KINDS = ['vuln_scan', 'pentest', 'cloud_basic', 'compliance', 'vuln_mgmt', 'routine'] as const;
export const GRADE_COLOR: Record<string, string> = { I: 'magenta', II: 'red', III: 'orange', IV: 'blue' };
export const EVENT_STATUS_COLOR: Record<string, string> = { open: 'red', handling: 'orange', closed: 'green' };

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const SEVERITY_COLOR: Record<string, string> = { critical: 'magenta', high: 'red', medium: 'orange', low: 'blue' };
export const STATUS_COLOR: Record<string, string> = { open: 'red', notified: 'orange', replied: 'gold', fixed: 'green', accepted: 'default' };

export const securityKeys = {
  all: ['security'] as const,
  findings: (q: FindingQuery) => ['security', 'findings', q] as const,
  finding: (id: string) => ['security', 'finding', id] as const,
  scans: ['security', 'scans'] as const,
  rules: ['security', 'rules'] as const,
  nodes: ['security', 'nodes'] as const,
  attacks: (month: string) => ['security', 'attacks', month] as const,
  events: (q: EventQuery) => ['security', 'events', q] as const,
  event: (id: string) => ['security', 'event', id] as const,
  checks: (year: number) => ['security', 'checks', year] as const,
  counters: (year: number) => ['security', 'counters', year] as const,
  deviceLogs: (month: string) => ['security', 'device-logs', month] as const,
  posture: (month: string) => ['security', 'posture', month] as const,
  patchCompliance: (windowDays: number) => ['security', 'patch-compliance', windowDays] as const,
  patches: (q: PatchQuery) => ['security', 'patches', q] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
const byId = (id: string) => ({ params: { path: { id } } });

export const securityApi = {
  findings: async (q: FindingQuery) => data(await api.GET('/api/security/findings', { params: { query: clean(q) } })),
  finding: async (id: string) => data(await api.GET('/api/security/findings/{id}', byId(id))),
  notify: async (id: string, note?: string) => data(await api.POST('/api/security/findings/{id}/notify', { ...byId(id), body: note ? { note } : {} })),
  reply: async (id: string, note: string) => data(await api.POST('/api/security/findings/{id}/reply', { ...byId(id), body: { note } })),
  verify: async (id: string, note: string) => data(await api.POST('/api/security/findings/{id}/verify', { ...byId(id), body: { note } })),
  accept: async (id: string, reason: string, until: string) => data(await api.POST('/api/security/findings/{id}/accept', { ...byId(id), body: { reason, until } })),
  scans: async () => data(await api.GET('/api/security/scans')).items,
  attacks: async (month: string) => data(await api.GET('/api/security/attacks', { params: { query: { month } } })),
  rules: async () => data(await api.GET('/api/security/deadline-rules')).items,
  setRules: async (items: DeadlineRule[]) => data(await api.PUT('/api/security/deadline-rules', { body: { items } })).items,
  nodes: async () => data(await api.GET('/api/cloud-nodes')).items,
  noticePdf: (id: string, name: string) => download(`/api/security/findings/${id}/notice.pdf`, `安全隐患通知单-${name}.pdf`),
  events: async (q: EventQuery) => data(await api.GET('/api/security/events', { params: { query: clean(q) } })),
  event: async (id: string) => data(await api.GET('/api/security/events/{id}', byId(id))),
  createEvent: async (body: NewSecurityEvent) => data(await api.POST('/api/security/events', { body })),
  addEventEntry: async (id: string, kind: 'note' | 'tracing' | 'evidence', text: string) => data(await api.POST('/api/security/events/{id}/entries', { ...byId(id), body: { kind, text } })),
  closeEvent: async (id: string, handlingReport: string) => data(await api.POST('/api/security/events/{id}/close', { ...byId(id), body: { handlingReport } })),
  eventReportPdf: (id: string, no: string) => download(`/api/security/events/${id}/report.pdf`, `安全事件处置报告-${no}.pdf`),
  checks: async (year: number) => data(await api.GET('/api/security/checks', { params: { query: { year } } })).items,
  counters: async (year: number) => data(await api.GET('/api/security/checks/counters', { params: { query: { year } } })),
  deviceLogs: async (month: string) => data(await api.GET('/api/security/device-logs', { params: { query: { month } } })),
  posture: async (month: string) => data(await api.GET('/api/security/posture', { params: { query: { month } } })),
  postureXlsx: (month: string) => download(`/api/security/posture/export?month=${month}`, `安全态势-${month}.xlsx`),
  patchCompliance: async (windowDays: number) => data(await api.GET('/api/security/patches/compliance', { params: { query: { windowDays } } })),
  patches: async (q: PatchQuery) => data(await api.GET('/api/security/patches', { params: { query: clean(q) } })),
  planCheck: async (body: NewSecurityCheck) => data(await api.POST('/api/security/checks', { body })),
  recordCheck: async (id: string, body: RecordSecurityCheck) => data(await api.POST('/api/security/checks/{id}/record', { ...byId(id), body })),
  /** Sends the report's bytes as the request body; format, name and node as query parameters. */
  async upload(file: File, format: ReportFormat, nodeId?: string): Promise<ScanResult> {
    const q = new URLSearchParams({ format, fileName: file.name });
    if (nodeId) q.set('nodeId', nodeId);
    const response = await fetch(`/api/security/scans?${q.toString()}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'zhengyun', 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => undefined)) as never);
    return (await response.json()) as ScanResult;
  },
};

/** The format a file name suggests. */
export function formatOf(name: string): ReportFormat {
  const n = name.toLowerCase();
  if (n.endsWith('.nessus')) return 'nessus';
  if (n.endsWith('.xlsx')) return 'xlsx';
  if (n.endsWith('.csv')) return 'csv';
  return 'openvas';
}
