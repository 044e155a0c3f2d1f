import { api, data } from '../../api/client';
import type { ApiTokenInput } from '../../api/types';

export const tokenKeys = { all: ['api-tokens'] as const, list: (page: number, pageSize: number) => ['api-tokens', page, pageSize] as const };

export const tokensApi = {
  list: async (page: number, pageSize: number) =>
    data(await api.GET('/api/api-tokens', { params: { query: { page: String(page), pageSize: String(pageSize) } } })),
  create: async (body: ApiTokenInput) => data(await api.POST('/api/api-tokens', { body })),
  revoke: async (id: string) => {
    await api.DELETE('/api/api-tokens/{id}', { params: { path: { id } } });
  },
};
