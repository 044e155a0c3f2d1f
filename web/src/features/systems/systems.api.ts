import { api, data, download, qs } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type SystemList = Json<paths['/api/information-systems']['get']['responses'][200]>;
export type InformationSystem = SystemList['items'][number];
export type NewSystem = paths['/api/information-systems']['post']['requestBody']['content']['application/json'];
export type SystemPatch = paths['/api/information-systems/{id}']['patch']['requestBody']['content']['application/json'];
export type RetireSystem = paths['/api/information-systems/{id}/retire']['post']['requestBody']['content']['application/json'];
export type SystemImport = paths['/api/information-systems/import']['post']['requestBody']['content']['application/json'];
export type SystemImportResult = Json<paths['/api/information-systems/import']['post']['responses'][200]>;
export type SystemChange = Json<paths['/api/information-systems/{id}/history']['get']['responses'][200]>['items'][number];

export interface SystemFilter {
  unitId?: string;
  nodeId?: string;
  q?: string;
  status?: 'active' | 'retired';
  page: number;
  pageSize: number;
}

export const systemKeys = {
  all: ['systems'] as const,
  list: (f: SystemFilter) => ['systems', 'list', f] as const,
  detail: (id: string) => ['systems', 'detail', id] as const,
  history: (id: string) => ['systems', 'history', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const systemsApi = {
  list: async (f: SystemFilter) =>
    data(await api.GET('/api/information-systems', { params: { query: { ...f, page: String(f.page), pageSize: String(f.pageSize) } } })),
  get: async (id: string) => data(await api.GET('/api/information-systems/{id}', path(id))),
  history: async (id: string) => data(await api.GET('/api/information-systems/{id}/history', path(id))),
  create: async (body: NewSystem) => data(await api.POST('/api/information-systems', { body })),
  update: async (id: string, body: SystemPatch) => data(await api.PATCH('/api/information-systems/{id}', { ...path(id), body })),
  retire: async (id: string, body: RetireSystem) => data(await api.POST('/api/information-systems/{id}/retire', { ...path(id), body })),
  import: async (body: SystemImport) => data(await api.POST('/api/information-systems/import', { body })),
  /** Downloads the filtered systems as .xlsx. */
  export: (f: Omit<SystemFilter, 'page' | 'pageSize'>, fileName: string) =>
    download(`/api/information-systems/export${qs(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v ? String(v) : undefined])))}`, fileName),
};
