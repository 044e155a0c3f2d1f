import { api, data } from '../../api/client';
import type { components, paths } from '../../api/schema';

export type PriceList = components['schemas']['PriceList'];
export type PriceListDetail = components['schemas']['PriceListDetail'];
export type PriceListInput = paths['/api/price-lists']['post']['requestBody']['content']['application/json'];

export const priceKeys = {
  all: ['price-lists'] as const,
  list: ['price-lists', 'list'] as const,
  detail: (id: string) => ['price-lists', 'detail', id] as const,
};

const path = (id: string) => ({ params: { path: { id } } });

export const pricesApi = {
  list: async () => data(await api.GET('/api/price-lists')),
  get: async (id: string) => data(await api.GET('/api/price-lists/{id}', path(id))),
  create: async (body: PriceListInput) => data(await api.POST('/api/price-lists', { body })),
  update: async (id: string, body: PriceListInput) => data(await api.PUT('/api/price-lists/{id}', { ...path(id), body })),
  remove: async (id: string) => data(await api.DELETE('/api/price-lists/{id}', path(id))),
  submit: async (id: string) => data(await api.POST('/api/price-lists/{id}/submit', path(id))),
  approve: async (id: string, comment?: string) => data(await api.POST('/api/price-lists/{id}/approve', { ...path(id), body: { comment: comment || null } })),
  reject: async (id: string, comment?: string) => data(await api.POST('/api/price-lists/{id}/reject', { ...path(id), body: { comment: comment || null } })),
};
