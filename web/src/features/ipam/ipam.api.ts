import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<T> = T extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type Pool = Json<paths['/api/ipam/pools']['get']['responses'][200]>['items'][number];
export type NewPool = Body<paths['/api/ipam/pools']['post']>;
export type UtilisationRow = Json<paths['/api/ipam/utilisation']['get']['responses'][200]>['items'][number];
export type RequestList = Json<paths['/api/ipam/requests']['get']['responses'][200]>;
export type IpRequest = RequestList['items'][number];
export type NewRequest = Body<paths['/api/ipam/requests']['post']>;
export type Approve = Body<paths['/api/ipam/requests/{id}/approve']['post']>;
export type AllocationList = Json<paths['/api/ipam/allocations']['get']['responses'][200]>;
export type Allocation = AllocationList['items'][number];
export type ConflictList = Json<paths['/api/ipam/conflicts']['get']['responses'][200]>;
export type Conflict = ConflictList['items'][number];
export type RequestQuery = NonNullable<paths['/api/ipam/requests']['get']['parameters']['query']>;
export type AllocationQuery = NonNullable<paths['/api/ipam/allocations']['get']['parameters']['query']>;
export type SystemOption = Json<paths['/api/information-systems']['get']['responses'][200]>['items'][number];

export const PURPOSES = ['business', 'management', 'storage', 'internet'] as const;

export const ipamKeys = {
  all: ['ipam'] as const,
  pools: ['ipam', 'pools'] as const,
  utilisation: ['ipam', 'utilisation'] as const,
  requests: (q: RequestQuery) => ['ipam', 'requests', q] as const,
  allocations: (q: AllocationQuery) => ['ipam', 'allocations', q] as const,
  conflicts: (nodeId?: string) => ['ipam', 'conflicts', nodeId ?? ''] as const,
  nodes: ['ipam', 'nodes'] as const,
  zones: (nodeId: string) => ['ipam', 'zones', nodeId] as const,
  systems: (nodeId: string) => ['ipam', 'systems', nodeId] as const,
};

const clean = <T extends Record<string, unknown>>(q: T) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
const byId = (id: string) => ({ params: { path: { id } } });

export const ipamApi = {
  pools: async () => data(await api.GET('/api/ipam/pools', { params: { query: {} } })).items,
  createPool: async (body: NewPool) => data(await api.POST('/api/ipam/pools', { body })),
  retirePool: async (id: string) => data(await api.PATCH('/api/ipam/pools/{id}', { ...byId(id), body: { status: 'retired' } })),
  utilisation: async () => data(await api.GET('/api/ipam/utilisation', { params: { query: { groupBy: 'node' } } })).items,
  requests: async (q: RequestQuery) => data(await api.GET('/api/ipam/requests', { params: { query: clean(q) } })),
  createRequest: async (body: NewRequest) => data(await api.POST('/api/ipam/requests', { body })),
  approve: async (id: string, body: Approve) => data(await api.POST('/api/ipam/requests/{id}/approve', { ...byId(id), body })),
  reject: async (id: string, reason: string) => data(await api.POST('/api/ipam/requests/{id}/reject', { ...byId(id), body: { reason } })),
  cancel: async (id: string) => data(await api.POST('/api/ipam/requests/{id}/cancel', byId(id))),
  allocations: async (q: AllocationQuery) => data(await api.GET('/api/ipam/allocations', { params: { query: clean(q) } })),
  release: async (id: string) => data(await api.POST('/api/ipam/allocations/{id}/release', byId(id))),
  conflicts: async (nodeId?: string) => data(await api.GET('/api/ipam/conflicts', { params: { query: clean({ nodeId }) } })),
  /** Downloads the filtered allocations as .xlsx. */
  export: (q: Omit<AllocationQuery, 'page' | 'pageSize'>, fileName: string) => download(`/api/ipam/allocations/export${qs(q as Record<string, string | undefined>)}`, fileName),
  nodes: async () => data(await api.GET('/api/cloud-nodes')).items,
  zones: async (nodeId: string) => data(await api.GET('/api/cloud-nodes/{nodeId}/zones', { params: { path: { nodeId } } })).items,
  systems: async (nodeId: string) => data(await api.GET('/api/information-systems', { params: { query: { nodeId, status: 'active', pageSize: '200' } } })).items,
};
