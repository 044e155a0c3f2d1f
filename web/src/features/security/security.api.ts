import { api, ApiError, data } from '../../api/client';
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
