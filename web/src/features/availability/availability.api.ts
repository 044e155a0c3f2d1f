import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type Board = Json<paths['/api/availability/probes']['get']['responses'][200]>;
export type Probe = Board['items'][number];
export type BoardQuery = NonNullable<paths['/api/availability/probes']['get']['parameters']['query']>;
export type ProbeDetail = Json<paths['/api/availability/probes/{id}']['get']['responses'][200]>;
export type OutageList = Json<paths['/api/availability/outages']['get']['responses'][200]>;
export type Outage = OutageList['items'][number];
export type OutageQuery = NonNullable<paths['/api/availability/outages']['get']['parameters']['query']>;
export type ComplianceRow = Json<paths['/api/availability/compliance']['get']['responses'][200]>['items'][number];
export type Objective = Json<paths['/api/availability/objectives']['get']['responses'][200]>['items'][number];
export type NewObjective = NonNullable<paths['/api/availability/objectives']['put']['requestBody']>['content']['application/json'];
export type ObjectiveScope = Objective['scope'];
export type NewProbe = NonNullable<paths['/api/availability/probes']['post']['requestBody']>['content']['application/json'];

export const STATES = ['down', 'unknown', 'maintenance', 'up'] as const;
export const STATE_COLOR: Record<string, string> = { up: 'green', down: 'red', unknown: 'default', maintenance: 'blue' };
/** Timeline colours (ECharts): the same meaning as the tags. */
export const STATE_HEX: Record<string, string> = { up: '#52c41a', down: '#f5222d', unknown: '#bfbfbf', maintenance: '#1677ff' };

export const availabilityKeys = {
  all: ['availability'] as const,
  board: (q: BoardQuery) => ['availability', 'board', q] as const,
  probe: (id: string, range: string) => ['availability', 'probe', id, range] as const,
  outages: (q: OutageQuery) => ['availability', 'outages', q] as const,
  compliance: (month: string) => ['availability', 'compliance', month] as const,
  objectives: ['availability', 'objectives'] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
const byId = (id: string) => ({ params: { path: { id } } });

export const availabilityApi = {
  board: async (q: BoardQuery) => data(await api.GET('/api/availability/probes', { params: { query: clean(q) } })),
  probe: async (id: string, from?: string, to?: string) => data(await api.GET('/api/availability/probes/{id}', { ...byId(id), params: { path: { id }, query: clean({ from, to }) } })),
  create: async (body: NewProbe) => data(await api.POST('/api/availability/probes', { body })),
  setEnabled: async (id: string, enabled: boolean) => data(await api.PATCH('/api/availability/probes/{id}', { ...byId(id), body: { enabled } })),
  outages: async (q: OutageQuery) => data(await api.GET('/api/availability/outages', { params: { query: clean(q) } })),
  acknowledge: async (id: string, causeNote?: string) => data(await api.POST('/api/availability/outages/{id}/acknowledge', { ...byId(id), body: causeNote ? { causeNote } : {} })),
  compliance: async (month: string) => data(await api.GET('/api/availability/compliance', { params: { query: { month } } })).items,
  objectives: async () => data(await api.GET('/api/availability/objectives')).items,
  /** Creates or replaces the objective of (scope, scopeId). */
  setObjective: async (body: NewObjective) => data(await api.PUT('/api/availability/objectives', { body })),
  deleteObjective: async (id: string) => {
    await data(await api.DELETE('/api/availability/objectives/{id}', byId(id)));
  },
  /** Systems, units or providers an objective may name, by a search text (first 50). */
  objectCandidates: async (scope: 'system' | 'unit' | 'provider', q: string): Promise<Array<{ id: string; label: string }>> => {
    if (scope === 'system') {
      const r = data(await api.GET('/api/information-systems', { params: { query: clean({ q: q || undefined, status: 'active' as const, pageSize: '50' }) } }));
      return r.items.map((s) => ({ id: s.id, label: `${s.name}（${s.systemNo}）` }));
    }
    const r = data(await api.GET('/api/organisations', { params: { query: clean({ kind: scope === 'unit' ? ('user_unit' as const) : ('cloud_provider' as const), q: q || undefined, page: '1', pageSize: '50' }) } }));
    return r.items.map((o) => ({ id: o.id, label: o.name }));
  },
  /** Signed .xlsx / PDF of the month's SLA table (SM2 signature of the platform). */
  exportCompliance: (month: string, format: 'xlsx' | 'pdf') => download(`/api/availability/compliance.${format}${qs({ month })}`, `可用性SLA-${month}.${format}`),
  /** Signed .xlsx of one probe's detail (figures, state timeline, results) over the range shown. */
  exportProbe: (id: string, name: string, from: string, to: string) => download(`/api/availability/probes/${id}/detail.xlsx${qs({ from, to })}`, `拨测详情-${name}.xlsx`),
};

/** Seconds as "2 小时 5 分" / "2 h 5 min" style text. */
export function duration(s: number, lang: string): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (lang.startsWith('zh')) return h ? `${h} 小时 ${m} 分` : m ? `${m} 分 ${sec} 秒` : `${sec} 秒`;
  return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
}
