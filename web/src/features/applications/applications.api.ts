import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ListQuery = NonNullable<paths['/api/applications']['get']['parameters']['query']>;
export type Application = Json<paths['/api/applications']['get']['responses'][200]>['items'][number];
export type ApplicationDetail = Json<paths['/api/applications/{id}']['get']['responses'][200]>;
export type ApplicationInput = paths['/api/applications']['post']['requestBody']['content']['application/json'];
export type FromEstimateInput = paths['/api/applications/from-estimate']['post']['requestBody']['content']['application/json'];
export type DeliverInput = paths['/api/applications/{id}/deliver']['post']['requestBody']['content']['application/json'];
export type WorkOrder = Json<paths['/api/work-orders']['get']['responses'][200]>['items'][number];
export type Stats = Json<paths['/api/applications/stats']['get']['responses'][200]>;
export type Quota = Json<paths['/api/application-quotas/{unitId}']['get']['responses'][200]>;
export type QuotaInput = paths['/api/application-quotas/{unitId}']['put']['requestBody']['content']['application/json'];

export const applicationKeys = {
  all: ['applications'] as const,
  list: (q: ListQuery) => ['applications', 'list', q] as const,
  detail: (id: string) => ['applications', 'detail', id] as const,
  workOrders: (overdue?: string) => ['applications', 'work-orders', overdue ?? ''] as const,
  stats: (from?: string, to?: string) => ['applications', 'stats', from ?? '', to ?? ''] as const,
  quota: (unitId: string) => ['applications', 'quota', unitId] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const applicationsApi = {
  list: async (q: ListQuery) => data(await api.GET('/api/applications', { params: { query: q } })).items,
  get: async (id: string) => data(await api.GET('/api/applications/{id}', path(id))),
  create: async (body: ApplicationInput) => data(await api.POST('/api/applications', { body })),
  fromEstimate: async (body: FromEstimateInput) => data(await api.POST('/api/applications/from-estimate', { body })),
  update: async (id: string, body: ApplicationInput) => data(await api.PUT('/api/applications/{id}', { ...path(id), body })),
  remove: async (id: string) => data(await api.DELETE('/api/applications/{id}', path(id))),
  submit: async (id: string, comment?: string) => data(await api.POST('/api/applications/{id}/submit', { ...path(id), body: comment ? { comment } : {} })),
  deliver: async (id: string, body: DeliverInput) => data(await api.POST('/api/applications/{id}/deliver', { ...path(id), body })),
  accept: async (id: string, comment?: string) => data(await api.POST('/api/applications/{id}/accept', { ...path(id), body: comment ? { comment } : {} })),
  rejectDelivery: async (id: string, reason: string) => data(await api.POST('/api/applications/{id}/reject-delivery', { ...path(id), body: { reason } })),
  workOrders: async (overdue?: 'true' | 'false') => data(await api.GET('/api/work-orders', { params: { query: overdue ? { overdue } : {} } })).items,
  stats: async (from?: string, to?: string) => data(await api.GET('/api/applications/stats', { params: { query: { ...(from ? { from } : {}), ...(to ? { to } : {}) } } })),
  quota: async (unitId: string) => data(await api.GET('/api/application-quotas/{unitId}', { params: { path: { unitId } } })),
  putQuota: async (unitId: string, body: QuotaInput) => data(await api.PUT('/api/application-quotas/{unitId}', { params: { path: { unitId } }, body })),
  export: (q: ListQuery) => download(`/api/applications/export${qs({ ...q })}`, 'applications.xlsx'),
};
