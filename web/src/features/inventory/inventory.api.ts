import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ResourceList = Json<paths['/api/inventory/resources']['get']['responses'][200]>;
export type Resource = ResourceList['items'][number];
export type ResourceDetail = Json<paths['/api/inventory/resources/{id}']['get']['responses'][200]>;
export type Summary = Json<paths['/api/inventory/summary']['get']['responses'][200]>;
export type SummaryGroup = Summary['groups'][number];
export type Trends = Json<paths['/api/inventory/trends']['get']['responses'][200]>;
export type FlagList = Json<paths['/api/inventory/flags']['get']['responses'][200]>;
export type Flag = FlagList['items'][number];
export type ResourceQuery = NonNullable<paths['/api/inventory/resources']['get']['parameters']['query']>;
export type FlagsQuery = NonNullable<paths['/api/inventory/flags']['get']['parameters']['query']>;
export type GroupBy = 'node' | 'provider' | 'unit';

export const RESOURCE_KINDS = ['physical_device', 'cloud_host', 'internet_bandwidth', 'load_balancer', 'vpn_account', 'remote_access_account', 'waf', 'leased_line'] as const;
export const RESOURCE_FLAGS = ['unowned', 'node_mismatch', 'system_retired', 'stale'] as const;
export const FLAG_TYPES = [...RESOURCE_FLAGS, 'system_mismatch', 'unregistered_system'] as const;
export const QUANTITY_KEYS = ['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'localVideoStorageGb', 'offsiteStorageGb', 'bandwidthMbps'] as const;
export const CAPACITY_KEYS = ['cpuCores', 'memoryGb', 'standardStorageGb', 'highPerfStorageGb', 'staticStorageGb', 'bandwidthMbps'] as const;

export const inventoryKeys = {
  all: ['inventory'] as const,
  list: (q: ResourceQuery) => ['inventory', 'resources', q] as const,
  detail: (id: string) => ['inventory', 'resource', id] as const,
  summary: (groupBy: GroupBy) => ['inventory', 'summary', groupBy] as const,
  trends: (days: number) => ['inventory', 'trends', days] as const,
  flags: (q: FlagsQuery) => ['inventory', 'flags', q] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

export const inventoryApi = {
  list: async (q: ResourceQuery) => data(await api.GET('/api/inventory/resources', { params: { query: clean(q) } })),
  get: async (id: string) => data(await api.GET('/api/inventory/resources/{id}', { params: { path: { id } } })),
  summary: async (groupBy: GroupBy) => data(await api.GET('/api/inventory/summary', { params: { query: { groupBy } } })),
  trends: async (from: string) => data(await api.GET('/api/inventory/trends', { params: { query: { from } } })),
  flags: async (q: FlagsQuery) => data(await api.GET('/api/inventory/flags', { params: { query: clean(q) } })),
  /** Downloads the filtered resources as .xlsx. */
  export: (q: Omit<ResourceQuery, 'page' | 'pageSize' | 'sort' | 'order'>, fileName: string) =>
    download(`/api/inventory/resources/export${qs(q as Record<string, string | undefined>)}`, fileName),
};
