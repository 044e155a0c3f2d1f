import { api, data } from '../../api/client';
import type { components, paths } from '../../api/schema';

export type CatalogVersion = components['schemas']['CatalogVersion'];
export type CatalogVersionDetail = components['schemas']['CatalogVersionDetail'];
export type CatalogItem = components['schemas']['CatalogItem'];
export type CatalogItemInput = paths['/api/catalog/versions/{id}/items/{code}']['put']['requestBody']['content']['application/json'];
export type NewVersionInput = paths['/api/catalog/versions']['post']['requestBody']['content']['application/json'];

export const catalogKeys = {
  all: ['catalog'] as const,
  versions: ['catalog', 'versions'] as const,
  current: ['catalog', 'current'] as const,
  version: (id: string) => ['catalog', 'version', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const catalogApi = {
  versions: async () => data(await api.GET('/api/catalog/versions')),
  current: async () => data(await api.GET('/api/catalog/current')),
  version: async (id: string) => data(await api.GET('/api/catalog/versions/{id}', path(id))),
  createVersion: async (body: NewVersionInput) => data(await api.POST('/api/catalog/versions', { body })),
  putItem: async (id: string, code: string, body: CatalogItemInput) =>
    data(await api.PUT('/api/catalog/versions/{id}/items/{code}', { params: { path: { id, code } }, body })),
  retireItem: async (id: string, code: string) =>
    data(await api.POST('/api/catalog/versions/{id}/items/{code}/retire', { params: { path: { id, code } } })),
  publish: async (id: string) => data(await api.POST('/api/catalog/versions/{id}/publish', path(id))),
};

/** A weight (a fraction: 0.1 = 10%) as a percentage text. */
export const weightPct = (w: string | null | undefined) => (w == null || w === '' ? '—' : `${Number((Number(w) * 100).toFixed(4))}%`);
